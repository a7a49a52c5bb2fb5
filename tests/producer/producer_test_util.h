#pragma once

// Helpers for the Producer integration tests: produce numbered records, wait for them, and
// compare with what kcat reads back from the broker.

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "mock_cluster_process.h"
#include "producer/kafka_producer.h"

namespace bs::producer::test {

struct Sent {
    std::string key;  // "" = null key
    std::string value;
    FutureRecordMetadata future;
};

inline std::unique_ptr<KafkaProducer> makeProducer(const std::string& bootstrap,
                                                   std::map<std::string, std::string> props) {
    props["bootstrap.servers"] = bootstrap;
    props.try_emplace("key.serializer", "string");
    props.try_emplace("value.serializer", "string");
    auto config = ProducerConfig::parse(props);
    if (!config) throw std::runtime_error(config.error().message);
    auto p = KafkaProducer::create(*config);
    if (!p) throw std::runtime_error(p.error().message);
    return std::move(*p);
}

// Sends `count` records "v<i>" with keys "k<i % keys>" (keys == 0: null keys).
inline std::vector<Sent> produceNumbered(KafkaProducer& producer, const std::string& topic,
                                         int count, int keys, int firstIndex = 0) {
    std::vector<Sent> sent;
    sent.reserve(static_cast<size_t>(count));
    for (int i = firstIndex; i < firstIndex + count; ++i) {
        ProducerRecord r;
        r.topic = topic;
        std::string key = keys > 0 ? "k" + std::to_string(i % keys) : "";
        if (keys > 0) r.key = key;
        r.value = "v" + std::to_string(i);
        auto f = producer.send(r);
        sent.push_back(Sent{key, std::get<std::string>(r.value), f});
    }
    return sent;
}

// Waits for every future; returns how many failed.
inline int awaitAll(const std::vector<Sent>& sent, std::chrono::seconds timeout) {
    int failed = 0;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (const auto& s : sent) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto r = s.future.getFor(std::max(left, std::chrono::milliseconds(0)));
        if (!r) throw std::runtime_error("a record was not completed in time");
        if (!r->ok()) ++failed;
    }
    return failed;
}

// The broker's content must be exactly what was sent: per partition, the acknowledged records
// in send order, each once, at the offsets the futures reported (when known).
inline std::string compareWithBroker(const MockClusterProcess& cluster, const std::string& topic,
                                     const std::vector<Sent>& sent, bool offsetsKnown = true) {
    std::map<int32_t, std::vector<std::string>> expected, actual;
    for (const auto& s : sent) {
        auto r = s.future.get();
        if (!r.ok()) continue;
        std::string line = s.key + " " + s.value;
        if (offsetsKnown) line = std::to_string(r->offset) + " " + line;
        expected[r->partition].push_back(line);
    }
    for (const auto& line : cluster.consumeAll(topic)) {
        auto sp = line.find(' ');
        int32_t p = std::stoi(line.substr(0, sp));
        std::string rest = line.substr(sp + 1);
        if (!offsetsKnown) rest = rest.substr(rest.find(' ') + 1);
        actual[p].push_back(rest);
    }
    for (auto& [p, lines] : expected) {
        const auto& got = actual[p];
        if (got != lines) {
            size_t i = 0;
            while (i < got.size() && i < lines.size() && got[i] == lines[i])
                ++i;
            return "partition " + std::to_string(p) + ": broker has " + std::to_string(got.size()) +
                   " records, sent " + std::to_string(lines.size()) + "; first difference at #" +
                   std::to_string(i) + ": broker '" + (i < got.size() ? got[i] : "<none>") +
                   "' vs sent '" + (i < lines.size() ? lines[i] : "<none>") + "'";
        }
    }
    for (const auto& [p, got] : actual) {
        if (!expected.count(p) && !got.empty())
            return "partition " + std::to_string(p) + " has records nobody acknowledged";
    }
    return "";
}

// For brokers without idempotent de-duplication (librdkafka 2.0.2's mock cluster appends both a
// request whose answer was lost, to a client timeout or to the broker going down, and its
// retry): nothing lost, nothing reordered - the first copy of each record per partition comes
// in send order - and every acknowledged offset holds the record it was acknowledged for.
inline std::string compareAtLeastOnce(const MockClusterProcess& cluster, const std::string& topic,
                                      const std::vector<Sent>& sent, int* duplicates) {
    std::map<int32_t, std::vector<std::string>> expected, firstCopies;
    std::map<std::pair<int32_t, int64_t>, std::string> acked, atOffset;
    for (const auto& s : sent) {
        auto r = s.future.get();
        if (!r.ok()) return "a record failed: " + r.error().message;
        expected[r->partition].push_back(s.key + " " + s.value);
        acked[{r->partition, r->offset}] = s.key + " " + s.value;
    }
    std::map<int32_t, std::set<std::string>> seen;
    *duplicates = 0;
    for (const auto& line : cluster.consumeAll(topic)) {
        auto sp1 = line.find(' ');
        auto sp2 = line.find(' ', sp1 + 1);
        int32_t p = std::stoi(line.substr(0, sp1));
        int64_t o = std::stoll(line.substr(sp1 + 1, sp2 - sp1 - 1));
        std::string rec = line.substr(sp2 + 1);
        atOffset[{p, o}] = rec;
        if (seen[p].insert(rec).second)
            firstCopies[p].push_back(rec);
        else
            ++*duplicates;
    }
    if (firstCopies != expected) return "records lost or reordered";
    for (const auto& [po, rec] : acked) {
        if (atOffset[po] != rec)
            return "offset " + std::to_string(po.second) + " of partition " +
                   std::to_string(po.first) + " does not hold " + rec;
    }
    return "";
}

}  // namespace bs::producer::test
