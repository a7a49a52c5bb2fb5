#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "consumer/deserializers.h"
#include "models/inspector_page.h"
#include "models/time_display.h"

namespace bs::ui {

// The records the topic inspector shows, loaded lazily in pages (InspectorReader): newer pages
// are appended (fetchMore, or Follow), older ones prepended (fetchOlder). Within each
// partition rows are in offset order. Rows of one stored batch share a band (alternating
// background per batch). Capped: past the cap the rows at the far end are dropped and can be
// loaded again. Keys and values are rendered with the chosen deserializers when painted.
// GUI thread only.
class InspectorModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { Offset, Partition, Timestamp, Key, Value, Headers, Size, Batch, ColumnCount };
    enum Role { BandRole = Qt::UserRole + 1 };  // 0/1: which background band the row is in
    static constexpr int kDefaultCap = 20000;
    static constexpr int kPageSize = 500;

    explicit InspectorModel(QObject* parent = nullptr, int cap = kDefaultCap);

    // Forgets every row; pages of the query (from the reader) fill it again.
    void start(const InspectorQuery& query);
    // A page from the reader: Initial replaces the rows, Newer/Follow append, Older prepends.
    void applyPage(const InspectorPage& page);
    const InspectorQuery& query() const { return query_; }
    // The rows are a search's matches (a Search page): no newer, older or Follow reads.
    bool isSearchResult() const { return searchResult_; }

    consumer::ConsumerRecord record(int row) const {
        return rows_[static_cast<size_t>(row)].ref.record();
    }
    // The Schema Registry decoding of the row's key or value that the cells show: set when the
    // bytes are in Confluent's wire format, a registry is known, and the chosen deserializer is
    // a text one (string, json, bytes: a fixed-width number is an explicit choice); else null.
    const SchemaDecoding* schemaDecoding(int row, bool key) const;
    // The row of partition@offset, -1 when it is not loaded.
    int rowOf(int partition, qint64 offset) const;
    int band(int row) const { return rows_[static_cast<size_t>(row)].band; }
    int cap() const { return cap_; }
    // The loaded offsets [low, high) and the log's [begin, end) of each partition read.
    struct Loaded {
        qint64 low = 0, high = 0;  // rows cover [low, high) (gaps are records we skip)
        qint64 begin = 0, end = 0;
        qint64 to = -1;  // the query's range limit, -1 = none
    };
    const std::map<int, Loaded>& loaded() const { return loaded_; }

    // Spans of the next newer page (empty: nothing newer to read now), of the next older page,
    // and of a Follow read past the end (up to the range's end, if any).
    std::vector<InspectorSpan> newerSpans() const;
    std::vector<InspectorSpan> olderSpans(int maxRecords = kPageSize) const;
    std::vector<InspectorSpan> followSpans() const;
    bool canFetchOlder() const { return !loading_ && !olderSpans().empty(); }
    // While a read is outstanding the view's fetchMore asks for nothing more.
    void setLoading(bool loading) { loading_ = loading; }
    bool loading() const { return loading_; }

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void fetchOlder();

    // Short name or Java class name (deserializers.h); an error leaves the choice unchanged.
    Status setKeyDeserializer(const QString& name);
    Status setValueDeserializer(const QString& name);
    const consumer::Deserializer& keyDeserializer() const { return *keyDeser_; }
    const consumer::Deserializer& valueDeserializer() const { return *valueDeser_; }

    // How the Timestamp column shows time; Relative counts from `clock`'s wall time (outlives
    // the model), read when a row is painted.
    void setTimeDisplay(TimeDisplay display, const Clock& clock = SystemClock::instance());
    TimeDisplay timeDisplay() const { return timeDisplay_; }

    // Band backgrounds and the colours for null / undecodable fields (from the palette).
    void setColors(QColor bandA, QColor bandB, QColor dim, QColor warn);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  Q_SIGNALS:
    void newerWanted();
    void olderWanted();

  private:
    struct Rendered {
        QString preview;
        bool isNull = false;
        bool ok = true;
    };
    struct Row {
        InspectorRecordRef ref;
        uint8_t band = 0;
        // Rendered previews, made on first paint and dropped when a deserializer changes.
        mutable std::optional<Rendered> key, value;
    };
    void append(const std::vector<InspectorRecordRef>& records);
    void prepend(const std::vector<InspectorRecordRef>& records);
    void trimFront(int n);
    void trimBack(int n);
    void mergeBounds(const InspectorPage& page);
    const Rendered& field(const Row& row, bool key) const;
    const SchemaDecoding* shownDecoding(const InspectorRecordRef& ref, bool key) const;
    Status setDeserializer(int column, const QString& name);
    void invalidate(int column);

    InspectorQuery query_;
    std::deque<Row> rows_;
    std::map<int, Loaded> loaded_;
    int cap_;
    bool loading_ = false;
    bool searchResult_ = false;
    TimeDisplay timeDisplay_ = TimeDisplay::Utc;
    const Clock* clock_ = &SystemClock::instance();
    std::shared_ptr<const consumer::Deserializer> keyDeser_, valueDeser_;
    QColor bandA_, bandB_, dim_, warn_;
};

}  // namespace bs::ui
