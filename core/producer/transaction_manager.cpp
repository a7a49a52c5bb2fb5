#include "producer/transaction_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

namespace bs::producer {

using protocol::ErrorCode;

namespace {
// Sequences wrap at INT32_MAX (Java: DefaultRecordBatch.incrementSequence).
int32_t incrementSequence(int32_t sequence, int32_t increment) {
    if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
    return sequence + increment;
}
bool sameProducer(const ProducerStateProvider::ProducerIdAndEpoch& a,
                  const ProducerStateProvider::ProducerIdAndEpoch& b) {
    return a.producerId == b.producerId && a.epoch == b.epoch;
}
}  // namespace

TransactionManager::PartitionEntry& TransactionManager::entry(const TopicPartition& tp) {
    auto [it, inserted] = partitions_.try_emplace(tp);
    if (inserted) it->second.producerIdAndEpoch = current_;
    return it->second;
}

const TransactionManager::PartitionEntry* TransactionManager::find(const TopicPartition& tp) const {
    auto it = partitions_.find(tp);
    return it == partitions_.end() ? nullptr : &it->second;
}

ProducerStateProvider::ProducerIdAndEpoch TransactionManager::producerIdAndEpoch() const {
    std::lock_guard lock(mu_);
    // While a (re-)initialisation is pending nothing new may be drained (Java: the producer id
    // is invalid until InitProducerId completes).
    if (initInFlight_ || epochBumpRequired_) return {};
    return current_;
}

bool TransactionManager::hasInflightBatches(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    const PartitionEntry* e = find(tp);
    return e && !e->inflight.empty();
}

bool TransactionManager::hasStaleProducerIdAndEpoch(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    const PartitionEntry* e = find(tp);
    return e && !sameProducer(e->producerIdAndEpoch, current_);
}

bool TransactionManager::hasUnresolvedSequence(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    return unresolved_.count(tp) > 0;
}

void TransactionManager::markSequenceUnresolved(const ProducerBatch& batch) {
    if (!batch.hasSequence()) return;
    std::lock_guard lock(mu_);
    const int32_t next = incrementSequence(batch.lastSequence(), 1);
    auto [it, inserted] = unresolved_.try_emplace(batch.topicPartition(), next);
    if (!inserted) it->second = std::max(it->second, next);
}

void TransactionManager::maybeResolveSequences() {
    std::lock_guard lock(mu_);
    for (auto it = unresolved_.begin(); it != unresolved_.end();) {
        const PartitionEntry* e = find(it->first);
        if (e && !e->inflight.empty()) {
            ++it;
            continue;
        }
        // All drained: resolved if the acknowledged sequences reach the next one to send.
        if (e && !isNextSequence(*e, e->nextSequence)) requestEpochBumpLocked(it->first);
        it = unresolved_.erase(it);
    }
}

int32_t TransactionManager::firstInFlightSequence(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    const PartitionEntry* e = find(tp);
    if (!e || e->inflight.empty()) return -1;
    return (*e->inflight.begin())->baseSequence();
}

void TransactionManager::maybeUpdateProducerIdAndEpoch(const TopicPartition& tp) {
    std::lock_guard lock(mu_);
    PartitionEntry& e = entry(tp);
    if (!sameProducer(e.producerIdAndEpoch, current_) && e.inflight.empty()) {
        // All batches of the old id/epoch are done: the new epoch starts at sequence 0.
        e.producerIdAndEpoch = current_;
        e.nextSequence = 0;
        e.lastAckedSequence.reset();
    }
}

int32_t TransactionManager::sequenceNumber(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    const PartitionEntry* e = find(tp);
    return e ? e->nextSequence : 0;
}

void TransactionManager::incrementSequenceNumber(const TopicPartition& tp, int32_t increment) {
    std::lock_guard lock(mu_);
    PartitionEntry& e = entry(tp);
    e.nextSequence = incrementSequence(e.nextSequence, increment);
}

void TransactionManager::addInFlightBatch(const ProducerBatchPtr& batch) {
    std::lock_guard lock(mu_);
    entry(batch->topicPartition()).inflight.insert(batch);
}

bool TransactionManager::needsInitProducerId() const {
    std::lock_guard lock(mu_);
    return !initInFlight_ && (!current_.isValid() || epochBumpRequired_);
}

bool TransactionManager::initInFlight() const {
    std::lock_guard lock(mu_);
    return initInFlight_;
}

protocol::InitProducerIdRequest TransactionManager::initProducerIdRequest(int16_t version) {
    std::lock_guard lock(mu_);
    initInFlight_ = true;
    protocol::InitProducerIdRequest req;
    req.transactionTimeoutMs = INT32_MAX;
    // KIP-360: name the current id and epoch so the broker can bump it.
    if (version >= 3 && current_.isValid() && !bumpRejected_) {
        req.producerId = current_.producerId;
        req.producerEpoch = current_.epoch;
    }
    return req;
}

void TransactionManager::initProducerIdFailed() {
    std::lock_guard lock(mu_);
    initInFlight_ = false;
}

Status TransactionManager::handleInitProducerIdResponse(
    const protocol::InitProducerIdResponse& response) {
    std::lock_guard lock(mu_);
    initInFlight_ = false;
    if (response.errorCode != ErrorCode::NONE && current_.isValid() && !bumpRejected_) {
        // The broker would not bump our id (librdkafka's mock refuses KIP-360 for
        // non-transactional ids): ask for a fresh producer id instead, which restarts every
        // partition's sequences just the same.
        bumpRejected_ = true;
    }
    if (response.errorCode != ErrorCode::NONE) {
        return Error{"InitProducerId failed: " +
                     std::string(protocol::errorName(response.errorCode))};
    }
    current_ = ProducerIdAndEpoch{response.producerId, response.producerEpoch};
    epochBumpRequired_ = false;
    for (const auto& tp : partitionsToRewrite_) {
        startSequencesAtBeginning(entry(tp));
        unresolved_.erase(tp);  // restarted at 0: nothing left to resolve
    }
    partitionsToRewrite_.clear();
    spdlog::debug("producer id {} epoch {}", current_.producerId, current_.epoch);
    return {};
}

void TransactionManager::startSequencesAtBeginning(PartitionEntry& e) {
    // Re-key: the set is ordered by sequence, which is about to change.
    std::vector<ProducerBatchPtr> batches(e.inflight.begin(), e.inflight.end());
    e.inflight.clear();
    int32_t sequence = 0;
    for (const auto& b : batches) {
        b->resetProducerState(current_.producerId, current_.epoch, sequence);
        sequence = incrementSequence(sequence, b->recordCount());
        e.inflight.insert(b);
        e.resetBatchIds.insert(b->batchId());
    }
    e.producerIdAndEpoch = current_;
    e.nextSequence = sequence;
    e.lastAckedSequence.reset();
}

bool TransactionManager::sequenceHasBeenReset(const ProducerBatch& batch) const {
    const PartitionEntry* e = find(batch.topicPartition());
    return e && e->resetBatchIds.count(batch.batchId()) > 0;
}

bool TransactionManager::forget(PartitionEntry& e, const ProducerBatchPtr& batch) {
    e.resetBatchIds.erase(batch->batchId());
    return e.inflight.erase(batch) > 0;
}

bool TransactionManager::isNextSequence(const PartitionEntry& e, int32_t sequence) const {
    int32_t expected = e.lastAckedSequence ? incrementSequence(*e.lastAckedSequence, 1) : 0;
    return sequence == expected;
}

void TransactionManager::requestEpochBumpForPartition(const TopicPartition& tp) {
    std::lock_guard lock(mu_);
    requestEpochBumpLocked(tp);
}

void TransactionManager::requestEpochBumpLocked(const TopicPartition& tp) {
    epochBumpRequired_ = true;
    partitionsToRewrite_.insert(tp);
}

bool TransactionManager::epochBumpRequired() const {
    std::lock_guard lock(mu_);
    return epochBumpRequired_;
}

bool TransactionManager::canRetry(ErrorCode error, int64_t logStartOffset,
                                  const ProducerBatch& batch) {
    const TopicPartition& tp = batch.topicPartition();
    if (error == ErrorCode::UNKNOWN_PRODUCER_ID) {
        // Without the log start offset we cannot tell why the broker lost us: just retry.
        if (logStartOffset == -1) return true;
        std::lock_guard lock(mu_);
        // Renumbered by a bump already: this answer is about its old numbering (Java too).
        if (sequenceHasBeenReset(batch)) return true;
        requestEpochBumpLocked(tp);
        return true;
    }
    if (error == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER) {
        std::lock_guard lock(mu_);
        const PartitionEntry* e = find(tp);
        auto unresolved = unresolved_.find(tp);
        // Not the next expected batch (an earlier one is still being retried; wait for it), or
        // renumbered since it was sent: retry without bumping.
        if (unresolved == unresolved_.end() &&
            (sequenceHasBeenReset(batch) || (e && !isNextSequence(*e, batch.baseSequence()))))
            return true;
        // A real gap: restart the partition's sequences under a new epoch. With an unresolved
        // sequence only the batch right after it proves the gap; others wait and retry.
        if (unresolved == unresolved_.end() || batch.baseSequence() == unresolved->second)
            requestEpochBumpLocked(tp);
        return true;
    }
    if (error == ErrorCode::INVALID_PRODUCER_EPOCH) {
        std::lock_guard lock(mu_);
        // A batch sent before an epoch bump, rejected after it: resend it under the new epoch.
        ProducerIdAndEpoch mine{batch.producerId(), batch.producerEpoch()};
        if (current_.isValid() && !sameProducer(mine, current_)) {
            PartitionEntry& e = entry(tp);
            if (epochBumpRequired_ || initInFlight_)
                partitionsToRewrite_.insert(tp);
            else if (!sameProducer(e.producerIdAndEpoch, current_) ||
                     batch.producerEpoch() != current_.epoch)
                startSequencesAtBeginning(e);
            return true;
        }
        return false;
    }
    return protocol::isRetriable(error);
}

void TransactionManager::handleCompletedBatch(const ProducerBatchPtr& batch) {
    std::lock_guard lock(mu_);
    PartitionEntry& e = entry(batch->topicPartition());
    forget(e, batch);
    ProducerIdAndEpoch mine{batch->producerId(), batch->producerEpoch()};
    if (batch->hasSequence() && sameProducer(mine, e.producerIdAndEpoch)) {
        int32_t last = batch->lastSequence();
        // The batch right after the last acked one moves the mark even across the wrap at
        // INT32_MAX (Java compares plainly and would stick just below the wrap).
        bool follows = e.lastAckedSequence &&
                       batch->baseSequence() == incrementSequence(*e.lastAckedSequence, 1);
        if (!e.lastAckedSequence || follows || last > *e.lastAckedSequence)
            e.lastAckedSequence = last;
    }
}

void TransactionManager::handleFailedBatch(const ProducerBatchPtr& batch, ErrorCode error,
                                           bool adjustSequenceNumbers) {
    std::lock_guard lock(mu_);
    const TopicPartition& tp = batch->topicPartition();
    auto it = partitions_.find(tp);
    // Never sequenced (failed before drain) or already forgotten: no sequence to account for.
    if (it == partitions_.end() || !forget(it->second, batch)) return;
    if (error == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER) {
        // A gap in the log: restart the partition at 0 under a bumped epoch.
        requestEpochBumpLocked(tp);
    } else if (error == ErrorCode::UNKNOWN_PRODUCER_ID) {
        // The broker has no state for us: it accepts sequence 0 (Java's
        // resetSequenceForPartition drops the partition's bookkeeping).
        partitions_.erase(it);
        unresolved_.erase(tp);
    } else if (adjustSequenceNumbers) {
        // Refused for sure: later batches of the partition now leave a gap.
        requestEpochBumpLocked(tp);
    }
}

void TransactionManager::removeInFlightBatch(const ProducerBatchPtr& batch) {
    std::lock_guard lock(mu_);
    auto it = partitions_.find(batch->topicPartition());
    if (it != partitions_.end()) forget(it->second, batch);
}

std::optional<int32_t> TransactionManager::lastAckedSequence(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    const PartitionEntry* e = find(tp);
    return e ? e->lastAckedSequence : std::nullopt;
}

}  // namespace bs::producer
