#include "delivery_feed.h"

#include <algorithm>

namespace bs::ui {

DeliveryTick DeliveryTick::fromRows(QVector<Delivery> rows) {
    DeliveryTick t;
    for (const Delivery& d : rows) {
        if (!d.ok()) {
            t.failed++;
            continue;
        }
        t.ok++;
        if (d.partition < 0) continue;
        auto it = std::find_if(t.okByPartition.begin(), t.okByPartition.end(), [&](const auto& c) {
            return c.partition == d.partition && c.topic == d.topic;
        });
        if (it == t.okByPartition.end())
            t.okByPartition.push_back({d.topic, d.partition, 1});
        else
            it->ok++;
    }
    t.rows = std::move(rows);
    return t;
}

DeliveryFeed::DeliveryFeed(int keep)
    : keep_(static_cast<size_t>(std::max(1, keep))),
      ring_(keep_),
      strings_(keep_),
      spare_(keep_),
      spareStrings_(keep_) {}

DeliveryFeed::~DeliveryFeed() = default;

SendJob* DeliveryFeed::open(QString topic, QString keyPreview, QString valuePreview,
                            bool perRecordPreviews) {
    auto job = std::make_unique<SendJob>();
    job->feed = this;
    job->topic = std::move(topic);
    job->keyPreview = std::move(keyPreview);
    job->valuePreview = std::move(valuePreview);
    job->perRecordPreviews = perRecordPreviews;
    SendJob* raw = job.get();
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
    return raw;
}

void DeliveryFeed::seal(SendJob* job, qint64 sent) {
    job->sent = sent;
    job->sealed.store(true, std::memory_order_release);
}

void DeliveryFeed::push(DeliveryReport&& report) {
    SendJob* job = report.job;
    const bool hasStrings =
        !report.key.isNull() || !report.value.isNull() || !report.error.isNull();
    std::lock_guard lock(mu_);
    if (report.error.isEmpty()) {
        ok_++;
        tickOk_++;
        if (report.partition >= 0) {
            const auto p = static_cast<size_t>(report.partition);
            if (p >= job->pendingOk.size()) job->pendingOk.resize(p + 1);
            job->pendingOk[p]++;
        }
    } else {
        failed_++;
        tickFailed_++;
    }
    // Wrapped by comparison, not `%`: a 64-bit division per record is a visible share of the
    // sender thread at full speed.
    size_t slot;
    if (count_ < keep_) {
        slot = start_ + count_++;
        if (slot >= keep_) slot -= keep_;
    } else {
        // Full: the oldest report gives way (the table would drop it anyway).
        slot = start_;
        if (++start_ == keep_) start_ = 0;
        ring_[slot].job->dropped++;
    }
    ring_[slot] = Slot{
        job, report.seq, report.offset, report.timestampMs, report.partition, report.latencyMs};
    Strings& strings = strings_[slot];
    if (hasStrings || strings.used) {
        // Swapped, not assigned: the slot's old strings leave with `report` and are freed by
        // the caller, outside the lock.
        strings.key.swap(report.key);
        strings.value.swap(report.value);
        strings.error.swap(report.error);
        strings.used = hasStrings;
    }
}

qint64 DeliveryFeed::okCount() const {
    std::lock_guard lock(mu_);
    return ok_;
}

qint64 DeliveryFeed::failedCount() const {
    std::lock_guard lock(mu_);
    return failed_;
}

size_t DeliveryFeed::jobCount() const {
    std::lock_guard lock(mu_);
    return jobs_.size();
}

DeliveryTick DeliveryFeed::drain() {
    DeliveryTick tick;
    size_t start = 0, count = 0;
    {
        std::lock_guard lock(mu_);
        tick.ok = tickOk_;
        tick.failed = tickFailed_;
        tickOk_ = tickFailed_ = 0;
        for (const auto& job : jobs_) {
            auto& counts = job->pendingOk;
            for (size_t p = 0; p < counts.size(); ++p) {
                if (!counts[p]) continue;
                tick.okByPartition.push_back({job->topic, static_cast<int>(p), counts[p]});
                counts[p] = 0;
            }
        }
        // Free the jobs every report of which was dropped or drained by an earlier drain (the
        // ring taken below still points at the others). Decided under this one lock, after
        // their counts were taken: no push can slip in between.
        jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(),
                                   [](const std::unique_ptr<SendJob>& j) {
                                       return j->sealed.load(std::memory_order_acquire) &&
                                              j->dropped + j->drained == j->sent;
                                   }),
                    jobs_.end());
        ring_.swap(spare_);
        strings_.swap(spareStrings_);
        start = start_;
        count = count_;
        start_ = count_ = 0;
    }
    if (count == 0) return tick;
    // Rows in push order (oldest first). The job strings are implicitly shared: a row's copy
    // is a reference count, on this thread only. Jobs are freed only above, by this thread.
    tick.rows.reserve(static_cast<qsizetype>(count));
    for (size_t k = 0; k < count; ++k) {
        size_t i = start + k;
        if (i >= keep_) i -= keep_;
        const Slot& r = spare_[i];
        Strings& strings = spareStrings_[i];
        SendJob* job = r.job;
        Delivery d;
        d.seq = r.seq;
        d.topic = job->topic;
        d.partition = r.partition;
        d.offset = r.offset;
        d.timestampMs = r.timestampMs;
        d.latencyMs = r.latencyMs;
        if (job->perRecordPreviews) {
            d.key = std::move(strings.key);
            d.value = std::move(strings.value);
        } else {
            d.key = job->keyPreview;
            d.value = job->valuePreview;
        }
        if (strings.used) {
            d.error = std::move(strings.error);
            strings = Strings{};  // this buffer is the next ring: clean slots are not swapped
        }
        tick.rows.push_back(std::move(d));
        job->drained++;
    }
    return tick;
}

}  // namespace bs::ui
