#include "producer/producer_batch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "protocol/record/record_batch.h"

namespace bs::producer {

namespace {

std::atomic<uint64_t> nextBatchId{1};

// Thunks are reserved per batch so typical batches never reallocate on append.
constexpr size_t kMinThunkReserve = 4;

int32_t sizeOf(const BytesView& bytes) {
    return bytes ? static_cast<int32_t>(bytes->size()) : -1;
}

}  // namespace

ProducerBatch::ProducerBatch(TopicPartition tp, ByteBuffer buffer,
                             protocol::CompressionType compression, int32_t compressionLevel,
                             int64_t createdMs, bool isSplitBatch, const Clock* clock)
    : tp_(std::move(tp)),
      createdMs_(createdMs),
      clock_(clock),
      isSplitBatch_(isSplitBatch),
      batchId_(nextBatchId.fetch_add(1, std::memory_order_relaxed)),
      compression_(compression),
      compressionLevel_(compressionLevel),
      initialCapacity_(buffer.capacity()),
      buffer_(std::move(buffer)),
      builder_(std::make_unique<protocol::RecordBatchBuilder>(
          buffer_.data(), buffer_.capacity(), compression, protocol::TimestampType::CreateTime,
          compression == protocol::CompressionType::None ? protocol::kDefaultCompressionLevel
                                                         : compressionLevel)),
      produceFuture_(std::make_shared<ProduceRequestResult>(tp_)),
      lastAttemptMs_(createdMs),
      lastAppendTime_(createdMs) {}

ProducerBatch::~ProducerBatch() = default;

std::optional<FutureRecordMetadata> ProducerBatch::tryAppend(
    int64_t timestamp, BytesView key, BytesView value,
    std::span<const protocol::RecordHeader> headers, Callback&& callback, int64_t nowMs,
    int64_t sendNs, bool wantFuture) {
    if (appendsClosed_ || !builder_->tryAppend(timestamp, key, value, headers)) return std::nullopt;
    const auto recordSize =
        static_cast<int32_t>(protocol::RecordBatchBuilder::estimateBatchSize(key, value, headers));
    // One allocation per batch, sized by the first record: growing by doubling would move the
    // callbacks under the partition's deque lock and double their memory. By the bytes the
    // record took, not its upper-bound estimate: for 100-byte records that is 15 % larger, so
    // every full batch outgrew its reserve (under overload 39 % of the heap was callback
    // storage, 44 % of that never used).
    if (thunks_.capacity() == 0) {
        const size_t perRecord = std::max<size_t>(1, builder_->uncompressedRecordsBytes());
        const size_t room = initialCapacity_ > protocol::kRecordBatchOverhead
                                ? initialCapacity_ - protocol::kRecordBatchOverhead
                                : 0;
        thunks_.reserve(std::max(kMinThunkReserve, room / perRecord + 1));
    }
    maxRecordSize_ = std::max(maxRecordSize_, recordSize);
    lastAppendTime_ = nowMs;
    FutureRecordMetadata future;
    if (wantFuture)
        future = FutureRecordMetadata(produceFuture_, recordCount_, timestamp, sizeOf(key),
                                      sizeOf(value));
    thunks_.push_back(Thunk{std::move(callback), timestamp, sizeOf(key), sizeOf(value), sendNs});
    ++recordCount_;
    return future;
}

bool ProducerBatch::complete(int64_t baseOffset, int64_t logAppendTime) {
    return finish(FinalState::Succeeded, baseOffset, logAppendTime, std::nullopt, {});
}

bool ProducerBatch::completeExceptionally(const Error& topLevel,
                                          std::function<Error(int32_t)> recordErrors) {
    return finish(FinalState::Failed, -1, -1, topLevel, std::move(recordErrors));
}

bool ProducerBatch::abort(const Error& error) {
    return finish(FinalState::Aborted, -1, -1, error, {});
}

bool ProducerBatch::done(int64_t baseOffset, int64_t logAppendTime,
                         const std::optional<Error>& error) {
    return error ? completeExceptionally(*error) : complete(baseOffset, logAppendTime);
}

bool ProducerBatch::finish(FinalState state, int64_t baseOffset, int64_t logAppendTime,
                           const std::optional<Error>& error,
                           std::function<Error(int32_t)> recordErrors) {
    FinalState expected = FinalState::None;
    if (!finalState_.compare_exchange_strong(expected, state)) {
        // A late answer after expiry/abort, or a second failure: Java logs and ignores these.
        spdlog::debug("ignoring completion of batch {} for {}: already completed", batchId_,
                      tp_.toString());
        return false;
    }
    // Java's order: set the result, run the callbacks, then release the waiters, so a flush()
    // or get() that returns has seen every callback of the batch.
    produceFuture_->set(baseOffset, logAppendTime, error, recordErrors);
    setState(BatchState::Done);
    RecordMetadata md;
    md.topic = tp_.topic;
    md.partition = tp_.partition;
    int64_t doneNs = -1;  // read on the first callback that needs it, once for the batch
    for (size_t i = 0; i < thunks_.size(); ++i) {
        Thunk& thunk = thunks_[i];
        if (!thunk.callback) continue;
        if (doneNs < 0 && thunk.sendNs >= 0 && clock_) doneNs = clock_->nowNs();
        md.latencyUs = thunk.sendNs >= 0 && doneNs >= 0 ? (doneNs - thunk.sendNs) / 1000 : -1;
        md.serializedKeySize = thunk.keySize;
        md.serializedValueSize = thunk.valueSize;
        std::optional<Error> recordError;
        if (error) recordError = recordErrors ? recordErrors(static_cast<int32_t>(i)) : *error;
        if (recordError) {
            md.offset = -1;
            md.timestamp = thunk.timestamp;
        } else {
            md.offset = baseOffset < 0 ? -1 : baseOffset + static_cast<int64_t>(i);
            md.timestamp = logAppendTime >= 0 ? logAppendTime : thunk.timestamp;
        }
        try {
            thunk.callback(md, recordError ? &*recordError : nullptr);
        } catch (const std::exception& e) {
            spdlog::error("a send callback for {} threw: {}", tp_.toString(), e.what());
        } catch (...) {
            spdlog::error("a send callback for {} threw a non-standard exception", tp_.toString());
        }
    }
    callbacksRan_.store(true, std::memory_order_release);
    produceFuture_->done();
    return true;
}

void ProducerBatch::adoptThunks(Thunks&& storage) {
    if (!thunks_.empty() || recordCount_ > 0) return;
    storage.clear();
    thunks_ = std::move(storage);
}

std::optional<ProducerBatch::Thunks> ProducerBatch::takeThunks() {
    if (!callbacksRan_.load(std::memory_order_acquire) || thunks_.capacity() == 0)
        return std::nullopt;
    Thunks out = std::move(thunks_);
    thunks_ = Thunks{};
    out.clear();  // the callbacks' captures go here, on the deallocating thread
    return out;
}

void ProducerBatch::closeForRecordAppends() {
    appendsClosed_ = true;
    if (state() == BatchState::Open) setState(BatchState::Closed);
}

void ProducerBatch::copyForViewing(std::vector<uint8_t>& out) const {
    if (closed_)
        out.assign(finished_.begin(), finished_.end());
    else
        builder_->copyOpenBatch(out);
}

Status ProducerBatch::close() {
    if (closed_) return {};
    appendsClosed_ = true;
    auto built = builder_->close();
    if (!built) return Error{"closing batch for " + tp_.toString() + ": " + built.error().message};
    finished_ = *built;
    // The bytes live in this batch's own buffer or its builder's scratch: ours to edit (the
    // sender rewrites producer state on an epoch bump).
    mutableFinished_ = {const_cast<uint8_t*>(finished_.data()), finished_.size()};
    compressionRatio_ = builder_->compressionRatio();
    closed_ = true;
    return {};
}

void ProducerBatch::abortRecordAppends() {
    appendsClosed_ = true;
}

void ProducerBatch::setEstimatedCompressionRatio(float ratio) {
    builder_->setEstimatedCompressionRatio(ratio);
}

float ProducerBatch::observedCompressionRatio() const {
    const size_t uncompressed = builder_->uncompressedRecordsBytes();
    if (!closed_ || uncompressed == 0) return 1.0f;
    return static_cast<float>(finished_.size()) / static_cast<float>(uncompressed);
}

bool ProducerBatch::isFull() const {
    return appendsClosed_ || builder_->isFull();
}

int32_t ProducerBatch::estimatedSizeInBytes() const {
    return static_cast<int32_t>(closed_ ? finished_.size() : builder_->sizeInBytes());
}

int64_t ProducerBatch::waitedTimeMs(int64_t nowMs) const {
    return std::max<int64_t>(0, nowMs - lastAttemptMs_);
}

void ProducerBatch::drained(int64_t nowMs) {
    drainedMs_ = std::max(drainedMs_, nowMs);
    setState(BatchState::InFlight);
}

void ProducerBatch::reenqueued(int64_t nowMs) {
    attempts_.fetch_add(1);
    lastAttemptMs_ = std::max(lastAppendTime_, nowMs);
    lastAppendTime_ = std::max(lastAppendTime_, nowMs);
    retry_ = true;
    setState(BatchState::Retrying);
}

void ProducerBatch::maybeUpdateLeaderEpoch(std::optional<int32_t> latestLeaderEpoch) {
    if (latestLeaderEpoch && (!currentLeaderEpoch_ || *currentLeaderEpoch_ < *latestLeaderEpoch)) {
        attemptsWhenLeaderLastChanged_ = attempts();
        currentLeaderEpoch_ = latestLeaderEpoch;
    }
}

bool ProducerBatch::hasLeaderChangedForTheOngoingRetry() const {
    const int32_t n = attempts();
    return n >= 1 && n == attemptsWhenLeaderLastChanged_;
}

void ProducerBatch::setProducerState(int64_t producerId, int16_t producerEpoch,
                                     int32_t baseSequence) {
    producerId_ = producerId;
    producerEpoch_ = producerEpoch;
    baseSequence_ = baseSequence;
    if (closed_)
        protocol::rewriteProducerState(mutableFinished_, producerId, producerEpoch, baseSequence);
    else
        builder_->setProducerState(producerId, producerEpoch, baseSequence);
}

void ProducerBatch::resetProducerState(int64_t producerId, int16_t producerEpoch,
                                       int32_t baseSequence) {
    setProducerState(producerId, producerEpoch, baseSequence);
}

int32_t ProducerBatch::lastSequence() const {
    if (baseSequence_ < 0) return -1;
    // Sequences wrap at INT32_MAX like Java's DefaultRecordBatch.incrementSequence.
    const int64_t last = int64_t{baseSequence_} + recordCount_ - 1;
    return static_cast<int32_t>(last > INT32_MAX ? last - INT32_MAX - 1 : last);
}

Result<std::deque<ProducerBatchPtr>> ProducerBatch::split(int32_t splitBatchSize) {
    if (auto st = close(); !st) return Error{st.message()};
    std::deque<ProducerBatchPtr> batches;
    if (recordCount_ == 0) return batches;

    std::vector<ProduceRequestResult::Link> links;
    links.reserve(static_cast<size_t>(recordCount_));
    protocol::RecordBatchReader reader(finished_);
    if (!reader.nextBatch())
        return Error{"splitting batch for " + tp_.toString() + ": " +
                     (reader.ok() ? std::string("no batch") : reader.error())};
    protocol::Record record;
    std::vector<protocol::RecordHeader> headers;
    size_t index = 0;
    while (reader.nextRecord(record)) {
        if (index >= thunks_.size())
            return Error{"splitting batch for " + tp_.toString() + ": more records than appended"};
        headers.clear();
        protocol::RecordHeaderIterator it(record);
        for (protocol::RecordHeader h; it.next(h);)
            headers.push_back(h);
        Thunk& thunk = thunks_[index];
        ProducerBatch* target = batches.empty() ? nullptr : batches.back().get();
        auto appendTo = [&](ProducerBatch& b) {
            if (b.appendsClosed_ ||
                !b.builder_->tryAppend(record.timestamp, record.key, record.value, headers))
                return false;
            links.push_back({b.produceFuture_, b.recordCount_});
            b.maxRecordSize_ =
                std::max(b.maxRecordSize_,
                         static_cast<int32_t>(protocol::RecordBatchBuilder::estimateBatchSize(
                             record.key, record.value, headers)));
            b.thunks_.push_back(std::move(thunk));
            ++b.recordCount_;
            return true;
        };
        if (!target || !appendTo(*target)) {
            const size_t need = std::max<size_t>(
                static_cast<size_t>(std::max(splitBatchSize, 1)),
                protocol::RecordBatchBuilder::estimateBatchSize(record.key, record.value, headers));
            auto fresh = std::make_shared<ProducerBatch>(
                tp_, ByteBuffer(need), compression_, compressionLevel_, createdMs_, true, clock_);
            batches.push_back(fresh);
            if (!appendTo(*fresh))
                return Error{"splitting batch for " + tp_.toString() + ": record " +
                             std::to_string(index) + " does not fit a new batch"};
        }
        ++index;
    }
    if (!reader.ok()) return Error{"splitting batch for " + tp_.toString() + ": " + reader.error()};
    if (index != thunks_.size())
        return Error{"splitting batch for " + tp_.toString() + ": read " + std::to_string(index) +
                     " records of " + std::to_string(thunks_.size())};

    for (auto& b : batches)
        b->closeForRecordAppends();
    if (hasSequence()) {
        int64_t sequence = baseSequence_;
        for (auto& b : batches) {
            b->setProducerState(producerId_, producerEpoch_,
                                static_cast<int32_t>(sequence % (int64_t{INT32_MAX} + 1)));
            sequence += b->recordCount_;
        }
    }
    // Futures handed out for this batch now follow the smaller batches; this one completes
    // nobody (its thunks moved).
    produceFuture_->chain(std::move(links));
    thunks_.clear();
    FinalState expected = FinalState::None;
    finalState_.compare_exchange_strong(expected, FinalState::Aborted);
    setState(BatchState::Done);
    return batches;
}

BatchSnapshot ProducerBatch::snapshot() const {
    BatchSnapshot s;
    s.batchId = batchId_;
    s.recordCount = recordCount_;
    s.sizeBytes = estimatedSizeInBytes();
    s.capacity = static_cast<int64_t>(initialCapacity_);
    s.createdMs = createdMs_;
    s.attempts = attempts();
    s.baseSequence = baseSequence_;
    s.state = state();
    return s;
}

ByteBuffer ProducerBatch::releaseBuffer() {
    if (isSplitBatch_) return {};
    return std::move(buffer_);
}

}  // namespace bs::producer
