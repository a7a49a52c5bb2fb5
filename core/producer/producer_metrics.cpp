#include "producer/producer_metrics.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace bs::producer {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

bool WindowedStat::live(const Sample& s, int64_t nowMs) const {
    return s.startMs >= 0 && nowMs - s.startMs < 2 * ProducerMetrics::kWindowMs;
}

void WindowedStat::roll(int64_t nowMs) {
    Sample& cur = samples_[current_];
    if (cur.startMs < 0) {
        cur.startMs = nowMs;
        return;
    }
    if (nowMs - cur.startMs >= ProducerMetrics::kWindowMs) {
        current_ ^= 1;
        samples_[current_] = Sample{nowMs, 0, 0, 0};
    }
}

void WindowedStat::record(double v, int64_t nowMs) {
    roll(nowMs);
    Sample& s = samples_[current_];
    s.sum += v;
    s.max = s.count == 0 ? v : std::max(s.max, v);
    ++s.count;
    total_ += v;
}

double WindowedStat::rate(int64_t nowMs) const {
    double sum = 0;
    int64_t oldest = nowMs;
    for (const Sample& s : samples_) {
        if (!live(s, nowMs)) continue;
        sum += s.sum;
        oldest = std::min(oldest, s.startMs);
    }
    // Java's Rate.windowSize: with fewer than (samples - 1) full windows retained, the missing
    // ones are added to the elapsed time.
    constexpr int kSamples = 2;
    int64_t elapsedMs = nowMs - oldest;
    const int64_t fullWindows = elapsedMs / ProducerMetrics::kWindowMs;
    if (fullWindows < kSamples - 1)
        elapsedMs += (kSamples - 1 - fullWindows) * ProducerMetrics::kWindowMs;
    return sum * 1000.0 / static_cast<double>(elapsedMs);
}

double WindowedStat::avg(int64_t nowMs) const {
    double sum = 0;
    int64_t count = 0;
    for (const Sample& s : samples_) {
        if (!live(s, nowMs)) continue;
        sum += s.sum;
        count += s.count;
    }
    return count == 0 ? kNaN : sum / static_cast<double>(count);
}

double WindowedStat::max(int64_t nowMs) const {
    double m = kNaN;
    for (const Sample& s : samples_) {
        if (!live(s, nowMs) || s.count == 0) continue;
        m = std::isnan(m) ? s.max : std::max(m, s.max);
    }
    return m;
}

void ProducerMetrics::recordBatch(const std::string& topic, int32_t records, int64_t bytes,
                                  double compressionRatio, int64_t queueTimeMs,
                                  int32_t maxRecordSize) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    records_.record(records, now);
    recordSize_.record(maxRecordSize, now);
    batchSize_.record(static_cast<double>(bytes), now);
    compression_.record(compressionRatio, now);
    queueTime_.record(static_cast<double>(queueTimeMs), now);
    topicRecords_[topic].record(records, now);
    topicBytes_[topic].record(static_cast<double>(bytes), now);
}

void ProducerMetrics::recordRequest(int32_t records, int64_t bytes) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    requests_.record(1, now);
    recordsPerRequest_.record(records, now);
    bytesOut_.record(static_cast<double>(bytes), now);
}

void ProducerMetrics::recordLatency(double latencyMs, int32_t) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    latency_.record(latencyMs, now);
    responses_.record(1, now);
}

void ProducerMetrics::recordRetries(const std::string& topic, int32_t records) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    retries_.record(records, now);
    topicRetries_[topic].record(records, now);
}

void ProducerMetrics::recordErrors(const std::string& topic, int32_t records) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    errors_.record(records, now);
    topicErrors_[topic].record(records, now);
}

void ProducerMetrics::recordBatchSplit() {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    splits_.record(1, now);
}

void ProducerMetrics::recordThrottle(int32_t throttleMs) {
    int64_t now = clock_.nowMs();
    std::lock_guard lock(mu_);
    throttle_.record(throttleMs, now);
}

void ProducerMetrics::addGauge(std::string name, std::string description,
                               std::function<double()> read) {
    std::lock_guard lock(mu_);
    gauges_.push_back(Gauge{std::move(name), std::move(description), std::move(read)});
}

std::vector<Metric> ProducerMetrics::metrics() const {
    int64_t now = clock_.nowMs();
    std::vector<Metric> out;
    std::vector<Gauge> gauges;
    {
        std::lock_guard lock(mu_);
        auto add = [&](const char* name, const char* desc, double v) {
            out.push_back(Metric{name, "producer-metrics", desc, v});
        };
        add("record-send-rate", "The average number of records sent per second.",
            records_.rate(now));
        add("record-send-total", "The total number of records sent.", records_.total());
        add("batch-size-avg", "The average number of bytes sent per partition per-request.",
            batchSize_.avg(now));
        add("batch-size-max", "The max number of bytes sent per partition per-request.",
            batchSize_.max(now));
        add("records-per-request-avg", "The average number of records per request.",
            recordsPerRequest_.avg(now));
        add("request-rate", "The number of requests sent per second.", requests_.rate(now));
        add("request-total", "The total number of requests sent.", requests_.total());
        add("response-rate", "The number of responses received per second.", responses_.rate(now));
        add("response-total", "The total number of responses received.", responses_.total());
        add("outgoing-byte-rate", "The number of outgoing bytes sent per second.",
            bytesOut_.rate(now));
        add("outgoing-byte-total", "The total number of outgoing bytes sent.", bytesOut_.total());
        add("request-latency-avg", "The average request latency in ms.", latency_.avg(now));
        add("request-latency-max", "The maximum request latency in ms.", latency_.max(now));
        add("record-retry-rate", "The average per-second number of retried record sends.",
            retries_.rate(now));
        add("record-retry-total", "The total number of retried record sends.", retries_.total());
        add("record-error-rate",
            "The average per-second number of record sends that resulted in errors.",
            errors_.rate(now));
        add("record-error-total", "The total number of record sends that resulted in errors.",
            errors_.total());
        add("compression-rate-avg",
            "The average compression rate of record batches (compressed/uncompressed size).",
            compression_.avg(now));
        add("record-queue-time-avg",
            "The average time in ms record batches spent in the send buffer.", queueTime_.avg(now));
        add("record-queue-time-max",
            "The maximum time in ms record batches spent in the send buffer.", queueTime_.max(now));
        add("batch-split-rate", "The average number of batch splits per second.",
            splits_.rate(now));
        add("batch-split-total", "The total number of batch splits.", splits_.total());
        add("produce-throttle-time-avg", "The average time in ms a request was throttled.",
            throttle_.avg(now));
        add("produce-throttle-time-max", "The maximum time in ms a request was throttled.",
            throttle_.max(now));
        add("record-size-avg", "The average record size.", recordSize_.avg(now));
        add("record-size-max", "The maximum record size.", recordSize_.max(now));
        for (const auto& [topic, stat] : topicRecords_) {
            out.push_back(Metric{"record-send-rate", "producer-topic-metrics:" + topic,
                                 "Records sent per second for the topic.", stat.rate(now)});
            out.push_back(Metric{"byte-rate", "producer-topic-metrics:" + topic,
                                 "Bytes sent per second for the topic.",
                                 topicBytes_.at(topic).rate(now)});
        }
        for (const auto& [topic, stat] : topicRetries_)
            out.push_back(Metric{"record-retry-rate", "producer-topic-metrics:" + topic,
                                 "Retried record sends per second for the topic.", stat.rate(now)});
        for (const auto& [topic, stat] : topicErrors_)
            out.push_back(Metric{"record-error-rate", "producer-topic-metrics:" + topic,
                                 "Failed record sends per second for the topic.", stat.rate(now)});
        gauges = gauges_;
    }
    // Gauges read other components' locks: never under mu_.
    for (const auto& g : gauges)
        out.push_back(Metric{g.name, "producer-metrics", g.description, g.read()});
    return out;
}

double ProducerMetrics::value(const std::string& name) const {
    for (const auto& m : metrics())
        if (m.name == name && m.group == "producer-metrics") return m.value;
    return kNaN;
}

}  // namespace bs::producer
