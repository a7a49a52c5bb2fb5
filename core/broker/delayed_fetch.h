#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "broker/kafka_apis.h"
#include "broker/partition.h"
#include "protocol/headers.h"
#include "protocol/messages/fetch.h"

namespace bs::broker {

// A Fetch that found fewer than min_bytes and asked to wait up to max_wait_ms (Kafka:
// DelayedFetch in the fetch purgatory). The connection parks it: it watches the fetched
// partitions' appends and tries again on each, or completes it when the wait is over.
// Thread ownership: used by one connection's strand only; `apis` must outlive it.
class DelayedFetch {
  public:
    DelayedFetch(KafkaApis& apis, int32_t nodeId, protocol::RequestHeader header,
                 protocol::FetchRequest request, std::vector<std::shared_ptr<Partition>> partitions)
        : apis_(apis),
          nodeId_(nodeId),
          header_(std::move(header)),
          request_(std::move(request)),
          partitions_(std::move(partitions)) {}

    int32_t maxWaitMs() const { return request_.maxWaitMs; }

    // Registers `watcher` (one-shot) on every fetched partition. Call before tryComplete() so
    // an append between the two is never missed.
    void watch(const std::shared_ptr<AppendWatcher>& watcher) {
        for (const auto& p : partitions_)
            p->addWatcher(watcher);
    }
    // The response frame once min_bytes are there (or an error appeared); nullopt to keep
    // waiting.
    std::optional<std::vector<uint8_t>> tryComplete() {
        auto read = apis_.readForFetch(nodeId_, request_);
        if (read.anyError || read.bytes >= static_cast<size_t>(std::max(request_.minBytes, 1))) {
            return KafkaApis::encodeFetch(header_, read);
        }
        return std::nullopt;
    }
    // The wait is over: whatever is there now.
    std::vector<uint8_t> forceComplete() {
        return KafkaApis::encodeFetch(header_, apis_.readForFetch(nodeId_, request_));
    }

  private:
    KafkaApis& apis_;
    const int32_t nodeId_;
    const protocol::RequestHeader header_;
    const protocol::FetchRequest request_;
    const std::vector<std::shared_ptr<Partition>> partitions_;
};

}  // namespace bs::broker
