#pragma once

#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/spin_lock.h"
#include "delivery.h"

namespace bs::ui {

class DeliveryFeed;

// One send job: a single send, or a repeat of one draft. Its records share the topic and, when
// the draft has no templates, the key and value previews, so a record's callback carries only a
// pointer to the job and its seq (small enough for std::function to hold without allocating).
struct SendJob {
    DeliveryFeed* feed = nullptr;
    QString topic;
    QString keyPreview, valuePreview;  // of every record, unless perRecordPreviews
    bool perRecordPreviews = false;    // templated drafts: each report carries its own

    // Written by the sending thread before `sealed` is set; read by the GUI thread after.
    qint64 sent = 0;
    std::atomic<bool> sealed{false};
    // Guarded by the feed's lock: successes per partition not yet handed to the GUI, and
    // reports pushed out of the ring unseen.
    std::vector<qint64> pendingOk;
    qint64 dropped = 0;
    // GUI thread only: reports drained. Once sealed and dropped + drained == sent, no callback
    // or ring slot can still point here and the next drain frees the job.
    qint64 drained = 0;
};

// What a producer callback reports for one record.
struct DeliveryReport {
    SendJob* job = nullptr;
    qint64 seq = 0;
    qint64 offset = -1;
    qint64 timestampMs = -1;
    int partition = -1;
    float latencyMs = -1;  // -1: unknown (failed inside send())
    QString key, value;    // only for jobs with perRecordPreviews
    QString error;         // empty on success
};

// Hands delivery reports from the producer's callbacks (the sender thread; the sending thread
// for records failed at send()) to the GUI thread, which drains them at its poll tick. Only the
// newest `keep` reports are held, in a ring (all the Deliveries table can show), and counts
// are kept for every report: a push is a short lock, a few counters and a move into a slot,
// with no allocation, and memory stays bounded at any rate. Owns the SendJobs.
class DeliveryFeed {
  public:
    // `keep`: reports held between drains (the Deliveries table's cap), at least 1.
    explicit DeliveryFeed(int keep);
    ~DeliveryFeed();

    // Sending thread. A job lives until it is sealed and every record it sent was accounted for.
    SendJob* open(QString topic, QString keyPreview, QString valuePreview, bool perRecordPreviews);
    void seal(SendJob* job, qint64 sent);

    // Any thread.
    void push(DeliveryReport&& report);
    qint64 okCount() const;
    qint64 failedCount() const;

    // GUI thread: everything pushed since the last drain (rows for the newest `keep`).
    DeliveryTick drain();

    // Jobs still held (tests).
    size_t jobCount() const;

  private:
    const size_t keep_;
    // push() takes it for every record (about two million a second at full speed) to bump a few
    // counters and fill one slot; drain() for a swap and the jobs' counts: nothing under it
    // blocks, so a spin lock (one read-modify-write; std::mutex costs two and two calls).
    mutable SpinLock mu_;
    // A report in the ring: 40 bytes, where the whole DeliveryReport is 112. At full speed the
    // ring (10 000 slots) is rewritten about 200 times a second; its strings, present only for
    // templated drafts and failures, live beside it and are touched only then.
    struct Slot {
        SendJob* job = nullptr;
        qint64 seq = 0, offset = -1, timestampMs = -1;
        int partition = -1;
        float latencyMs = -1;
    };
    struct Strings {
        QString key, value, error;
        bool used = false;  // the slot's report had strings
    };
    std::vector<Slot> ring_;                      // guarded by mu_; keep_ slots
    std::vector<Strings> strings_;                // guarded by mu_; beside ring_
    size_t start_ = 0, count_ = 0;                // guarded by mu_; oldest slot, slots used
    std::vector<std::unique_ptr<SendJob>> jobs_;  // guarded by mu_
    qint64 ok_ = 0, failed_ = 0;                  // guarded by mu_; since the start
    qint64 tickOk_ = 0, tickFailed_ = 0;          // guarded by mu_; since the last drain
    // GUI thread: the ring drained last, reused.
    std::vector<Slot> spare_;
    std::vector<Strings> spareStrings_;
};

}  // namespace bs::ui
