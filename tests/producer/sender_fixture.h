#pragma once

// The pipeline of the Sender unit tests, without sockets: MockClock + MockClient (the test
// NetworkClient) + the real Metadata, BufferPool, RecordAccumulator, TransactionManager, Sender.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/metadata.h"
#include "producer/buffer_pool.h"
#include "producer/producer_config.h"
#include "producer/producer_metrics.h"
#include "producer/record_accumulator.h"
#include "producer/sender.h"
#include "producer/transaction_manager.h"
#include "protocol/record/record_batch.h"
#include "support/mock_client.h"
#include "support/mock_clock.h"

namespace bs::producer::test {

using client::test::metadataFor;
using client::test::metadataTopic;
using client::test::MockClient;

struct Pipeline {
    // `bootstrap` false: nothing is answered automatically and no iteration has run (the test
    // plays the first Metadata and InitProducerId exchanges itself).
    explicit Pipeline(std::map<std::string, std::string> overrides,
                      std::vector<int32_t> leaders = {0, 1, 0}, bool bootstrap = true) {
        overrides.try_emplace("bootstrap.servers", "localhost:9092");
        auto parsed = ProducerConfig::parse(overrides);
        if (!parsed) throw std::runtime_error(parsed.error().message);
        config = *parsed;
        pool = std::make_unique<BufferPool>(config.bufferMemory, config.batchSize, clock);
        metadata =
            std::make_unique<Metadata>(config.retryBackoffMs, config.metadataMaxAgeMs, clock);
        metadata->bootstrap({Node{-1, "localhost", 9092, std::nullopt}});
        if (config.enableIdempotence) tm = std::make_unique<TransactionManager>();
        accumulator = std::make_unique<RecordAccumulator>(RecordAccumulator::Config::from(config),
                                                          *pool, clock, tm.get(), &events);
        client = std::make_unique<MockClient>(clock, config.maxInFlightRequestsPerConnection);
        metrics = std::make_unique<ProducerMetrics>(clock);
        sender = std::make_unique<Sender>(SenderConfig::from(config), *client, *metadata,
                                          *accumulator, tm.get(), metrics.get(), &events, clock);
        if (!bootstrap) return;
        client->autoMetadata(metadataFor("t", leaders));
        client->autoInitProducerId(1000);
        // Bootstrap: metadata (and the producer id) arrive in the first iterations.
        for (int i = 0; i < 3; ++i)
            sender->runOnce();
    }

    // Events of the Sender and the accumulator (off until a test enables them).
    std::vector<Event> takeEvents() {
        std::vector<Event> out;
        events.poll(out);
        return out;
    }

    // Appends one record; returns its future.
    FutureRecordMetadata append(int32_t partition, const std::string& value,
                                Callback callback = {}) {
        std::span<const uint8_t> v(reinterpret_cast<const uint8_t*>(value.data()), value.size());
        auto r =
            accumulator->append("t", partition, clock.wallMs(), std::nullopt, BytesView{v}, {},
                                std::move(callback), 0, false, clock.nowMs(), *metadata->fetch());
        if (!r || !r->future) throw std::runtime_error("append failed");
        return *r->future;
    }

    // The records blob of partition `p` in request `r`, parsed.
    static std::vector<std::string> values(const protocol::ProduceRequest& req, int32_t p,
                                           protocol::RecordBatchHeader* header = nullptr) {
        std::vector<std::string> out;
        for (const auto& t : req.topicData) {
            for (const auto& pd : t.partitionData) {
                if (pd.index != p) continue;
                protocol::RecordBatchReader reader(pd.records.bytes);
                while (reader.nextBatch()) {
                    if (header) *header = reader.batch();
                    protocol::Record rec;
                    while (reader.nextRecord(rec))
                        out.emplace_back(reinterpret_cast<const char*>(rec.value->data()),
                                         rec.value->size());
                }
            }
        }
        return out;
    }
    static std::vector<int32_t> partitionsOf(const protocol::ProduceRequest& req) {
        std::vector<int32_t> out;
        for (const auto& t : req.topicData)
            for (const auto& pd : t.partitionData)
                out.push_back(pd.index);
        std::sort(out.begin(), out.end());
        return out;
    }

    MockClock clock;
    ProducerConfig config;
    EventStream events;  // before the parts that publish to it, so it outlives them
    std::unique_ptr<BufferPool> pool;
    std::unique_ptr<Metadata> metadata;
    std::unique_ptr<TransactionManager> tm;
    std::unique_ptr<RecordAccumulator> accumulator;
    std::unique_ptr<MockClient> client;
    std::unique_ptr<ProducerMetrics> metrics;
    std::unique_ptr<Sender> sender;
};

}  // namespace bs::producer::test
