#include "widgets/record_composer.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "icons.h"
#include "schema_formats.h"
#include "session/send_service.h"
#include "session/session_interfaces.h"
#include "widgets/live_progress_bar.h"
#include "widgets/schema_picker.h"

namespace bs::ui {

namespace {
QString serializerTip(const QString& name) {
    if (name == QLatin1String("string")) return QObject::tr("UTF-8 text (StringSerializer)");
    if (name == QLatin1String("int")) return QObject::tr("32-bit big-endian (IntegerSerializer)");
    if (name == QLatin1String("long")) return QObject::tr("64-bit big-endian (LongSerializer)");
    if (name == QLatin1String("double"))
        return QObject::tr("IEEE 754 big-endian (DoubleSerializer)");
    if (name == QLatin1String("bytes"))
        return QObject::tr("Hex bytes, e.g. 0a ff 10 (ByteArraySerializer)");
    if (name == QLatin1String("uuid")) return QObject::tr("Canonical UUID text (UUIDSerializer)");
    if (name == QLatin1String("json")) return QObject::tr("RFC 8259 JSON sent as UTF-8");
    if (name == QLatin1String("null")) return QObject::tr("Kafka null (VoidSerializer)");
    if (isSchemaFormatName(name))
        return QObject::tr(
                   "JSON checked against a Schema Registry schema and sent in Confluent's "
                   "wire format (%1)")
            .arg(name);
    return {};
}

QComboBox* serializerBox(QWidget* parent, const QString& initial) {
    auto* box = new QComboBox(parent);
    for (const QString& s : composerSerializers()) {
        box->addItem(s);
        box->setItemData(box->count() - 1, serializerTip(s), Qt::ToolTipRole);
    }
    box->setCurrentText(initial);
    return box;
}
}  // namespace

RecordComposer::RecordComposer(const TopicDirectory* topics, SendService* sends, QWidget* parent)
    : QWidget(parent), topics_(topics), sends_(sends) {
    auto* form = new QFormLayout;
    form_ = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setContentsMargins(0, 0, 0, 0);
    form->setVerticalSpacing(3);

    topic_ = new QComboBox(this);
    topic_->setEditable(true);
    topic_->setInsertPolicy(QComboBox::NoInsert);
    topic_->setObjectName(QStringLiteral("topic"));
    topic_->setToolTip(tr("Topic to send to (Kafka name rules: [a-zA-Z0-9._-], up to 249)"));
    topicError_ = makeErrorLabel(QStringLiteral("topicError"));
    form->addRow(tr("&Topic"), topic_);
    form->addRow(QString(), topicError_);

    partition_ = new QSpinBox(this);
    partition_->setObjectName(QStringLiteral("partition"));
    partition_->setRange(-1, 99999);
    partition_->setSpecialValueText(tr("auto (partitioner)"));
    partition_->setValue(-1);
    partition_->setToolTip(tr("An explicit partition always wins over the partitioner"));
    partitionError_ = makeErrorLabel(QStringLiteral("partitionError"));
    form->addRow(tr("&Partition"), partition_);
    form->addRow(QString(), partitionError_);

    keySer_ = serializerBox(this, QStringLiteral("string"));
    keySer_->setObjectName(QStringLiteral("keySerializer"));
    key_ = new QLineEdit(QStringLiteral("user-${n}"), this);
    key_->setObjectName(QStringLiteral("key"));
    key_->setPlaceholderText(
        tr("key (templates: ${n} ${uuid} ${time} ${now.iso} ${random.int(a,b)} "
           "${random.choice(a|b)})"));
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(keySer_);
    keyRow->addWidget(key_, 1);
    keyError_ = makeErrorLabel(QStringLiteral("keyError"));
    form->addRow(tr("Key"), keyRow);
    keyPicker_ = new SchemaPicker(true, this);
    keyPicker_->setObjectName(QStringLiteral("keySchema"));
    form->addRow(tr("Key schema"), keyPicker_);
    form->addRow(QString(), keyError_);

    valueSer_ = serializerBox(this, QStringLiteral("json"));
    valueSer_->setObjectName(QStringLiteral("valueSerializer"));
    value_ = new QPlainTextEdit(this);
    value_->setObjectName(QStringLiteral("value"));
    value_->setPlainText(QStringLiteral("{\"n\": ${n}, \"msg\": \"hello\"}"));
    value_->setTabChangesFocus(true);
    value_->setMaximumHeight(fontMetrics().lineSpacing() * 3 + 12);
    auto* valueCol = new QVBoxLayout;
    valueCol->setSpacing(2);
    valueCol->addWidget(valueSer_, 0, Qt::AlignLeft);
    valueCol->addWidget(value_);
    valueError_ = makeErrorLabel(QStringLiteral("valueError"));
    form->addRow(tr("Value"), valueCol);
    valuePicker_ = new SchemaPicker(false, this);
    valuePicker_->setObjectName(QStringLiteral("valueSchema"));
    form->addRow(tr("Value schema"), valuePicker_);
    form->addRow(QString(), valueError_);

    headers_ = new QTableWidget(0, 3, this);
    headers_->setObjectName(QStringLiteral("headers"));
    headers_->setHorizontalHeaderLabels({tr("Header"), tr("Value"), tr("hex")});
    headers_->horizontalHeaderItem(1)->setToolTip(
        tr("UTF-8 text (templates allowed), or hex "
           "bytes when 'hex' is checked"));
    headers_->horizontalHeaderItem(2)->setToolTip(
        tr("The value is hex bytes (0a ff 10): headers need not be UTF-8"));
    headers_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    headers_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    headers_->verticalHeader()->hide();
    headers_->setMaximumHeight(fontMetrics().lineSpacing() * 3 + 8);
    auto* addHeader = new QToolButton(this);
    addHeader->setText(QStringLiteral("+"));
    addHeader->setToolTip(tr("Add a header"));
    auto* delHeader = new QToolButton(this);
    delHeader->setText(QStringLiteral("−"));
    delHeader->setToolTip(tr("Remove the selected header"));
    auto* hdrButtons = new QVBoxLayout;
    hdrButtons->addWidget(addHeader);
    hdrButtons->addWidget(delHeader);
    hdrButtons->addStretch();
    auto* hdrRow = new QHBoxLayout;
    hdrRow->addWidget(headers_, 1);
    hdrRow->addLayout(hdrButtons);
    headersError_ = makeErrorLabel(QStringLiteral("headersError"));
    form->addRow(tr("Headers"), hdrRow);
    form->addRow(QString(), headersError_);

    explicitTs_ = new QCheckBox(tr("explicit"), this);
    explicitTs_->setToolTip(tr("Unchecked: the producer stamps the time at send()"));
    timestamp_ = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    timestamp_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    timestamp_->setEnabled(false);
    auto* tsRow = new QHBoxLayout;
    tsRow->addWidget(explicitTs_);
    tsRow->addWidget(timestamp_, 1);
    form->addRow(tr("Timestamp"), tsRow);

    send_ = new QPushButton(makeIcon(IconKind::Send), tr("Send"), this);
    send_->setObjectName(QStringLiteral("send"));
    send_->setDefault(true);
    send_->setToolTip(tr("Send one record (Ctrl+Return); ${n} counts single sends: 1, 2, 3, …"));
    count_ = new QSpinBox(this);
    count_->setObjectName(QStringLiteral("repeatCount"));
    count_->setRange(1, 100000000);
    count_->setValue(100);
    count_->setPrefix(tr("× "));
    count_->setToolTip(tr("How many records to send"));
    rate_ = new QDoubleSpinBox(this);
    rate_->setObjectName(QStringLiteral("repeatRate"));
    rate_->setRange(0, 1000000);
    rate_->setDecimals(1);
    rate_->setValue(10);
    rate_->setSuffix(tr(" rec/s"));
    rate_->setSpecialValueText(tr("max rate"));
    rate_->setToolTip(tr("Records per second (0 = as fast as the producer accepts)"));
    sync_ = new QCheckBox(tr("send().get()"), this);
    sync_->setObjectName(QStringLiteral("repeatSync"));
    sync_->setToolTip(
        tr("Repeat synchronously, as the classic walkthrough's example: each record's future is "
           "waited on (send().get()) before the next send(), so every record travels alone: "
           "one batch, one request, one response each. Unchecked: send() returns at once and "
           "records share batches."));
    repeat_ = new QPushButton(makeIcon(IconKind::Repeat), tr("Repeat"), this);
    repeat_->setObjectName(QStringLiteral("repeat"));
    repeat_->setToolTip(tr("Send N records at R records/s; ${n} counts 1..N"));
    cancel_ = new QPushButton(makeIcon(IconKind::Cancel), tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("cancelRepeat"));
    cancel_->setEnabled(false);
    progress_ = new LiveProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(QStringLiteral("%v / %m"));
    progress_->setMaximumHeight(fontMetrics().height() + 4);
    progress_->setObjectName(QStringLiteral("repeatProgress"));
    progress_->setVisible(false);  // only while a repeat runs ("0 / 1" said nothing)

    // Two short rows, not one long one: the composer's width sets the left column's, which a
    // 1366 px window cannot spare.
    auto* sendRow = new QHBoxLayout;
    sendRow->addWidget(send_);
    sendRow->addStretch(1);
    sendRow->addWidget(repeat_);
    sendRow->addWidget(cancel_);
    auto* repeatRow = new QHBoxLayout;
    repeatRow->addWidget(count_, 1);
    repeatRow->addWidget(rate_, 1);
    repeatRow->addWidget(sync_);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(8, 6, 8, 6);
    col->addLayout(form);
    col->addLayout(sendRow);
    col->addLayout(repeatRow);
    col->addWidget(progress_);
    col->addStretch();

    sendAction_ = new QAction(makeIcon(IconKind::Send), tr("Send record"), this);
    sendAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    sendAction_->setShortcutContext(Qt::ApplicationShortcut);
    connect(sendAction_, &QAction::triggered, this, &RecordComposer::sendOne);

    connect(send_, &QPushButton::clicked, this, &RecordComposer::sendOne);
    connect(repeat_, &QPushButton::clicked, this, &RecordComposer::startRepeat);
    connect(cancel_, &QPushButton::clicked, sends_, &SendService::cancelRepeat);
    connect(addHeader, &QToolButton::clicked, this, [this] {
        addHeaderRow(DraftHeader{QStringLiteral("h"), QString(), false});
        validate();
    });
    connect(delHeader, &QToolButton::clicked, this, [this] {
        if (headers_->currentRow() >= 0) headers_->removeRow(headers_->currentRow());
        validate();
    });
    connect(explicitTs_, &QCheckBox::toggled, timestamp_, &QWidget::setEnabled);
    connect(topic_, &QComboBox::currentTextChanged, this, &RecordComposer::validate);
    connect(partition_, &QSpinBox::valueChanged, this, &RecordComposer::validate);
    connect(keySer_, &QComboBox::currentTextChanged, this, &RecordComposer::updateSchemaPickers);
    connect(valueSer_, &QComboBox::currentTextChanged, this, &RecordComposer::updateSchemaPickers);
    connect(topic_, &QComboBox::currentTextChanged, this, &RecordComposer::updateSchemaPickers);
    for (SchemaPicker* p : {keyPicker_, valuePicker_}) {
        connect(p, &SchemaPicker::changed, this, &RecordComposer::validate);
        connect(p, &SchemaPicker::templateReady, this,
                [this, key = p == keyPicker_](const QString& json) { offerTemplate(key, json); });
    }
    connect(key_, &QLineEdit::textChanged, this, &RecordComposer::validate);
    connect(value_, &QPlainTextEdit::textChanged, this, &RecordComposer::validate);
    connect(headers_, &QTableWidget::itemChanged, this, &RecordComposer::validate);
    connect(sends_, &SendService::repeatProgress, this, [this](qint64 done, qint64 total) {
        progress_->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
        progress_->setLiveValue(static_cast<int>(std::min<qint64>(done, INT_MAX)));
        progress_->setVisible(sends_->repeating());
    });
    connect(sends_, &SendService::repeatFinished, this, [this] {
        progress_->setVisible(false);
        cancel_->setEnabled(false);
        validate();
    });
    updateSchemaPickers();
}

void RecordComposer::setSchemaRegistryUrl(const QString& url) {
    keyPicker_->setRegistryUrl(url);
    valuePicker_->setRegistryUrl(url);
}

void RecordComposer::updateSchemaPickers() {
    const QString topic = topic_->currentText().trimmed();
    for (auto [picker, box] :
         {std::pair{keyPicker_, keySer_}, std::pair{valuePicker_, valueSer_}}) {
        const bool schema = isSchemaFormatName(box->currentText());
        form_->setRowVisible(picker, schema);
        picker->setTopic(topic);
        if (schema) picker->setFormat(box->currentText());
    }
    validate();
}

void RecordComposer::offerTemplate(bool key, const QString& json) {
    QString& last = key ? keyTemplate_ : valueTemplate_;
    const QString now = key ? key_->text() : value_->toPlainText();
    const bool untouched = now.trimmed().isEmpty() || now == last ||
                           now == QLatin1String("user-${n}") ||
                           now == QLatin1String("{\"n\": ${n}, \"msg\": \"hello\"}");
    if (key) {
        // One line: the key is a line edit.
        QString line = json;
        line.replace(QRegularExpression(QStringLiteral("\\s*\n\\s*")), QStringLiteral(" "));
        last = line;
        if (untouched) key_->setText(line);
    } else {
        last = json;
        if (untouched) value_->setPlainText(json);
    }
}

QLabel* RecordComposer::makeErrorLabel(const QString& name) {
    auto* l = new QLabel(this);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #d63333;"));
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    l->setFont(f);
    l->hide();
    return l;
}

void RecordComposer::setFieldError(QWidget* field, QLabel* label, const QString& error) {
    label->setText(error);
    label->setVisible(!error.isEmpty());
    field->setToolTip(error);
    field->setStyleSheet(error.isEmpty() ? QString()
                                         : QStringLiteral("border: 1px solid #d63333;"));
}

void RecordComposer::setTopics(const QStringList& topics) {
    const QString current = topic_->currentText();
    QStringList have;
    for (int i = 0; i < topic_->count(); ++i)
        have << topic_->itemText(i);
    if (have == topics) return;
    const QSignalBlocker block(topic_);
    topic_->clear();
    topic_->addItems(topics);
    topic_->setCurrentText(current.isEmpty() && !topics.isEmpty() ? topics.first() : current);
    updateSchemaPickers();
}

RecordDraft RecordComposer::draft() const {
    RecordDraft d;
    d.topic = topic_->currentText().trimmed();
    if (partition_->value() >= 0) d.partition = partition_->value();
    d.keySerializer = keySer_->currentText();
    d.keyText = key_->text();
    d.valueSerializer = valueSer_->currentText();
    d.valueText = value_->toPlainText();
    if (isSchemaFormatName(d.keySerializer)) d.keySchema = keyPicker_->serializer();
    if (isSchemaFormatName(d.valueSerializer)) d.valueSchema = valuePicker_->serializer();
    for (int r = 0; r < headers_->rowCount(); ++r) {
        auto* k = headers_->item(r, 0);
        auto* v = headers_->item(r, 1);
        auto* hex = headers_->item(r, 2);
        d.headers.push_back({k ? k->text() : QString(), v ? v->text() : QString(),
                             hex && hex->checkState() == Qt::Checked});
    }
    if (explicitTs_->isChecked()) d.timestampMs = timestamp_->dateTime().toMSecsSinceEpoch();
    return d;
}

void RecordComposer::addHeaderRow(const DraftHeader& h) {
    const QSignalBlocker block(headers_);
    const int r = headers_->rowCount();
    headers_->insertRow(r);
    headers_->setItem(r, 0, new QTableWidgetItem(h.key));
    headers_->setItem(r, 1, new QTableWidgetItem(h.value));
    auto* hex = new QTableWidgetItem;
    hex->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    hex->setCheckState(h.hex ? Qt::Checked : Qt::Unchecked);
    headers_->setItem(r, 2, hex);
}

void RecordComposer::setDraft(const RecordDraft& d) {
    {
        const QSignalBlocker b1(topic_), b2(partition_), b3(keySer_), b4(key_), b5(valueSer_),
            b6(value_), b7(explicitTs_);
        topic_->setCurrentText(d.topic);
        partition_->setValue(d.partition.value_or(-1));
        keySer_->setCurrentText(d.keySerializer);
        key_->setText(d.keyText);
        valueSer_->setCurrentText(d.valueSerializer);
        value_->setPlainText(d.valueText);
        headers_->setRowCount(0);
        for (const DraftHeader& h : d.headers)
            addHeaderRow(h);
        explicitTs_->setChecked(d.timestampMs.has_value());
        timestamp_->setEnabled(d.timestampMs.has_value());
        if (d.timestampMs) timestamp_->setDateTime(QDateTime::fromMSecsSinceEpoch(*d.timestampMs));
    }
    updateSchemaPickers();
}

RepeatSettings RecordComposer::repeatSettings() const {
    return RepeatSettings{count_->value(), rate_->value(), sync_->isChecked()};
}

void RecordComposer::setRepeatSettings(const RepeatSettings& r) {
    count_->setValue(static_cast<int>(std::clamp<qint64>(r.count, 1, count_->maximum())));
    rate_->setValue(r.ratePerSec);
    sync_->setChecked(r.synchronous);
}

void RecordComposer::validate() {
    const RecordDraft d = draft();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    key_->setEnabled(d.keySerializer != QLatin1String("null"));
    value_->setEnabled(d.valueSerializer != QLatin1String("null"));

    const QString topicErr = topics_->topicProblem(d.topic);
    setFieldError(topic_, topicError_, topicErr);

    QString partErr;
    if (d.partition) {
        const int n = topics_->partitionCount(d.topic);
        if (n > 0 && *d.partition >= n)
            partErr = tr("partition %1 is out of range: '%2' has %3 partitions (0–%4)")
                          .arg(*d.partition)
                          .arg(d.topic)
                          .arg(n)
                          .arg(n - 1);
    }
    setFieldError(partition_, partitionError_, partErr);

    // A bad template is the field's error: nothing would be sent.
    const QString keyTemplateErr = templateProblem(d.keyText);
    auto key = serializeField(d.keySerializer, expandTemplate(d.keyText, 1, now), d.topic,
                              d.keySchema.get());
    // A schema field without a resolved schema: the picker says why (resolving, unreachable).
    const QString keySchemaErr =
        isSchemaFormatName(d.keySerializer) && !d.keySchema ? keyPicker_->problem() : QString();
    setFieldError(key_, keyError_,
                  !keyTemplateErr.isEmpty() ? keyTemplateErr
                  : !keySchemaErr.isEmpty() ? keySchemaErr
                  : key                     ? QString()
                                            : QString::fromStdString(key.error().message));
    const QString valueTemplateErr = templateProblem(d.valueText);
    auto value = serializeField(d.valueSerializer, expandTemplate(d.valueText, 1, now), d.topic,
                                d.valueSchema.get());
    const QString valueSchemaErr = isSchemaFormatName(d.valueSerializer) && !d.valueSchema
                                       ? valuePicker_->problem()
                                       : QString();
    setFieldError(value_, valueError_,
                  !valueTemplateErr.isEmpty() ? valueTemplateErr
                  : !valueSchemaErr.isEmpty() ? valueSchemaErr
                  : value                     ? QString()
                                              : QString::fromStdString(value.error().message));

    QString hdrErr;
    for (int i = 0; i < d.headers.size(); ++i) {
        if (d.headers[i].key.isEmpty())
            hdrErr = tr("header %1 has no name").arg(i + 1);
        else if (auto b = headerBytes(d.headers[i], 1, now); !b)
            hdrErr = tr("header '%1': %2")
                         .arg(d.headers[i].key, QString::fromStdString(b.error().message));
    }
    setFieldError(headers_, headersError_, hdrErr);

    valid_ = topicErr.isEmpty() && partErr.isEmpty() && key && value && hdrErr.isEmpty() &&
             keyTemplateErr.isEmpty() && valueTemplateErr.isEmpty();
    const bool ready = valid_ && topics_->isConnected();
    send_->setEnabled(ready);
    sendAction_->setEnabled(ready);
    repeat_->setEnabled(ready && !sends_->repeating());
    if (key && topicErr.isEmpty()) Q_EMIT keyChanged(d.topic, *key);
}

void RecordComposer::sendOne() {
    validate();
    if (!send_->isEnabled()) return;
    sends_->send(draft());
}

void RecordComposer::startRepeat() {
    validate();
    if (!repeat_->isEnabled()) return;
    cancel_->setEnabled(true);
    repeat_->setEnabled(false);
    sends_->sendRepeated(draft(), count_->value(), rate_->value(), sync_->isChecked());
}

}  // namespace bs::ui
