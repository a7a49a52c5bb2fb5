#include "dialogs/import_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "session/cluster_session.h"
#include "widgets/live_progress_bar.h"

namespace bs::ui {

namespace {

// A preview cell: the bytes as text when they are UTF-8, else hex; null as "null".
QString cell(const std::optional<recordfile::Bytes>& b) {
    if (!b) return QStringLiteral("null");
    const QByteArray raw(reinterpret_cast<const char*>(b->data()),
                         static_cast<qsizetype>(b->size()));
    QString s = QString::fromUtf8(raw);
    if (s.toUtf8() != raw) return QStringLiteral("0x") + QString::fromLatin1(raw.toHex());
    if (s.size() > 200) s = s.left(200) + QChar(0x2026);
    return s;
}

}  // namespace

ImportDialog::ImportDialog(ClusterSession* session, SendService* sends, QWidget* parent)
    : QDialog(parent), session_(session), importer_(new RecordImporter(session, sends, this)) {
    setWindowTitle(tr("Import records"));
    path_ = new QLineEdit;
    path_->setObjectName(QStringLiteral("path"));
    path_->setPlaceholderText(tr("a .jsonl, .csv or text file"));
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("browse"));
    format_ = new QComboBox;
    format_->setObjectName(QStringLiteral("format"));
    format_->addItem(tr("JSON Lines"), QStringLiteral("jsonl"));
    format_->addItem(tr("CSV (header row)"), QStringLiteral("csv"));
    format_->addItem(tr("Text lines (kcat, console producer)"), QStringLiteral("lines"));
    keySeparator_ = new QLineEdit;
    keySeparator_->setObjectName(QStringLiteral("keySeparator"));
    keySeparator_->setPlaceholderText(tr("none: each line is a value"));
    keySeparator_->setToolTip(
        tr("Text lines: split each line into key and value at the first "
           "separator (kafka-console-producer's key.separator)"));
    topic_ = new QComboBox;
    topic_->setObjectName(QStringLiteral("topic"));
    topic_->setEditable(true);
    topic_->setInsertPolicy(QComboBox::NoInsert);
    for (const auto& t : session_->clusterInfo().topics)
        topic_->addItem(t.name);
    if (!session_->connection().topic.isEmpty())
        topic_->setCurrentText(session_->connection().topic);
    rate_ = new QDoubleSpinBox;
    rate_->setObjectName(QStringLiteral("rate"));
    rate_->setRange(0, 1e6);
    rate_->setDecimals(0);
    rate_->setSuffix(tr(" records/s"));
    rate_->setSpecialValueText(tr("full speed"));
    skipBad_ = new QCheckBox(tr("Skip bad lines (send the others)"));
    skipBad_->setObjectName(QStringLiteral("skipBadLines"));

    preview_ = new QTableWidget(0, 6);
    preview_->setObjectName(QStringLiteral("preview"));
    preview_->setHorizontalHeaderLabels(
        {tr("Line"), tr("Partition"), tr("Key"), tr("Value"), tr("Headers"), tr("Problem")});
    preview_->verticalHeader()->hide();
    preview_->horizontalHeader()->setStretchLastSection(true);
    preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    count_ = new QLabel;
    count_->setObjectName(QStringLiteral("count"));
    count_->setWordWrap(true);
    progress_ = new LiveProgressBar;
    progress_->setObjectName(QStringLiteral("progress"));
    progress_->setRange(0, 1);
    progress_->setValue(0);
    import_ = new QPushButton(tr("Import"));
    import_->setObjectName(QStringLiteral("import"));
    pause_ = new QPushButton(tr("Pause"));
    pause_->setObjectName(QStringLiteral("pause"));
    pause_->setCheckable(true);
    cancel_ = new QPushButton(tr("Cancel import"));
    cancel_->setObjectName(QStringLiteral("cancel"));
    summaryText_ = new QPlainTextEdit;
    summaryText_->setObjectName(QStringLiteral("summary"));
    summaryText_->setReadOnly(true);
    summaryText_->setMaximumBlockCount(500);

    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(path_, 1);
    fileRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("File"), fileRow);
    form->addRow(tr("Format"), format_);
    form->addRow(tr("Key separator"), keySeparator_);
    form->addRow(tr("Topic"), topic_);
    form->addRow(tr("Rate"), rate_);
    form->addRow(QString(), skipBad_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(import_);
    buttons->addWidget(pause_);
    buttons->addWidget(cancel_);
    buttons->addWidget(progress_, 1);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    auto* col = new QVBoxLayout(this);
    col->addLayout(form);
    col->addWidget(preview_, 2);
    col->addWidget(count_);
    col->addLayout(buttons);
    col->addWidget(summaryText_, 1);
    col->addWidget(close);
    resize(820, 600);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(path_, &QLineEdit::editingFinished, this, &ImportDialog::recheck);
    connect(format_, &QComboBox::currentIndexChanged, this, &ImportDialog::recheck);
    connect(keySeparator_, &QLineEdit::editingFinished, this, &ImportDialog::recheck);
    connect(skipBad_, &QCheckBox::toggled, this, &ImportDialog::updateButtons);
    connect(topic_, &QComboBox::currentTextChanged, this, &ImportDialog::updateButtons);
    connect(import_, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(pause_, &QPushButton::toggled, this, [this](bool paused) {
        pause_->setText(paused ? tr("Resume") : tr("Pause"));
        importer_->setPaused(paused);
    });
    connect(cancel_, &QPushButton::clicked, importer_, &RecordImporter::cancel);
    connect(importer_, &RecordImporter::checked, this, &ImportDialog::onChecked);
    connect(importer_, &RecordImporter::progress, this, &ImportDialog::onProgress);
    connect(importer_, &RecordImporter::finished, this, &ImportDialog::onFinished);
    updateButtons();
}

void ImportDialog::setFile(const QString& path) {
    path_->setText(path);
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int i =
        format_->findData(suffix == QLatin1String("csv")             ? QStringLiteral("csv")
                          : suffix.startsWith(QLatin1String("json")) ? QStringLiteral("jsonl")
                          : suffix == QLatin1String("txt")           ? QStringLiteral("lines")
                                                                     : QString());
    if (i >= 0 && i != format_->currentIndex())
        format_->setCurrentIndex(i);  // rechecks
    else
        recheck();
}

void ImportDialog::browse() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import records"), path_->text(),
        tr("Record files (*.jsonl *.json *.csv *.txt);;All files (*)"));
    if (!path.isEmpty()) setFile(path);
}

recordfile::ReadOptions ImportDialog::options() const {
    recordfile::ReadOptions o;
    o.format = *recordfile::parseFormat(format_->currentData().toString().toStdString());
    o.keySeparator = keySeparator_->text().toStdString();
    return o;
}

void ImportDialog::recheck() {
    keySeparator_->setEnabled(format_->currentData().toString() == QLatin1String("lines"));
    check_.reset();
    ++checkGeneration_;
    if (path_->text().isEmpty()) {
        count_->clear();
        preview_->setRowCount(0);
    } else {
        count_->setText(tr("Checking %1…").arg(path_->text()));
        importer_->check(path_->text(), options());
    }
    updateButtons();
}

void ImportDialog::onChecked(const ImportCheck& c) {
    // Checks answer in order; only the newest one's answer stands.
    if (++checkAnswered_ != checkGeneration_) return;
    check_ = c;
    preview_->setRowCount(static_cast<int>(c.preview.size()));
    int row = 0;
    for (const auto& e : c.preview) {
        auto set = [&](int col, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            if (!e.ok()) item->setForeground(QColor(0xc0, 0x30, 0x30));
            preview_->setItem(row, col, item);
        };
        set(0, QString::number(e.line));
        if (e.ok()) {
            const auto& r = *e.record;
            set(1, r.partition ? QString::number(*r.partition) : tr("auto"));
            set(2, cell(r.key));
            set(3, cell(r.value));
            QStringList hs;
            for (const auto& h : r.headers)
                hs << QString::fromStdString(h.name) + QLatin1Char('=') + cell(h.value);
            set(4, hs.join(QStringLiteral(", ")));
            set(5, QString());
        } else {
            for (int col = 1; col < 5; ++col)
                set(col, QString());
            set(5, QString::fromStdString(e.error));
        }
        ++row;
    }
    if (!c.failure.isEmpty()) {
        count_->setText(tr("Cannot import: %1").arg(c.failure));
    } else {
        QString text = c.records == 1 ? tr("1 record") : tr("%1 records").arg(c.records);
        if (c.bad > 0)
            text += (c.bad == 1 ? tr(", 1 bad line") : tr(", %1 bad lines").arg(c.bad)) +
                    tr(": nothing is sent unless bad lines are skipped. First: %1")
                        .arg(c.errors.value(0));
        count_->setText(text);
    }
    updateButtons();
}

void ImportDialog::updateButtons() {
    const bool running = importer_->running();
    const bool fileOk = check_ && check_->failure.isEmpty() && check_->records > 0 &&
                        (check_->bad == 0 || skipBad_->isChecked());
    import_->setEnabled(!running && fileOk && !topic_->currentText().trimmed().isEmpty() &&
                        session_->isConnected());
    cancel_->setEnabled(running);
    for (QWidget* w :
         std::initializer_list<QWidget*>{path_, format_, keySeparator_, topic_, rate_, skipBad_})
        w->setEnabled(!running && (w != keySeparator_ ||
                                   format_->currentData().toString() == QLatin1String("lines")));
}

void ImportDialog::startImport() {
    if (!check_ || importer_->running()) return;
    summary_.reset();
    summaryText_->clear();
    progress_->setRange(0, static_cast<int>(std::max<qint64>(1, check_->records)));
    progress_->setValue(0);
    importer_->setPaused(pause_->isChecked());
    importer_->start(check_->path, options(), topic_->currentText().trimmed(),
                     skipBad_->isChecked(), rate_->value());
    updateButtons();
}

void ImportDialog::onProgress(qint64 sent, qint64 delivered, qint64 failed) {
    progress_->setLiveValue(static_cast<int>(std::min<qint64>(sent, progress_->maximum())));
    progress_->setFormat(
        tr("%1 sent, %2 delivered, %3 failed").arg(sent).arg(delivered).arg(failed));
}

void ImportDialog::onFinished(const ImportSummary& s) {
    summary_ = s;
    QStringList lines;
    if (!s.refused.isEmpty()) {
        lines << s.refused;
    } else {
        lines << (s.cancelled ? tr("Cancelled: ") : tr("Done: ")) +
                     tr("%1 sent, %2 delivered, %3 failed, %4 bad lines skipped")
                         .arg(s.sent)
                         .arg(s.delivered)
                         .arg(s.failed)
                         .arg(s.skipped);
        if (s.pending > 0)
            lines << tr("%1 sent but not completed yet (the sender is paused?)").arg(s.pending);
        if (check_ && s.cancelled)
            lines << tr("%1 records of the file not sent")
                         .arg(std::max<qint64>(0, check_->records - s.sent));
        lines += s.failures;
    }
    summaryText_->setPlainText(lines.join(QLatin1Char('\n')));
    updateButtons();
}

}  // namespace bs::ui
