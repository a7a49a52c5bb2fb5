#include "consumer/consumer_record.h"

namespace bs::consumer {

int32_t BatchInfo::lastSequence() const {
    if (baseSequence < 0) return -1;
    // Sequences wrap at INT32_MAX (Java: DefaultRecordBatch.incrementSequence).
    const int64_t s = static_cast<int64_t>(baseSequence) + lastOffsetDelta;
    return static_cast<int32_t>(s > INT32_MAX ? s - INT32_MAX - 1 : s);
}

ConsumerRecords::Span ConsumerRecords::copy(std::optional<Bytes> b) {
    Span s;
    if (!b) return s;
    s.pos = arena_.size();
    s.len = static_cast<int64_t>(b->size());
    arena_.insert(arena_.end(), b->begin(), b->end());
    return s;
}

void ConsumerRecords::addRecord(const protocol::Record& r, int64_t timestamp, bool firstInBatch) {
    Entry e;
    e.batch = batches_.size() - 1;
    e.offset = r.offset;
    e.timestamp = timestamp;
    e.key = copy(r.key);
    e.value = copy(r.value);
    e.firstHeader = headerEntries_.size();
    e.headerCount = 0;
    e.firstInBatch = firstInBatch;
    protocol::RecordHeaderIterator it(r);
    protocol::RecordHeader h;
    while (it.next(h)) {
        HeaderEntry he;
        he.key = copy(Bytes(reinterpret_cast<const uint8_t*>(h.key.data()), h.key.size()));
        he.value = h.valueNull ? Span{} : copy(h.value);
        headerEntries_.push_back(he);
        ++e.headerCount;
    }
    entries_.push_back(e);
    headersBuilt_ = false;
}

void ConsumerRecords::clear() {
    batches_.clear();
    entries_.clear();
    headerEntries_.clear();
    arena_.clear();
    headers_.clear();
    headersBuilt_ = false;
}

ConsumerRecord ConsumerRecords::operator[](size_t i) const {
    if (!headersBuilt_) {
        headers_.clear();
        headers_.reserve(headerEntries_.size());
        for (const HeaderEntry& he : headerEntries_) {
            Bytes k = view(he.key);
            Header h{std::string_view(reinterpret_cast<const char*>(k.data()), k.size()),
                     std::nullopt};
            if (he.value.len >= 0) h.value = view(he.value);
            headers_.push_back(h);
        }
        headersBuilt_ = true;
    }
    const Entry& e = entries_[i];
    ConsumerRecord r;
    r.batch = &batches_[e.batch];
    r.offset = e.offset;
    r.timestamp = e.timestamp;
    if (e.key.len >= 0) r.key = view(e.key);
    if (e.value.len >= 0) r.value = view(e.value);
    r.headers = std::span<const Header>(headers_.data() + e.firstHeader, e.headerCount);
    r.firstInBatch = e.firstInBatch;
    return r;
}

}  // namespace bs::consumer
