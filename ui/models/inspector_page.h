#pragma once

// What the topic inspector reads: the query, the spans of a page, and the page of records the
// InspectorReader (session/inspector_reader.h) hands to the InspectorModel.

#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "consumer/consumer_record.h"

namespace bs::ui {

// Where the topic inspector starts reading each partition.
enum class InspectorStart { Earliest, Latest, Offset, Timestamp, NewestN };

struct InspectorQuery {
    QString topic;
    int partition = -1;  // -1: every partition of the topic
    InspectorStart start = InspectorStart::Earliest;
    qint64 value = 0;   // the offset, the timestamp (epoch ms) or N
    qint64 until = -1;  // last offset to show (a range); -1: up to the end
};

// One partition's share of a read: offsets [from, to); to = -1 reads up to the end.
struct InspectorSpan {
    int partition = 0;
    qint64 from = 0;
    qint64 to = -1;
};

// Initial: the first page of a query. Newer/Older: the pages after/before what is loaded.
// Follow: a long poll past the end that returns as soon as records arrive. Search: the records
// a search scan matched (not contiguous: nothing newer or older is read around them).
enum class PageKind { Initial, Newer, Older, Follow, Search };

// A partition's offsets as one read saw them.
struct PartitionBounds {
    qint64 begin = 0;  // log start offset
    qint64 end = 0;    // log end offset (high watermark)
    qint64 from = 0;   // where the read started
    qint64 next = 0;   // the offset after the last one read (a newer read continues here)
    qint64 to = -1;    // the span's exclusive limit, -1 = none
};

// A key or value in Confluent's wire format (magic byte 0, schema id) as the reader decoded it
// with the connection's Schema Registry (session/schema_decoder.h): pretty JSON with the schema
// id, subject, version and format, or why it is undecodable. Immutable.
struct SchemaDecoding {
    bool ok = false;
    QString json;     // indented JSON (ok)
    QString oneLine;  // the deserializer's single line (ok)
    QString error;    // why it is undecodable (!ok)
    int schemaId = -1;
    QString subject;  // empty when the registry does not say which subject holds the id
    int version = 0;
    QString format;  // "avro", ...; empty when the id did not resolve
};

// A record of a page: a view into the ConsumerRecords chunk it came in, which the reference
// keeps alive (one shared arena per poll, no copy per record).
struct InspectorRecordRef {
    std::shared_ptr<const consumer::ConsumerRecords> chunk;
    uint32_t index = 0;
    // Set by the reader for a key/value that starts with the magic byte when a registry is known.
    std::shared_ptr<const SchemaDecoding> keySchema, valueSchema;
    consumer::ConsumerRecord record() const { return (*chunk)[index]; }
};

// What one read returns. Built on the reader's worker, then owned by the GUI thread: chunks are
// not thread-safe (lazily built header views), so only the GUI thread reads them afterwards.
struct InspectorPage {
    quint64 generation = 0;
    PageKind kind = PageKind::Initial;
    QString topic;
    std::vector<InspectorRecordRef> records;  // ordered by partition, then offset
    std::map<int, PartitionBounds> partitions;
    QString error;
};

// How far a search scan is (InspectorReader::search): sent while it runs and once at the end.
struct SearchProgress {
    quint64 generation = 0;
    qint64 scanned = 0;  // records looked at
    qint64 matched = 0;  // of which matched (kept up to the match limit)
    struct Position {
        qint64 next = 0;  // the next offset the scan would read
        qint64 stop = 0;  // where it stops (end of the log when it started, or the range's end)
        qint64 from = 0;  // where it started
    };
    std::map<int, Position> partitions;
    bool done = false;
    bool hitScanLimit = false;   // stopped after `scanLimit` records: later ones not looked at
    bool hitMatchLimit = false;  // stopped after the most matches kept
    bool stopped = false;        // the user stopped it
    QString error;
};

}  // namespace bs::ui
