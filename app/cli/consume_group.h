#pragma once

// consume --group G without group membership: the command still reads every partition of the
// topic itself (assign), but starts each partition at the offset group G committed (else at
// auto.offset.reset) and commits the next offset of every printed record as G's, every
// auto.commit.interval.ms and on exit, like kafka-console-consumer's auto commit. The commits
// carry generation -1 (Java's commitSync after assign()), which a broker accepts only while G
// has no active members.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "consumer/consumer_config.h"
#include "consumer/consumer_group_admin.h"
#include "consumer/kafka_consumer.h"

namespace bs::cli {

class ConsumeGroupOffsets {
  public:
    static Result<std::unique_ptr<ConsumeGroupOffsets>> open(const consumer::ConsumerConfig& config,
                                                             std::string group);
    // Seeks every partition G committed to; the rest keep auto.offset.reset.
    Status seekToCommitted(consumer::KafkaConsumer& c,
                           const std::vector<client::TopicPartition>& partitions);
    void printed(const client::TopicPartition& tp, int64_t offset) { next_[tp] = offset + 1; }
    // Commits what was printed since the last commit, when the interval passed (or `force`).
    Status maybeCommit(int64_t nowMs, bool force);

  private:
    ConsumeGroupOffsets(std::unique_ptr<consumer::ConsumerGroupAdmin> admin, std::string group,
                        int64_t intervalMs)
        : admin_(std::move(admin)), group_(std::move(group)), intervalMs_(intervalMs) {}

    std::unique_ptr<consumer::ConsumerGroupAdmin> admin_;
    const std::string group_;
    const int64_t intervalMs_;
    std::map<client::TopicPartition, int64_t> next_;       // next offset to read, per partition
    std::map<client::TopicPartition, int64_t> committed_;  // what G has committed
    int64_t lastCommitMs_ = 0;
};

}  // namespace bs::cli
