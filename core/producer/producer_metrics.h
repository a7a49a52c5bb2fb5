#pragma once

// The producer's metrics under Java's names (group "producer-metrics"): windowed rates, averages
// and maxima as Java's Sensor/Rate/Avg/Max over metrics.sample.window.ms x metrics.num.samples
// (30 s x 2), plus cumulative totals and gauges read at measurement time.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"

namespace bs::producer {

struct Metric {
    std::string name;
    std::string group = "producer-metrics";
    std::string description;
    double value = 0;
};

// One windowed statistic: the samples of the last two windows. Guarded by ProducerMetrics::mu_.
class WindowedStat {
  public:
    void record(double v, int64_t nowMs);
    // Sum per second over the live windows, as Java's Rate: the elapsed time counts at least
    // one full window (a young stat reads low rather than spiking on its first samples).
    double rate(int64_t nowMs) const;
    double avg(int64_t nowMs) const;  // NaN without samples (as Java)
    double max(int64_t nowMs) const;  // NaN without samples
    double total() const { return total_; }

  private:
    struct Sample {
        int64_t startMs = -1;
        double sum = 0;
        double max = 0;
        int64_t count = 0;
    };
    void roll(int64_t nowMs);
    bool live(const Sample& s, int64_t nowMs) const;
    Sample samples_[2];
    int current_ = 0;
    double total_ = 0;
};

// Thread-safe: the sender thread records, any thread reads.
class ProducerMetrics {
  public:
    static constexpr int64_t kWindowMs = 30000;

    explicit ProducerMetrics(const Clock& clock) : clock_(clock) {}

    // --- recorded by the Sender
    // maxRecordSize: the batch's largest record (its size upper bound), as Java's Sender
    // records record-size-avg/max: per batch, so send() pays nothing for them.
    void recordBatch(const std::string& topic, int32_t records, int64_t bytes,
                     double compressionRatio, int64_t queueTimeMs, int32_t maxRecordSize);
    void recordRequest(int32_t records, int64_t bytes);
    // Milliseconds with microsecond precision (Java records whole ms; on loopback that is 0).
    void recordLatency(double latencyMs, int32_t nodeId);
    void recordRetries(const std::string& topic, int32_t records);
    void recordErrors(const std::string& topic, int32_t records);
    void recordBatchSplit();
    void recordThrottle(int32_t throttleMs);

    // Gauges evaluated when metrics() runs (buffer pool, in-flight counts...).
    void addGauge(std::string name, std::string description, std::function<double()> read);

    std::vector<Metric> metrics() const;
    // One metric by name; NaN when unknown.
    double value(const std::string& name) const;

  private:
    const Clock& clock_;
    mutable std::mutex mu_;
    WindowedStat records_, batchSize_, recordsPerRequest_, requests_, bytesOut_, latency_, retries_,
        errors_, compression_, queueTime_, splits_, throttle_, responses_,
        recordSize_;  // guarded by mu_
    std::map<std::string, WindowedStat> topicRecords_, topicBytes_, topicRetries_,
        topicErrors_;  // guarded by mu_
    struct Gauge {
        std::string name, description;
        std::function<double()> read;
    };
    std::vector<Gauge> gauges_;  // guarded by mu_ (set up before the sender starts)
};

}  // namespace bs::producer
