#include "widgets/topic_inspector.h"

#include <QActionGroup>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/inspector_format.h"
#include "models/record_export.h"
#include "models/replay_draft.h"
#include "session/cluster_session.h"
#include "theme.h"
#include "widgets/inspector_search_bar.h"

namespace bs::ui {

namespace {

QString esc(const QString& s) {
    return s.toHtmlEscaped();
}

QString row(const QString& label, const QString& value) {
    return QStringLiteral("<tr><td style='padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(esc(label), value);
}

// Epoch ms, or a date-time "yyyy-MM-dd HH:mm[:ss[.zzz]]" read as UTC.
std::optional<qint64> parseTimestamp(const QString& text) {
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok) return ms;
    for (const char* fmt : {"yyyy-MM-dd HH:mm:ss.zzz", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
                            "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd"}) {
        QDateTime t = QDateTime::fromString(text.trimmed(), QString::fromLatin1(fmt));
        if (t.isValid()) {
            t.setTimeZone(QTimeZone::utc());
            return t.toMSecsSinceEpoch();
        }
    }
    return std::nullopt;
}

}  // namespace

TopicInspector::TopicInspector(ClusterSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      model_(new InspectorModel(this)),
      reader_(new InspectorReader(this)) {
    buildUi();
    connect(session_, &ClusterSession::connected, this, &TopicInspector::onConnected);
    connect(session_, &ClusterSession::recordLocated, this, &TopicInspector::onLocated);
    connect(reader_, &InspectorReader::pageReady, this, &TopicInspector::onPage);
    connect(model_, &InspectorModel::newerWanted, this, &TopicInspector::requestNewer);
    connect(model_, &InspectorModel::olderWanted, this, &TopicInspector::requestOlder);
    applyColors();
    if (session_->isConnected()) onConnected();
    updateStatus();
}

void TopicInspector::buildUi() {
    topic_ = new QComboBox;
    topic_->setObjectName(QStringLiteral("topic"));
    topic_->setEditable(true);
    topic_->setInsertPolicy(QComboBox::NoInsert);
    topic_->setMinimumContentsLength(14);
    topic_->setToolTip(tr("Topic to read (from the cluster's metadata)"));
    partition_ = new QComboBox;
    partition_->setObjectName(QStringLiteral("partition"));
    partition_->setToolTip(tr("One partition, or all of them"));
    partition_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    start_ = new QComboBox;
    start_->setObjectName(QStringLiteral("start"));
    start_->addItem(tr("earliest"), static_cast<int>(InspectorStart::Earliest));
    start_->addItem(tr("latest"), static_cast<int>(InspectorStart::Latest));
    start_->addItem(tr("offset"), static_cast<int>(InspectorStart::Offset));
    start_->addItem(tr("timestamp"), static_cast<int>(InspectorStart::Timestamp));
    start_->addItem(tr("newest N"), static_cast<int>(InspectorStart::NewestN));
    start_->setToolTip(tr("Where each partition is read from (ListOffsets)"));
    startValue_ = new QLineEdit;
    startValue_->setObjectName(QStringLiteral("startValue"));
    startValue_->setMaximumWidth(fontMetrics().averageCharWidth() * 24);
    until_ = new QLineEdit;
    until_->setObjectName(QStringLiteral("until"));
    until_->setPlaceholderText(tr("end"));
    until_->setToolTip(tr("Last offset to show (a range); empty reads to the end"));
    until_->setMaximumWidth(fontMetrics().averageCharWidth() * 14);
    readButton_ = new QPushButton(tr("Read"));
    readButton_->setObjectName(QStringLiteral("read"));
    readButton_->setToolTip(tr("Fetch from the start position"));
    follow_ = new QToolButton;
    follow_->setObjectName(QStringLiteral("follow"));
    follow_->setText(tr("Follow"));
    follow_->setCheckable(true);
    follow_->setToolTip(tr("Keep polling and append records as they arrive (tail)"));
    older_ = new QPushButton(tr("Older"));
    older_->setObjectName(QStringLiteral("older"));
    older_->setToolTip(tr("Load the page before the first loaded record"));

    keyDeser_ = new QComboBox;
    keyDeser_->setObjectName(QStringLiteral("keyDeserializer"));
    valueDeser_ = new QComboBox;
    valueDeser_->setObjectName(QStringLiteral("valueDeserializer"));
    for (const QString& d : inspectorDeserializers()) {
        keyDeser_->addItem(d);
        valueDeser_->addItem(d);
    }
    keyDeser_->setToolTip(tr("Key deserializer"));
    valueDeser_->setToolTip(tr("Value deserializer"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("status"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* bar1 = new QHBoxLayout;
    bar1->addWidget(new QLabel(tr("Topic")));
    bar1->addWidget(topic_, 2);
    bar1->addWidget(partition_);
    bar1->addWidget(new QLabel(tr("from")));
    bar1->addWidget(start_);
    bar1->addWidget(startValue_, 1);
    bar1->addWidget(new QLabel(tr("until")));
    bar1->addWidget(until_, 1);
    auto* exportButton = new QToolButton;
    exportButton->setObjectName(QStringLiteral("export"));
    exportButton->setText(tr("Export…"));
    exportButton->setAutoRaise(true);
    exportButton->setToolTip(
        tr("Write the loaded records to a JSON Lines or CSV file, which "
           "File ▸ Import records… reads back unchanged"));
    connect(exportButton, &QToolButton::clicked, this, &TopicInspector::exportDialog);
    bar1->addWidget(exportButton);
    auto* bar2 = new QHBoxLayout;
    bar2->addWidget(readButton_);
    bar2->addWidget(follow_);
    bar2->addWidget(older_);
    // The search row shows on demand: a short window keeps its rows for records.
    auto* searchToggle = new QToolButton;
    searchToggle->setObjectName(QStringLiteral("showSearch"));
    searchToggle->setText(tr("Search…"));
    searchToggle->setCheckable(true);
    searchToggle->setShortcut(QKeySequence::Find);
    searchToggle->setToolTip(
        tr("Search the topic by key, value, header, JSON path or time "
           "(%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    bar1->addWidget(searchToggle);
    bar2->addSpacing(8);
    bar2->addWidget(new QLabel(tr("key as")));
    bar2->addWidget(keyDeser_);
    bar2->addWidget(new QLabel(tr("value as")));
    bar2->addWidget(valueDeser_);
    bar2->addWidget(status_, 1);

    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("records"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(false);  // the bands are per batch, not per row
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    const int cw = fontMetrics().averageCharWidth();
    table_->setColumnWidth(InspectorModel::Offset, cw * 9);
    const int pad = 2 * cw + 8;
    table_->setColumnWidth(InspectorModel::Partition,
                           fontMetrics().horizontalAdvance(tr("Partition")) + pad);
    table_->setColumnWidth(
        InspectorModel::Timestamp,
        fontMetrics().horizontalAdvance(QStringLiteral("2026-11-25 12:04:03.167")) + pad);
    table_->setColumnWidth(InspectorModel::Key, cw * 14);
    table_->setColumnWidth(InspectorModel::Value, cw * 26);
    table_->setColumnWidth(InspectorModel::Headers, cw * 16);
    table_->setColumnWidth(InspectorModel::Size, cw * 7);

    detail_ = new QTextBrowser;
    detail_->setObjectName(QStringLiteral("detail"));
    detail_->setOpenLinks(false);
    payloadField_ = new QComboBox;
    payloadField_->setObjectName(QStringLiteral("payloadField"));
    payloadField_->addItems({tr("Value"), tr("Key")});
    payloadMode_ = new QComboBox;
    payloadMode_->setObjectName(QStringLiteral("payloadMode"));
    payloadMode_->addItems({tr("Deserialized"), tr("Hex"), tr("Pretty JSON")});
    payload_ = new QPlainTextEdit;
    payload_->setObjectName(QStringLiteral("payload"));
    payload_->setReadOnly(true);
    payload_->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    payload_->setFont(mono);
    auto* payloadBar = new QHBoxLayout;
    payloadBar->addWidget(payloadField_);
    payloadBar->addWidget(payloadMode_);
    payloadBar->addStretch(1);
    auto* payloadBox = new QWidget;
    auto* payloadCol = new QVBoxLayout(payloadBox);
    payloadCol->setContentsMargins(0, 0, 0, 0);
    payloadCol->addLayout(payloadBar);
    payloadCol->addWidget(payload_, 1);
    // Tabs, not a split: the dock is often short.
    auto* detailTabs = new QTabWidget;
    detailTabs->addTab(detail_, tr("Record · batch · storage"));
    detailTabs->addTab(payloadBox, tr("Key / value bytes"));

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(table_);
    split->addWidget(detailTabs);
    // Even halves: the detail pane (record, batch, storage) was a sliver beside the table.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(4, 4, 4, 4);
    col->setSpacing(3);
    col->addLayout(bar1);
    col->addLayout(bar2);
    search_ = new InspectorSearchBar;
    search_->hide();
    connect(searchToggle, &QToolButton::toggled, search_, &QWidget::setVisible);
    col->addWidget(search_);
    col->addWidget(split, 1);

    updateStartHint();
    connect(start_, &QComboBox::currentIndexChanged, this, &TopicInspector::updateStartHint);
    connect(readButton_, &QPushButton::clicked, this, &TopicInspector::read);
    connect(startValue_, &QLineEdit::returnPressed, this, &TopicInspector::read);
    connect(until_, &QLineEdit::returnPressed, this, &TopicInspector::read);
    connect(topic_, &QComboBox::activated, this, [this] {
        updatePartitions();
        read();
    });
    connect(partition_, &QComboBox::activated, this, &TopicInspector::read);
    connect(follow_, &QToolButton::toggled, this, &TopicInspector::setFollow);
    connect(older_, &QPushButton::clicked, model_, &InspectorModel::fetchOlder);
    connect(search_, &InspectorSearchBar::searchRequested, this, &TopicInspector::search);
    connect(search_, &InspectorSearchBar::stopRequested, reader_, &InspectorReader::stopSearch);
    connect(reader_, &InspectorReader::searchProgress, search_, &InspectorSearchBar::showProgress);
    connect(table_->verticalScrollBar(), &QAbstractSlider::actionTriggered, this, [this] {
        // The user scrolled to the top (wheel, keys or bar; not a model reset): the page
        // before. The view's own fetchMore covers the bottom.
        QScrollBar* bar = table_->verticalScrollBar();
        if (bar->sliderPosition() == bar->minimum()) model_->fetchOlder();
    });
    auto deser = [this](bool key) {
        QComboBox* box = key ? keyDeser_ : valueDeser_;
        const Status st = key ? model_->setKeyDeserializer(box->currentText())
                              : model_->setValueDeserializer(box->currentText());
        error_ = st.ok() ? QString() : QString::fromStdString(st.message());
        showDetail();
        updateStatus();
    };
    connect(keyDeser_, &QComboBox::currentIndexChanged, this, [deser] { deser(true); });
    connect(valueDeser_, &QComboBox::currentIndexChanged, this, [deser] { deser(false); });
    connect(payloadField_, &QComboBox::currentIndexChanged, this, &TopicInspector::updatePayload);
    connect(payloadMode_, &QComboBox::currentIndexChanged, this, &TopicInspector::updatePayload);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TopicInspector::onCurrentRowChanged);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = table_->indexAt(pos);
        if (!index.isValid()) return;
        QMenu menu(this);
        QAction* again = menu.addAction(tr("Send again…"));
        again->setToolTip(
            tr("Open this record in the composer (key, value and headers "
               "byte for byte) to send it to this or another topic"));
        menu.addMenu(timeMenu(&menu));
        if (menu.exec(table_->viewport()->mapToGlobal(pos)) == again) sendAgain(index.row());
    });
    // The header too: right-click "Timestamp (UTC)" to show local or relative time.
    table_->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint& pos) {
                QMenu menu(this);
                menu.addMenu(timeMenu(&menu));
                menu.exec(table_->horizontalHeader()->mapToGlobal(pos));
            });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        // The selection model forgets the current row without a signal.
        shown_.reset();
        location_.reset();
        showDetail();
        updateStatus();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this, &TopicInspector::updateStatus);
    connect(model_, &QAbstractItemModel::rowsRemoved, this, &TopicInspector::updateStatus);
}

void TopicInspector::updateStartHint() {
    const auto kind = static_cast<InspectorStart>(start_->currentData().toInt());
    startValue_->setEnabled(kind == InspectorStart::Offset || kind == InspectorStart::Timestamp ||
                            kind == InspectorStart::NewestN);
    switch (kind) {
        case InspectorStart::Offset:
            startValue_->setPlaceholderText(tr("offset"));
            break;
        case InspectorStart::Timestamp:
            startValue_->setPlaceholderText(tr("epoch ms or yyyy-MM-dd HH:mm:ss (UTC)"));
            break;
        case InspectorStart::NewestN:
            startValue_->setPlaceholderText(tr("N per partition"));
            break;
        default:
            startValue_->setPlaceholderText(QString());
    }
}

void TopicInspector::onConnected() {
    // A producer recreated on the same cluster (new settings) keeps what is shown.
    if (session_->clientProperties() != reader_->connection()) {
        reader_->setConnection(session_->clientProperties());
        reader_->setSchemaRegistryUrl(session_->schemaRegistryUrl());
        setFollow(false);
        search_->abandon();  // its results would never come
        pendingSelect_.reset();
        model_->start(InspectorQuery{});
        error_.clear();
    }
    setClusterInfo(session_->clusterInfo());
    if (topic_->currentText().isEmpty() && !session_->connection().topic.isEmpty())
        topic_->setCurrentText(session_->connection().topic);
    updatePartitions();
    updateStatus();
}

void TopicInspector::setClusterInfo(const ClusterInfo& info) {
    cluster_ = info;
    QStringList names;
    for (const auto& t : info.topics)
        names << t.name;
    QStringList current;
    for (int i = 0; i < topic_->count(); ++i)
        current << topic_->itemText(i);
    if (names != current) {
        const QString text = topic_->currentText();
        const QSignalBlocker block(topic_);
        topic_->clear();
        topic_->addItems(names);
        topic_->setCurrentText(text.isEmpty() && !names.isEmpty() ? names.front() : text);
    }
    updatePartitions();
}

void TopicInspector::updatePartitions() {
    int n = -1;
    for (const auto& t : cluster_.topics)
        if (t.name == topic_->currentText()) n = static_cast<int>(t.partitions.size());
    if (n < 0) n = session_->partitionCount(topic_->currentText());
    if (n < 0) n = 0;
    if (partition_->count() == n + 1) return;
    const int was = partition_->currentIndex();
    const QSignalBlocker block(partition_);
    partition_->clear();
    partition_->addItem(tr("all partitions"), -1);
    for (int p = 0; p < n; ++p)
        partition_->addItem(tr("partition %1").arg(p), p);
    partition_->setCurrentIndex(was >= 0 && was < partition_->count() ? was : 0);
}

std::optional<InspectorQuery> TopicInspector::queryFromControls(QString& error) const {
    InspectorQuery q;
    q.topic = topic_->currentText().trimmed();
    if (q.topic.isEmpty()) {
        error = tr("choose a topic");
        return std::nullopt;
    }
    q.partition = partition_->currentIndex() >= 0 ? partition_->currentData().toInt() : -1;
    q.start = static_cast<InspectorStart>(start_->currentData().toInt());
    const QString v = startValue_->text().trimmed();
    bool ok = true;
    switch (q.start) {
        case InspectorStart::Offset:
        case InspectorStart::NewestN:
            q.value = v.toLongLong(&ok);
            if (!ok || q.value < 0) {
                error = tr("'%1' is not a non-negative number (%2)").arg(v, start_->currentText());
                return std::nullopt;
            }
            break;
        case InspectorStart::Timestamp: {
            auto ts = parseTimestamp(v);
            if (!ts) {
                error = tr("'%1' is not a timestamp: epoch ms or yyyy-MM-dd HH:mm:ss (UTC)").arg(v);
                return std::nullopt;
            }
            q.value = *ts;
            break;
        }
        default:
            break;
    }
    const QString u = until_->text().trimmed();
    if (!u.isEmpty()) {
        q.until = u.toLongLong(&ok);
        if (!ok || q.until < 0) {
            error = tr("'%1' is not an offset (until)").arg(u);
            return std::nullopt;
        }
    }
    return q;
}

void TopicInspector::read() {
    QString error;
    auto q = queryFromControls(error);
    if (!q) {
        error_ = error;
        updateStatus();
        return;
    }
    if (!session_->isConnected()) {
        error_ = tr("not connected");
        updateStatus();
        return;
    }
    // The embedded cluster knows its topics at once; elsewhere the reader's metadata decides.
    if (session_->embedded() && session_->partitionCount(q->topic) < 0) {
        error_ = tr("unknown topic '%1'").arg(q->topic);
        model_->start(InspectorQuery{});
        updateStatus();
        return;
    }
    error_.clear();
    search_->abandon();
    reader_->setConnection(session_->clientProperties());
    reader_->setSchemaRegistryUrl(session_->schemaRegistryUrl());
    model_->start(*q);
    model_->setLoading(true);
    reader_->open(*q, InspectorModel::kPageSize);
    updateStatus();
}

void TopicInspector::search() {
    QString error;
    auto q = queryFromControls(error);
    if (!q) return search_->showError(error);
    if (!session_->isConnected()) return search_->showError(tr("not connected"));
    if (session_->embedded() && session_->partitionCount(q->topic) < 0)
        return search_->showError(tr("unknown topic '%1'").arg(q->topic));
    auto spec = search_->spec(error);
    if (!spec) return search_->showError(error);
    auto filter = consumer::RecordFilter::create(*spec);
    if (!filter) return search_->showError(QString::fromStdString(filter.error().message));
    setFollow(false);
    pendingSelect_.reset();
    error_.clear();
    reader_->setConnection(session_->clientProperties());
    reader_->setSchemaRegistryUrl(session_->schemaRegistryUrl());
    model_->start(*q);
    model_->setLoading(true);
    search_->setRunning(true);
    reader_->search(*q, std::make_shared<const consumer::RecordFilter>(std::move(*filter)),
                    search_->scanLimit(), model_->cap());
    updateStatus();
}

void TopicInspector::showRecord(const QString& topic, int partition, qint64 offset) {
    setFollow(false);
    topic_->setCurrentText(topic);
    updatePartitions();
    const int pi = partition_->findData(partition);
    if (pi >= 0) partition_->setCurrentIndex(pi);
    start_->setCurrentIndex(start_->findData(static_cast<int>(InspectorStart::Offset)));
    startValue_->setText(QString::number(std::max<qint64>(0, offset - kJumpContext)));
    until_->clear();
    pendingSelect_ = std::pair<int, qint64>{partition, offset};
    pendingReplay_ = false;
    read();
}

void TopicInspector::replayRecord(const QString& topic, int partition, qint64 offset) {
    showRecord(topic, partition, offset);
    pendingReplay_ = pendingSelect_.has_value();
}

QMenu* TopicInspector::timeMenu(QWidget* parent) {
    auto* menu = new QMenu(tr("Time shown as"), parent);
    auto* group = new QActionGroup(menu);
    for (auto [display, label] :
         {std::pair{TimeDisplay::Utc, tr("UTC")}, std::pair{TimeDisplay::Local, tr("Local time")},
          std::pair{TimeDisplay::Relative, tr("Relative (age)")}}) {
        QAction* a = menu->addAction(label);
        a->setCheckable(true);
        a->setChecked(model_->timeDisplay() == display);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, d = display] { setTimeDisplay(d); });
    }
    return menu;
}

void TopicInspector::setTimeDisplay(TimeDisplay display) {
    model_->setTimeDisplay(display);
}

bool TopicInspector::sendAgain(int row) {
    if (row < 0 || row >= model_->rowCount()) return false;
    Q_EMIT replayRequested(replayDraft(model_->query().topic, model_->record(row)));
    return true;
}

bool TopicInspector::following() const {
    return follow_->isChecked();
}

void TopicInspector::setFollow(bool on) {
    if (follow_->isChecked() != on) {
        follow_->setChecked(on);  // re-enters through toggled()
        return;
    }
    if (!on) return;
    if (model_->loaded().empty() || model_->query().topic != topic_->currentText().trimmed())
        read();  // the Initial page's arrival continues with followNext()
    else
        followNext();
}

void TopicInspector::followNext() {
    if (!following() || reader_->busy()) return;
    auto spans = model_->followSpans();
    if (spans.empty()) return;  // nothing to tail (a range read to its end)
    model_->setLoading(true);
    reader_->read(PageKind::Follow, std::move(spans), InspectorModel::kPageSize);
}

void TopicInspector::requestNewer() {
    if (reader_->busy()) return;
    auto spans = model_->newerSpans();
    if (spans.empty()) return;
    model_->setLoading(true);
    reader_->read(PageKind::Newer, std::move(spans), InspectorModel::kPageSize);
    updateStatus();
}

void TopicInspector::requestOlder() {
    if (reader_->busy()) return;
    auto spans = model_->olderSpans(InspectorModel::kPageSize);
    if (spans.empty()) return;
    model_->setLoading(true);
    reader_->read(PageKind::Older, std::move(spans), InspectorModel::kPageSize);
    updateStatus();
}

void TopicInspector::onPage(const std::shared_ptr<const InspectorPage>& page) {
    QScrollBar* bar = table_->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    const int rowsBefore = model_->rowCount();
    model_->setLoading(false);
    model_->applyPage(*page);
    error_ = page->error;
    const int prepended = static_cast<int>(page->records.size());
    if (page->kind == PageKind::Older && prepended > 0 && rowsBefore > 0 &&
        prepended < model_->rowCount()) {
        // Keep the row that was on top in place: the new rows are above it (a cap trims below).
        table_->scrollTo(model_->index(prepended, 0), QAbstractItemView::PositionAtTop);
    } else if (page->kind == PageKind::Follow && atBottom && !page->records.empty()) {
        table_->scrollToBottom();
    }
    if (page->kind == PageKind::Initial && pendingSelect_) {
        const int r = model_->rowOf(pendingSelect_->first, pendingSelect_->second);
        if (r >= 0) {
            table_->selectRow(r);
            table_->scrollTo(model_->index(r, 0), QAbstractItemView::PositionAtCenter);
            if (pendingReplay_) sendAgain(r);
        } else if (error_.isEmpty()) {
            error_ = tr("offset %1 of partition %2 is not in the log")
                         .arg(pendingSelect_->second)
                         .arg(pendingSelect_->first);
        }
        pendingSelect_.reset();
        pendingReplay_ = false;
    }
    if (!page->error.isEmpty())
        setFollow(false);  // no retry loop against a failing cluster
    else if (following())
        followNext();
    updateStatus();
}

int TopicInspector::selectedRow() const {
    const QModelIndex cur = table_->selectionModel()->currentIndex();
    return cur.isValid() ? cur.row() : -1;
}

void TopicInspector::onCurrentRowChanged() {
    const int r = selectedRow();
    if (r < 0) {
        shown_.reset();
        location_.reset();
        showDetail();
        return;
    }
    const auto rec = model_->record(r);
    const std::pair<int, qint64> id{rec.partition(), rec.offset};
    if (shown_ == id) return;  // the same record, moved by a prepend
    shown_ = id;
    location_.reset();
    if (session_->embedded()) session_->requestLocate(model_->query().topic, id.first, id.second);
    showDetail();
}

void TopicInspector::onLocated(const QString& topic, int partition, qint64 offset,
                               const RecordLocation& loc) {
    if (topic != model_->query().topic || !shown_ || shown_->first != partition ||
        shown_->second != offset)
        return;
    location_ = loc;
    showDetail();
}

void TopicInspector::showDetail() {
    const int r = selectedRow();
    if (r < 0) {
        detail_->setHtml(tr("<i>Select a record for its fields, headers, batch and storage.</i>"));
        payload_->clear();
        return;
    }
    const auto rec = model_->record(r);
    const consumer::BatchInfo& b = *rec.batch;
    const QString dim = ViewColors::from(palette()).dim.name();
    QString html = QStringLiteral("<b>%1-%2 @ %3</b><table>")
                       .arg(esc(model_->query().topic))
                       .arg(rec.partition())
                       .arg(rec.offset);
    html +=
        row(tr("timestamp"),
            QStringLiteral("%1 (%2, %3)")
                .arg(rec.timestamp)
                .arg(esc(formatTimestamp(rec.timestamp)))
                .arg(QString::fromUtf8(protocol::timestampTypeName(rec.timestampType()).data())));
    for (const bool key : {true, false}) {
        const consumer::Deserializer& deser =
            key ? model_->keyDeserializer() : model_->valueDeserializer();
        const int size = std::max(key ? rec.serializedKeySize() : rec.serializedValueSize(), 0);
        const SchemaDecoding* schema = model_->schemaDecoding(r, key);
        QString format = QString::fromUtf8(deser.name().data());
        QString text;
        if (schema && schema->ok) {
            format = schema->format;
            text = schema->oneLine;
        } else if (schema) {
            text = tr("undecodable: %1").arg(schema->error);
        } else {
            text = renderField(deser, key ? rec.key : rec.value).text;
        }
        html += row((key ? tr("key (%1, %2 B)") : tr("value (%1, %2 B)")).arg(format).arg(size),
                    esc(previewText(text, 200)));
        if (schema && schema->schemaId >= 0) {
            // The schema the bytes name: subject and version when the registry says which
            // subject holds the id, else the id alone.
            QString where = tr("id %1").arg(schema->schemaId);
            if (!schema->subject.isEmpty())
                where += tr(" · subject %1 · version %2").arg(schema->subject).arg(schema->version);
            if (!schema->format.isEmpty()) where += QStringLiteral(" · ") + schema->format;
            html += row(key ? tr("key schema") : tr("value schema"), esc(where));
        }
    }
    html += QStringLiteral("</table><b>%1</b>").arg(tr("Headers (%1)").arg(rec.headers.size()));
    if (!rec.headers.empty()) {
        html += QStringLiteral("<table>");
        for (const auto& h : rec.headers)
            html += row(QString::fromUtf8(h.key.data(), static_cast<qsizetype>(h.key.size())),
                        esc(headerValueText(h.value)));
        html += QStringLiteral("</table>");
    } else {
        html += QStringLiteral("<br>");
    }
    html += QStringLiteral("<b>%1</b><table>").arg(tr("Batch (RecordBatch v2 header)"));
    for (const auto& [label, value] : batchFields(b))
        html += row(label, esc(value));
    html += QStringLiteral("</table><b>%1</b><table>").arg(tr("Storage"));
    if (!session_->embedded()) {
        html += row(tr("segment"), QStringLiteral("<span style='color:%1'>%2</span>")
                                       .arg(dim, tr("known only for the embedded cluster")));
    } else if (!location_) {
        html += row(tr("segment"), tr("locating…"));
    } else if (!location_->ok()) {
        html += row(tr("segment"), esc(location_->error));
    } else {
        html += row(tr("segment file"), esc(location_->segmentPath));
        html += row(tr("segment base offset"), QString::number(location_->segmentBaseOffset));
        html += row(tr("batch position"), tr("byte %1 (%2 bytes, offsets %3..%4)")
                                              .arg(location_->position)
                                              .arg(location_->sizeInBytes)
                                              .arg(location_->batchBaseOffset)
                                              .arg(location_->batchLastOffset));
    }
    html += QStringLiteral("</table>");
    detail_->setHtml(html);
    updatePayload();
}

void TopicInspector::updatePayload() {
    const int r = selectedRow();
    if (r < 0) {
        payload_->clear();
        return;
    }
    const auto rec = model_->record(r);
    const bool key = payloadField_->currentIndex() == 1;
    const auto& bytes = key ? rec.key : rec.value;
    QString text;
    if (!bytes) {
        text = QStringLiteral("null");
    } else {
        switch (payloadMode_->currentIndex()) {
            case 1:
                text = hexDump(*bytes);
                break;
            case 2: {
                QString error;
                auto json = prettyJson(*bytes, &error);
                text = json ? *json : error;
                break;
            }
            default: {
                if (const SchemaDecoding* schema = model_->schemaDecoding(r, key)) {
                    // Decoded with the registry: pretty JSON; undecodable: the reason and hex.
                    text = schema->ok ? schema->json
                                      : tr("undecodable: %1").arg(schema->error) +
                                            QStringLiteral("\n\n") + hexDump(*bytes);
                    break;
                }
                const FieldText t = renderField(
                    key ? model_->keyDeserializer() : model_->valueDeserializer(), bytes);
                text = t.text;
            }
        }
    }
    payload_->setPlainText(text);
}

void TopicInspector::updateStatus() {
    older_->setEnabled(model_->canFetchOlder());
    QString s;
    if (!error_.isEmpty()) {
        s = QStringLiteral("<span style='color:%1'>%2</span>")
                .arg(ViewColors::from(palette()).error.name(), error_.toHtmlEscaped());
    } else if (model_->query().topic.isEmpty()) {
        s = tr("Choose a topic and Read.");
    } else {
        qint64 newer = 0, older = 0;
        for (const auto& [p, l] : model_->loaded()) {
            const qint64 limit = l.to >= 0 ? std::min(l.to, l.end) : l.end;
            newer += std::max<qint64>(0, limit - l.high);
            older += std::max<qint64>(0, l.low - l.begin);
        }
        s = tr("%1 records of %2 partition(s) · %3 older · %4 newer")
                .arg(model_->rowCount())
                .arg(model_->loaded().size())
                .arg(older)
                .arg(newer);
        if (model_->isSearchResult()) s = tr("%1 matching records").arg(model_->rowCount());
        if (model_->loading()) s += tr(" · reading…");
        if (following()) s += tr(" · following");
    }
    status_->setText(s);
}

void TopicInspector::applyColors() {
    const ViewColors c = ViewColors::from(palette());
    model_->setColors(c.laneA, c.laneB, c.dim, c.warn);
}

void TopicInspector::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        applyColors();
        showDetail();
    }
    QWidget::changeEvent(event);
}

QString TopicInspector::exportLoaded(const QString& path, recordfile::Format format) const {
    std::vector<recordfile::FileRecord> records;
    records.reserve(static_cast<size_t>(model_->rowCount()));
    for (int row = 0; row < model_->rowCount(); ++row)
        records.push_back(fileRecordOf(model_->record(row)));
    return writeRecordFile(path, format, records);
}

void TopicInspector::exportDialog() {
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export records"), QString(), tr("JSON Lines (*.jsonl);;CSV (*.csv)"), &filter);
    if (path.isEmpty()) return;
    const bool csv = filter.contains(QLatin1String("csv")) ||
                     path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
    const QString err =
        exportLoaded(path, csv ? recordfile::Format::Csv : recordfile::Format::JsonLines);
    error_ = err;
    if (err.isEmpty())
        status_->setText(tr("%1 records exported to %2").arg(model_->rowCount()).arg(path));
    else
        updateStatus();
}

}  // namespace bs::ui
