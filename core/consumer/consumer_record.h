#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client/topic_partition.h"
#include "protocol/record/record_batch.h"

namespace bs::consumer {

using client::TopicPartition;
using Bytes = std::span<const uint8_t>;

// The stored RecordBatch a record came in (its v2 header as fetched).
struct BatchInfo {
    TopicPartition tp;
    int64_t baseOffset = 0;
    int32_t lastOffsetDelta = 0;
    int32_t recordCount = 0;
    protocol::CompressionType compression = protocol::CompressionType::None;
    protocol::TimestampType timestampType = protocol::TimestampType::CreateTime;
    int64_t baseTimestamp = -1;
    int64_t maxTimestamp = -1;
    int64_t producerId = -1;
    int16_t producerEpoch = -1;
    int32_t baseSequence = -1;
    int32_t partitionLeaderEpoch = -1;
    bool isTransactional = false;
    bool isControl = false;
    uint32_t crc = 0;
    int32_t sizeInBytes = 0;  // the whole batch, header included

    int64_t lastOffset() const { return baseOffset + lastOffsetDelta; }
    int32_t lastSequence() const;
};

struct Header {
    std::string_view key;
    std::optional<Bytes> value;
};

// One fetched record (Java: ConsumerRecord<byte[], byte[]>). A view: valid while the
// ConsumerRecords it came from lives.
struct ConsumerRecord {
    const BatchInfo* batch = nullptr;
    int64_t offset = 0;
    int64_t timestamp = -1;  // LogAppendTime batches: the batch's maxTimestamp (as Java)
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    std::span<const Header> headers;
    // True for the first record of its batch returned to the caller (a batch boundary).
    bool firstInBatch = false;

    const std::string& topic() const { return batch->tp.topic; }
    int32_t partition() const { return batch->tp.partition; }
    protocol::TimestampType timestampType() const { return batch->timestampType; }
    int32_t leaderEpoch() const { return batch->partitionLeaderEpoch; }
    int32_t serializedKeySize() const { return key ? static_cast<int32_t>(key->size()) : -1; }
    int32_t serializedValueSize() const { return value ? static_cast<int32_t>(value->size()) : -1; }
};

// What poll() returns (Java: ConsumerRecords). Owns the bytes of every key, value and header
// in one arena, so building it costs no per-record allocation; records are in fetch order
// (per partition in offset order). Movable, not copyable.
class ConsumerRecords {
  public:
    ConsumerRecords() = default;
    ConsumerRecords(ConsumerRecords&&) = default;
    ConsumerRecords& operator=(ConsumerRecords&&) = default;
    ConsumerRecords(const ConsumerRecords&) = delete;
    ConsumerRecords& operator=(const ConsumerRecords&) = delete;

    size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    ConsumerRecord operator[](size_t i) const;
    const std::vector<BatchInfo>& batches() const { return batches_; }

    class Iterator {
      public:
        Iterator(const ConsumerRecords* r, size_t i) : r_(r), i_(i) {}
        ConsumerRecord operator*() const { return (*r_)[i_]; }
        Iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator==(const Iterator& o) const { return i_ == o.i_; }

      private:
        const ConsumerRecords* r_;
        size_t i_;
    };
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, entries_.size()}; }

    // Building (the Fetcher).
    void addBatch(BatchInfo info) { batches_.push_back(std::move(info)); }
    // Appends a record of the last added batch; copies its bytes into the arena.
    void addRecord(const protocol::Record& r, int64_t timestamp, bool firstInBatch);
    void clear();

  private:
    struct Span {
        size_t pos = 0;
        int64_t len = -1;  // -1 = null
    };
    struct HeaderEntry {
        Span key, value;
    };
    struct Entry {
        size_t batch;
        int64_t offset;
        int64_t timestamp;
        Span key, value;
        size_t firstHeader, headerCount;
        bool firstInBatch;
    };
    Span copy(std::optional<Bytes> b);
    Bytes view(Span s) const { return Bytes(arena_.data() + s.pos, static_cast<size_t>(s.len)); }

    std::vector<BatchInfo> batches_;
    std::vector<Entry> entries_;
    std::vector<HeaderEntry> headerEntries_;
    std::vector<uint8_t> arena_;
    // Header views into arena_, rebuilt on first access after an addRecord (the arena may have
    // moved). Single-threaded like the rest of the class.
    mutable std::vector<Header> headers_;
    mutable bool headersBuilt_ = false;
};

}  // namespace bs::consumer
