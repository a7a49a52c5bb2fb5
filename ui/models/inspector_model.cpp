#include "models/inspector_model.h"

#include <QBrush>
#include <QFont>
#include <algorithm>

#include "models/inspector_format.h"

namespace bs::ui {

namespace {

std::shared_ptr<const consumer::Deserializer> makeDeserializer(const QString& name,
                                                               Status* status) {
    auto d = consumer::createDeserializer(name.toStdString());
    if (!d) {
        *status = Status(d.error());
        return nullptr;
    }
    return std::shared_ptr<const consumer::Deserializer>(std::move(*d));
}

bool sameBatch(const consumer::ConsumerRecord& a, const consumer::ConsumerRecord& b) {
    return a.partition() == b.partition() && a.batch->baseOffset == b.batch->baseOffset;
}

}  // namespace

InspectorModel::InspectorModel(QObject* parent, int cap)
    : QAbstractTableModel(parent), cap_(std::max(cap, kPageSize)) {
    Status ignored;
    keyDeser_ = makeDeserializer(QStringLiteral("string"), &ignored);
    valueDeser_ = makeDeserializer(QStringLiteral("string"), &ignored);
}

void InspectorModel::start(const InspectorQuery& query) {
    beginResetModel();
    query_ = query;
    rows_.clear();
    loaded_.clear();
    loading_ = false;
    searchResult_ = false;
    endResetModel();
}

void InspectorModel::applyPage(const InspectorPage& page) {
    if (page.topic != query_.topic) return;
    if (page.kind == PageKind::Initial || page.kind == PageKind::Search) {
        beginResetModel();
        searchResult_ = page.kind == PageKind::Search;
        rows_.clear();
        loaded_.clear();
        for (const auto& ref : page.records) {
            const uint8_t band = rows_.empty()
                                     ? 0
                                     : (sameBatch(rows_.back().ref.record(), ref.record())
                                            ? rows_.back().band
                                            : static_cast<uint8_t>(rows_.back().band ^ 1));
            rows_.push_back(Row{ref, band, std::nullopt, std::nullopt});
        }
        mergeBounds(page);
        endResetModel();
        return;
    }
    mergeBounds(page);
    if (page.kind == PageKind::Older) {
        prepend(page.records);
        const int over = static_cast<int>(rows_.size()) - cap_;
        if (over > 0) trimBack(over);
    } else {
        append(page.records);
        const int over = static_cast<int>(rows_.size()) - cap_;
        if (over > 0) trimFront(over);
    }
}

void InspectorModel::mergeBounds(const InspectorPage& page) {
    for (const auto& [p, b] : page.partitions) {
        auto it = loaded_.find(p);
        if (it == loaded_.end() || page.kind == PageKind::Initial ||
            page.kind == PageKind::Search) {
            loaded_[p] = Loaded{b.from, b.next, b.begin, b.end, b.to};
            continue;
        }
        Loaded& l = it->second;
        l.begin = b.begin;
        l.end = std::max(l.end, b.end);
        if (page.kind == PageKind::Older)
            l.low = std::min(l.low, b.from);
        else
            l.high = std::max(l.high, b.next);
    }
}

void InspectorModel::append(const std::vector<InspectorRecordRef>& records) {
    if (records.empty()) return;
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(records.size()) - 1);
    for (const auto& ref : records) {
        uint8_t band = 0;
        if (!rows_.empty()) {
            const Row& prev = rows_.back();
            band = sameBatch(prev.ref.record(), ref.record()) ? prev.band
                                                              : static_cast<uint8_t>(prev.band ^ 1);
        }
        rows_.push_back(Row{ref, band, std::nullopt, std::nullopt});
    }
    endInsertRows();
}

void InspectorModel::prepend(const std::vector<InspectorRecordRef>& records) {
    if (records.empty()) return;
    beginInsertRows({}, 0, static_cast<int>(records.size()) - 1);
    // Bands continue upwards from the current first row, so no existing row changes colour.
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
        uint8_t band = 0;
        if (!rows_.empty()) {
            const Row& next = rows_.front();
            band = sameBatch(next.ref.record(), it->record()) ? next.band
                                                              : static_cast<uint8_t>(next.band ^ 1);
        }
        rows_.push_front(Row{*it, band, std::nullopt, std::nullopt});
    }
    endInsertRows();
}

void InspectorModel::trimFront(int n) {
    beginRemoveRows({}, 0, n - 1);
    for (int i = 0; i < n; ++i) {
        const auto r = rows_.front().ref.record();
        auto& l = loaded_[r.partition()];
        l.low = std::max<qint64>(l.low, r.offset + 1);
        rows_.pop_front();
    }
    endRemoveRows();
}

void InspectorModel::trimBack(int n) {
    const int count = static_cast<int>(rows_.size());
    beginRemoveRows({}, count - n, count - 1);
    for (int i = 0; i < n; ++i) {
        const auto r = rows_.back().ref.record();
        auto& l = loaded_[r.partition()];
        l.high = std::min<qint64>(l.high, r.offset);
        rows_.pop_back();
    }
    endRemoveRows();
}

int InspectorModel::rowOf(int partition, qint64 offset) const {
    for (size_t i = 0; i < rows_.size(); ++i) {
        const auto r = rows_[i].ref.record();
        if (r.partition() == partition && r.offset == offset) return static_cast<int>(i);
    }
    return -1;
}

std::vector<InspectorSpan> InspectorModel::newerSpans() const {
    std::vector<InspectorSpan> spans;
    if (searchResult_) return spans;  // the matches of a scan: nothing to page around them
    for (const auto& [p, l] : loaded_) {
        const qint64 limit = l.to >= 0 ? std::min(l.to, l.end) : l.end;
        if (l.high < limit) spans.push_back({p, l.high, l.to});
    }
    return spans;
}

std::vector<InspectorSpan> InspectorModel::olderSpans(int maxRecords) const {
    std::vector<InspectorSpan> spans;
    if (searchResult_) return spans;
    for (const auto& [p, l] : loaded_)
        if (l.low > l.begin) spans.push_back({p, l.begin, l.low});
    if (spans.empty()) return spans;
    const qint64 per = std::max<qint64>(1, maxRecords / static_cast<qint64>(spans.size()));
    for (auto& s : spans)
        s.from = std::max(s.from, s.to - per);
    return spans;
}

std::vector<InspectorSpan> InspectorModel::followSpans() const {
    std::vector<InspectorSpan> spans;
    if (searchResult_) return spans;
    for (const auto& [p, l] : loaded_)
        if (l.to < 0 || l.high < l.to) spans.push_back({p, l.high, l.to});
    return spans;
}

bool InspectorModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !loading_ && !newerSpans().empty();
}

void InspectorModel::fetchMore(const QModelIndex& parent) {
    if (canFetchMore(parent)) Q_EMIT newerWanted();
}

void InspectorModel::fetchOlder() {
    if (canFetchOlder()) Q_EMIT olderWanted();
}

Status InspectorModel::setKeyDeserializer(const QString& name) {
    return setDeserializer(Key, name);
}

Status InspectorModel::setValueDeserializer(const QString& name) {
    return setDeserializer(Value, name);
}

Status InspectorModel::setDeserializer(int column, const QString& name) {
    Status st;
    auto d = makeDeserializer(name, &st);
    if (!d) return st;
    (column == Key ? keyDeser_ : valueDeser_) = std::move(d);
    invalidate(column);
    return {};
}

void InspectorModel::invalidate(int column) {
    for (auto& r : rows_)
        (column == Key ? r.key : r.value).reset();
    if (!rows_.empty()) Q_EMIT dataChanged(index(0, column), index(rowCount() - 1, column));
}

void InspectorModel::setTimeDisplay(TimeDisplay display, const Clock& clock) {
    timeDisplay_ = display;
    clock_ = &clock;
    Q_EMIT headerDataChanged(Qt::Horizontal, Timestamp, Timestamp);
    if (!rows_.empty()) Q_EMIT dataChanged(index(0, Timestamp), index(rowCount() - 1, Timestamp));
}

void InspectorModel::setColors(QColor bandA, QColor bandB, QColor dim, QColor warn) {
    bandA_ = bandA;
    bandB_ = bandB;
    dim_ = dim;
    warn_ = warn;
    if (!rows_.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const SchemaDecoding* InspectorModel::schemaDecoding(int row, bool key) const {
    return shownDecoding(rows_[static_cast<size_t>(row)].ref, key);
}

const SchemaDecoding* InspectorModel::shownDecoding(const InspectorRecordRef& ref, bool key) const {
    const SchemaDecoding* d = key ? ref.keySchema.get() : ref.valueSchema.get();
    if (!d) return nullptr;
    const std::string_view name = (key ? keyDeser_ : valueDeser_)->name();
    if (name != "string" && name != "json" && name != "bytes") return nullptr;
    return d;
}

const InspectorModel::Rendered& InspectorModel::field(const Row& row, bool key) const {
    auto& cache = key ? row.key : row.value;
    if (!cache) {
        if (const SchemaDecoding* d = shownDecoding(row.ref, key)) {
            cache = d->ok ? Rendered{previewText(d->oneLine), false, true}
                          : Rendered{QStringLiteral("⚠ undecodable: ") + previewText(d->error),
                                     false, false};
            return *cache;
        }
        const auto r = row.ref.record();
        const FieldText t = renderField(key ? *keyDeser_ : *valueDeser_, key ? r.key : r.value);
        cache = Rendered{t.ok ? previewText(t.text) : QStringLiteral("⚠ ") + previewText(t.text),
                         t.isNull, t.ok};
    }
    return *cache;
}

int InspectorModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int InspectorModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InspectorModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& row = rows_[static_cast<size_t>(index.row())];
    const int col = index.column();
    switch (role) {
        case BandRole:
            return row.band;
        case Qt::BackgroundRole:
            if (!bandA_.isValid()) return {};
            return QBrush(row.band ? bandB_ : bandA_);
        case Qt::ForegroundRole:
            if (col == Key || col == Value) {
                const Rendered& f = field(row, col == Key);
                if (!f.ok && warn_.isValid()) return QBrush(warn_);
                if (f.isNull && dim_.isValid()) return QBrush(dim_);
            }
            return {};
        case Qt::FontRole:
            if ((col == Key || col == Value) && field(row, col == Key).isNull) {
                QFont f;
                f.setItalic(true);
                return f;
            }
            return {};
        case Qt::TextAlignmentRole:
            if (col == Offset || col == Partition || col == Size)
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
            break;
        default:
            return {};
    }
    const auto r = row.ref.record();
    const bool tip = role == Qt::ToolTipRole;
    switch (col) {
        case Offset:
            return QVariant::fromValue<qint64>(r.offset);
        case Partition:
            return r.partition();
        case Timestamp:
            if (tip)
                return tr("%1 ms since the epoch (%2)")
                    .arg(r.timestamp)
                    .arg(QString::fromUtf8(protocol::timestampTypeName(r.timestampType()).data()));
            return formatTime(r.timestamp, timeDisplay_, clock_->wallMs());
        case Key:
        case Value: {
            if (!tip) return field(row, col == Key).preview;
            const FieldText t =
                renderField(col == Key ? *keyDeser_ : *valueDeser_, col == Key ? r.key : r.value);
            return t.text.left(2000);
        }
        case Headers:
            return headersPreview(r.headers);
        case Size:
            if (tip)
                return tr("key %1 B, value %2 B, %3 headers (batch: %4 B)")
                    .arg(std::max(r.serializedKeySize(), 0))
                    .arg(std::max(r.serializedValueSize(), 0))
                    .arg(r.headers.size())
                    .arg(r.batch->sizeInBytes);
            return QVariant::fromValue<qint64>(payloadSize(r));
        case Batch: {
            if (!tip) return batchSummary(*r.batch);
            QStringList lines;
            for (const auto& [k, v] : batchFields(*r.batch))
                lines << k + QStringLiteral(": ") + v;
            return lines.join(QLatin1Char('\n'));
        }
        default:
            return {};
    }
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Size:
                return tr("Bytes of key + value + headers");
            case Batch:
                return tr(
                    "The stored RecordBatch: base offset, record count, compression. Rows "
                    "of one batch share a background band.");
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    static const char* const names[] = {
        QT_TR_NOOP("Offset"), QT_TR_NOOP("Partition"), QT_TR_NOOP("Timestamp (UTC)"),
        QT_TR_NOOP("Key"),    QT_TR_NOOP("Value"),     QT_TR_NOOP("Headers"),
        QT_TR_NOOP("Size"),   QT_TR_NOOP("Batch")};
    if (section < 0 || section >= ColumnCount) return {};
    if (section == Timestamp) return timeColumnTitle(timeDisplay_);
    return tr(names[section]);
}

}  // namespace bs::ui
