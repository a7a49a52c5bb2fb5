#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "consumer/consumer_config.h"
#include "consumer/consumer_record.h"
#include "consumer/subscription_state.h"
#include "protocol/messages/fetch.h"
#include "protocol/record/record_batch.h"

namespace bs::consumer {

// Errors after which the leader the consumer knows is in doubt (Java: the Fetcher's
// InvalidMetadataException cases): refresh metadata and retry after retry.backoff.ms.
bool isStaleMetadataError(protocol::ErrorCode e);

// Builds Fetch requests and turns Fetch responses into records (Java: AbstractFetch, Fetcher,
// FetchCollector, CompletedFetch). Full fetch requests only (session id 0, epoch -1: no
// incremental sessions), read_uncommitted. It does no I/O: the consumer sends what
// prepareFetchRequests() builds and hands the answers to handleFetchResponse(), so the
// response handling is testable with bytes built by the codec.
// Thread ownership: the consumer's thread only.
class Fetcher {
  public:
    Fetcher(const ConsumerConfig& config, SubscriptionState& subscriptions,
            client::Metadata& metadata);
    ~Fetcher();

    struct PreparedFetch {
        int32_t node = -1;
        protocol::FetchRequest request;
    };
    // One request per leader for the partitions that have a position, a known leader, no
    // buffered data, no fetch in flight to that leader and no error backoff running.
    // Partitions without a known leader request a metadata update. Marks the nodes in flight.
    std::vector<PreparedFetch> prepareFetchRequests(const client::Cluster& cluster, int64_t nowMs);

    // A response arrived; `body` is the message after the response header. Malformed bodies
    // fail every partition of the request (backoff + metadata refresh), never crash.
    void handleFetchResponse(int32_t node, int16_t version, const protocol::FetchRequest& request,
                             std::vector<uint8_t> body, int64_t nowMs);
    // The request failed (disconnect, timeout, version mismatch).
    void handleFetchFailure(int32_t node, const protocol::FetchRequest& request,
                            const std::string& why, int64_t nowMs);

    // Moves up to max.poll.records buffered records to `out` (appending) and advances the
    // positions. A fatal partition error (OFFSET_OUT_OF_RANGE with auto.offset.reset=none,
    // corrupt records, authorization) is returned once no records precede it in this call.
    Status collectFetch(ConsumerRecords& out, int64_t nowMs);

    // A prepared request was not sent (node not ready): its node is no longer in flight.
    void cancelPrepared(int32_t node) { nodesInFlight_.erase(node); }

    bool hasBufferedData() const { return !completed_.empty(); }
    bool inFlight(int32_t node) const { return nodesInFlight_.count(node) != 0; }
    bool anyInFlight() const { return !nodesInFlight_.empty(); }
    // Drops buffered data of partitions no longer assigned or whose position moved (seek).
    void clearBufferedDataForUnassigned();

    // The last error message per partition that did not stop consumption (for display/logs).
    const std::map<TopicPartition, std::string>& lastErrors() const { return lastErrors_; }

  private:
    struct CompletedFetch;
    Status initialize(CompletedFetch& cf, int64_t nowMs);
    Status drain(CompletedFetch& cf, ConsumerRecords& out, int32_t& budget);
    void backoff(const TopicPartition& tp, int64_t nowMs, std::string why);

    const ConsumerConfig& config_;
    SubscriptionState& subscriptions_;
    client::Metadata& metadata_;
    std::set<int32_t> nodesInFlight_;
    std::deque<std::unique_ptr<CompletedFetch>> completed_;
    std::optional<Error> pendingError_;
    uint64_t generation_ = 0;  // one per collectFetch call
    std::map<TopicPartition, std::string> lastErrors_;
};

}  // namespace bs::consumer
