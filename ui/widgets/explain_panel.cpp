#include "widgets/explain_panel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QVBoxLayout>

#include "common/text.h"

namespace bs::ui {

namespace {
constexpr const char* kPluginItem = "__plugin__";
}

ExplainPanel::ExplainPanel(QWidget* parent) : QWidget(parent) {
    chooser_ = new QComboBox(this);
    chooser_->setObjectName(QStringLiteral("partitioner"));
    for (const auto& info : producer::knownPartitioners()) {
        const QString name = QString::fromUtf8(info.name.data(), qsizetype(info.name.size()));
        const QString era = QString::fromUtf8(info.era.data(), qsizetype(info.era.size()));
        const QString title = QString::fromUtf8(info.title.data(), qsizetype(info.title.size()));
        chooser_->addItem(QStringLiteral("%1 · %2").arg(title, era), name);
        chooser_->setItemData(
            chooser_->count() - 1,
            QString::fromUtf8(info.description.data(), qsizetype(info.description.size())),
            Qt::ToolTipRole);
    }
    chooser_->addItem(tr("Your own partitioner (plugin .so)…"), QString::fromLatin1(kPluginItem));
    chooser_->setItemData(chooser_->count() - 1,
                          tr("a shared library implementing partitioner_plugin.h"),
                          Qt::ToolTipRole);
    // The full names are in the popup; the closed box may elide (it must not widen the dock).
    chooser_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    chooser_->setMinimumContentsLength(16);
    era_ = new QLabel(this);
    era_->setWordWrap(true);
    era_->setForegroundRole(QPalette::PlaceholderText);
    body_ = new QLabel(this);
    body_->setTextFormat(Qt::RichText);
    body_->setWordWrap(true);
    body_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    result_ = new QLabel(this);
    QFont big = result_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    result_->setFont(big);
    result_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(8, 6, 8, 6);
    col->addWidget(chooser_);
    col->addWidget(era_);
    col->addWidget(body_, 1);
    col->addWidget(result_);

    connect(chooser_, &QComboBox::activated, this, [this](int index) {
        const QString value = chooser_->itemData(index).toString();
        if (value == QLatin1String(kPluginItem)) {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Partitioner plugin"), QString(), tr("Shared libraries (*.so)"));
            if (path.isEmpty()) return;
            pluginPath_ = path;
            Q_EMIT partitionerChosen(path);
            return;
        }
        era_->setText(chooser_->itemData(index, Qt::ToolTipRole).toString());
        Q_EMIT partitionerChosen(value);
    });
}

void ExplainPanel::setPartitionerClass(const QString& value) {
    const QSignalBlocker block(chooser_);
    int index = chooser_->findData(value.isEmpty() ? QStringLiteral("builtin") : value);
    if (index < 0 && value.isEmpty()) index = 0;
    if (index < 0 && (value.contains(QLatin1Char('/')) || value.endsWith(QLatin1String(".so")))) {
        pluginPath_ = value;
        index = chooser_->findData(QString::fromLatin1(kPluginItem));
        chooser_->setItemText(index, tr("Plugin: %1").arg(QFileInfo(value).fileName()));
    }
    if (index >= 0) {
        chooser_->setCurrentIndex(index);
        era_->setText(chooser_->itemData(index, Qt::ToolTipRole).toString());
    }
}

void ExplainPanel::setExplicitPartition(std::optional<int> partition) {
    if (partition == explicit_) return;
    explicit_ = partition;
    render();
}

void ExplainPanel::showExplanation(const producer::PartitionExplanation& e, const QString& error) {
    last_ = e;
    lastError_ = error;
    render();
}

void ExplainPanel::render() {
    if (!last_) return;
    const producer::PartitionExplanation& e = *last_;
    const QString& error = lastError_;
    if (!error.isEmpty()) {
        body_->setText(
            QStringLiteral("<span style='color:#d63333'>%1</span>").arg(error.toHtmlEscaped()));
        result_->clear();
        shownPartition_ = -1;
        return;
    }
    QString html = QStringLiteral("<table cellspacing='2' cellpadding='1'>");
    auto row = [&html](const QString& k, const QString& v) {
        html += QStringLiteral("<tr><td style='padding-right:10px'><b>%1</b></td><td>%2</td></tr>")
                    .arg(k, v);
    };
    if (explicit_) {
        row(tr("partition()"),
            tr("the record names partition %1: KafkaProducer.partition() returns it first, "
               "the partitioner is not asked. It would have chosen:")
                .arg(*explicit_));
    }
    row(tr("partitioner"), QString::fromStdString(e.partitioner).toHtmlEscaped());
    if (e.keyed) {
        const QString hex = QString::fromStdString(toHex(e.keyBytes));
        row(tr("key bytes"), QStringLiteral("<code>%1</code> (%2 bytes)")
                                 .arg(hex.left(96).toHtmlEscaped())
                                 .arg(e.keyBytes.size()));
        row(tr("murmur2"), QStringLiteral("<code>%1</code> (0x%2)")
                               .arg(e.murmur2)
                               .arg(QString::number(static_cast<quint32>(e.murmur2), 16)));
        row(tr("toPositive"),
            QStringLiteral("<code>%1</code> &nbsp;(murmur2 &amp; 0x7fffffff)").arg(e.positive));
        row(tr("mod N"), QStringLiteral("<code>%1 % %2 = %3</code>")
                             .arg(e.positive)
                             .arg(e.numPartitions)
                             .arg(e.partition));
    } else {
        row(tr("key"), tr("null: placement does not depend on the key"));
        row(tr("partitions"), QString::number(e.numPartitions));
    }
    if (!e.keyed && !e.detail.empty())
        row(tr("state"), QString::fromStdString(e.detail).toHtmlEscaped());
    html += QStringLiteral("</table>");
    body_->setText(html);
    if (explicit_) {
        shownPartition_ = *explicit_;
        result_->setText(tr("→ partition %1 (explicit)").arg(*explicit_));
        return;
    }
    shownPartition_ = e.partition;
    result_->setText(e.partition >= 0 ? QStringLiteral("→ partition %1").arg(e.partition)
                                      : tr("→ chosen at append (sticky)"));
}

QString ExplainPanel::text() const {
    return body_->text() + result_->text();
}

}  // namespace bs::ui
