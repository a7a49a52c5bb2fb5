#include "broker/storage/producer_state.h"

#include <limits>

namespace bs::broker {

using protocol::ErrorCode;

namespace {

// Kafka's ProducerAppendInfo.inSequence: next follows last, wrapping from INT32_MAX to 0.
bool inSequence(int32_t lastSeq, int32_t nextSeq) {
    return int64_t{nextSeq} == int64_t{lastSeq} + 1 ||
           (nextSeq == 0 && lastSeq == std::numeric_limits<int32_t>::max());
}

std::string describe(const protocol::RecordBatchHeader& batch) {
    return "producer " + std::to_string(batch.producerId) + " epoch " +
           std::to_string(batch.producerEpoch) + " sequences " +
           std::to_string(batch.baseSequence) + ".." + std::to_string(batch.lastSequence());
}

}  // namespace

std::optional<BatchMetadata> ProducerStateEntry::findDuplicate(int16_t epoch, int32_t firstSeq,
                                                               int32_t lastSeq) const {
    if (epoch != producerEpoch_) return std::nullopt;
    for (size_t i = 0; i < count_; ++i) {
        const BatchMetadata& b = batch(i);
        if (b.firstSeq == firstSeq && b.lastSeq == lastSeq) return b;
    }
    return std::nullopt;
}

void ProducerStateEntry::addBatch(int16_t epoch, const BatchMetadata& metadata) {
    if (epoch != producerEpoch_) {
        producerEpoch_ = epoch;
        head_ = 0;
        count_ = 0;
    }
    if (count_ == kNumBatchesToRetain) {
        ring_[head_] = metadata;  // overwrite the oldest
        head_ = (head_ + 1) % kNumBatchesToRetain;
    } else {
        ring_[(head_ + count_) % kNumBatchesToRetain] = metadata;
        ++count_;
    }
    lastTimestamp_ = metadata.timestamp;
}

ProducerAppendCheck ProducerStateManager::check(const protocol::RecordBatchHeader& batch) const {
    ProducerAppendCheck result;
    if (batch.producerId < 0) return result;
    if (batch.baseSequence < 0 || batch.producerEpoch < 0) {
        result.error = ErrorCode::INVALID_RECORD;
        result.message =
            describe(batch) + ": an idempotent batch needs epoch >= 0 and sequence >= 0";
        return result;
    }
    const int32_t firstSeq = batch.baseSequence;
    const ProducerStateEntry* entry = find(batch.producerId);
    if (entry == nullptr) {
        if (firstSeq != 0 && policy_ == UnknownProducerIdPolicy::Reject) {
            result.error = ErrorCode::UNKNOWN_PRODUCER_ID;
            result.message = describe(batch) +
                             ": this partition has no state for the producer "
                             "and its first batch does not start at sequence 0";
        }
        return result;
    }
    if (auto duplicate =
            entry->findDuplicate(batch.producerEpoch, firstSeq, batch.lastSequence())) {
        result.duplicateOf = duplicate;
        return result;
    }
    if (batch.producerEpoch < entry->producerEpoch()) {
        result.error = ErrorCode::INVALID_PRODUCER_EPOCH;
        result.message = describe(batch) + ": epoch is smaller than the last seen epoch " +
                         std::to_string(entry->producerEpoch());
        return result;
    }
    if (batch.producerEpoch != entry->producerEpoch()) {
        if (firstSeq != 0) {
            result.error = ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER;
            result.message = describe(batch) + ": a new epoch (last seen " +
                             std::to_string(entry->producerEpoch()) + ") must start at sequence 0";
        }
        return result;
    }
    if (!inSequence(entry->lastSeq(), firstSeq)) {
        result.error = ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER;
        result.message = describe(batch) + ": expected sequence " +
                         std::to_string(entry->lastSeq() == std::numeric_limits<int32_t>::max()
                                            ? 0
                                            : entry->lastSeq() + 1) +
                         " after the last appended sequence " + std::to_string(entry->lastSeq());
    }
    return result;
}

void ProducerStateManager::update(const protocol::RecordBatchHeader& batch) {
    if (batch.producerId < 0) return;
    auto [it, inserted] = producers_.try_emplace(batch.producerId, batch.producerId);
    (void)inserted;
    it->second.addBatch(batch.producerEpoch,
                        BatchMetadata{batch.baseSequence, batch.lastSequence(), batch.baseOffset,
                                      batch.lastOffset(), batch.maxTimestamp});
}

const ProducerStateEntry* ProducerStateManager::find(int64_t producerId) const {
    auto it = producers_.find(producerId);
    return it == producers_.end() ? nullptr : &it->second;
}

size_t ProducerStateManager::removeExpiredProducers(int64_t nowMs, int64_t expirationMs) {
    return std::erase_if(producers_, [&](const auto& kv) {
        return nowMs - kv.second.lastTimestamp() >= expirationMs;
    });
}

}  // namespace bs::broker
