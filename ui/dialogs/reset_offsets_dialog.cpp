#include "dialogs/reset_offsets_dialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "session/group_reader.h"

namespace bs::ui {

namespace {
enum ModeIndex { Earliest, Latest, Datetime, Offset };
}

ResetOffsetsDialog::ResetOffsetsDialog(GroupReader* reader, const std::string& group,
                                       const std::vector<std::string>& topics,
                                       const std::map<client::TopicPartition, int64_t>& committed,
                                       QWidget* parent)
    : QDialog(parent), reader_(reader), group_(group), topics_(topics), committed_(committed) {
    setObjectName(QStringLiteral("resetOffsetsDialog"));
    setWindowTitle(tr("Reset offsets · %1").arg(QString::fromStdString(group)));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    mode_ = new QComboBox(this);
    mode_->setObjectName(QStringLiteral("resetMode"));
    mode_->addItems({tr("To earliest"), tr("To latest"), tr("To date and time"), tr("To offset")});
    form->addRow(tr("Reset"), mode_);
    datetime_ = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    datetime_->setObjectName(QStringLiteral("resetDatetime"));
    datetime_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    datetime_->setCalendarPopup(true);
    datetime_->setToolTip(tr("The first offset at or after this time (local time)"));
    form->addRow(tr("Date and time"), datetime_);
    offset_ = new QLineEdit(QStringLiteral("0"), this);
    offset_->setObjectName(QStringLiteral("resetOffset"));
    offset_->setToolTip(tr("Clamped to each partition's log, as Kafka does"));
    form->addRow(tr("Offset"), offset_);
    topic_ = new QComboBox(this);
    topic_->setObjectName(QStringLiteral("resetTopic"));
    topic_->addItem(tr("All topics of the group"));
    for (const auto& t : topics_)
        topic_->addItem(QString::fromStdString(t));
    form->addRow(tr("Topic"), topic_);
    layout->addLayout(form);

    auto* planned = new QLabel(tr("Planned new offsets (dry run):"), this);
    layout->addWidget(planned);
    table_ = new QTableWidget(0, 4, this);
    table_->setObjectName(QStringLiteral("plannedOffsets"));
    table_->setHorizontalHeaderLabels(
        {tr("Topic"), tr("Partition"), tr("Current offset"), tr("New offset")});
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMinimumHeight(160);
    layout->addWidget(table_, 1);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("resetStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    execute_ = buttons->addButton(tr("Reset offsets"), QDialogButtonBox::AcceptRole);
    execute_->setObjectName(QStringLiteral("executeReset"));
    execute_->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(execute_, &QPushButton::clicked, this, &ResetOffsetsDialog::execute);

    auto update = [this] {
        datetime_->setEnabled(mode_->currentIndex() == Datetime);
        offset_->setEnabled(mode_->currentIndex() == Offset);
        replan();
    };
    connect(mode_, &QComboBox::currentIndexChanged, this, update);
    connect(topic_, &QComboBox::currentIndexChanged, this, &ResetOffsetsDialog::replan);
    connect(datetime_, &QDateTimeEdit::dateTimeChanged, this, &ResetOffsetsDialog::replan);
    connect(offset_, &QLineEdit::textChanged, this, &ResetOffsetsDialog::replan);
    connect(reader_, &GroupReader::planReady, this, &ResetOffsetsDialog::onPlan);
    connect(reader_, &GroupReader::resetDone, this, &ResetOffsetsDialog::onResetDone);
    resize(560, 420);
    datetime_->setEnabled(false);
    offset_->setEnabled(false);
    replan();
}

void ResetOffsetsDialog::replan() {
    plan_.clear();
    table_->setRowCount(0);
    execute_->setEnabled(false);
    consumer::OffsetResetSpec spec;
    switch (mode_->currentIndex()) {
        case Earliest:
            spec.mode = consumer::OffsetResetSpec::Mode::Earliest;
            break;
        case Latest:
            spec.mode = consumer::OffsetResetSpec::Mode::Latest;
            break;
        case Datetime:
            spec = {consumer::OffsetResetSpec::Mode::Datetime,
                    datetime_->dateTime().toMSecsSinceEpoch()};
            break;
        default: {
            bool ok = false;
            const qint64 offset = offset_->text().trimmed().toLongLong(&ok);
            if (!ok || offset < 0) {
                pending_ = 0;
                return showError(tr("Offset '%1' is not a number >= 0").arg(offset_->text()));
            }
            spec = {consumer::OffsetResetSpec::Mode::Offset, offset};
        }
    }
    std::vector<std::string> topics = topics_;
    if (topic_->currentIndex() > 0) topics = {topic_->currentText().toStdString()};
    if (topics.empty()) {
        pending_ = 0;
        return showError(tr("The group has committed no offsets: there is no topic to reset."));
    }
    status_->setText(tr("Computing the new offsets…"));
    status_->setStyleSheet({});
    pending_ = reader_->planReset(group_, topics, spec);
}

void ResetOffsetsDialog::showError(const QString& error) {
    status_->setText(error);
    status_->setStyleSheet(QStringLiteral("color: #c0392b;"));
}

void ResetOffsetsDialog::onPlan(quint64 id,
                                const std::map<client::TopicPartition, int64_t>& offsets,
                                const QString& error) {
    if (id != pending_) return;
    pending_ = 0;
    if (!error.isEmpty()) return showError(error);
    plan_ = offsets;
    table_->setRowCount(static_cast<int>(plan_.size()));
    int row = 0;
    for (const auto& [tp, offset] : plan_) {
        const auto current = committed_.find(tp);
        const QString cells[] = {
            QString::fromStdString(tp.topic), QString::number(tp.partition),
            current == committed_.end() ? QStringLiteral("-") : QString::number(current->second),
            QString::number(offset)};
        for (int c = 0; c < 4; ++c)
            table_->setItem(row, c, new QTableWidgetItem(cells[c]));
        ++row;
    }
    status_->setText(tr("%n partition(s) will be reset. Nothing is committed until you confirm.",
                        nullptr, static_cast<int>(plan_.size())));
    status_->setStyleSheet({});
    execute_->setEnabled(!plan_.empty() && !executing_);
}

void ResetOffsetsDialog::execute() {
    if (plan_.empty() || executing_) return;
    executing_ = true;
    execute_->setEnabled(false);
    status_->setText(tr("Committing the new offsets…"));
    reader_->executeReset(group_, plan_);
}

void ResetOffsetsDialog::onResetDone(const QString& group, const QString& error) {
    if (!executing_ || group.toStdString() != group_) return;
    executing_ = false;
    if (!error.isEmpty()) {
        execute_->setEnabled(!plan_.empty());
        return showError(error);
    }
    accept();
}

}  // namespace bs::ui
