#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

#include "delivery.h"
#include "delivery_feed.h"
#include "job_queue.h"
#include "producer/kafka_producer.h"
#include "record_draft.h"

namespace bs::ui {

class ClusterSession;

// Sending from the GUI: one record, or a repeat of N at R records/s, built from a RecordDraft
// and handed to the session's producer, never on the GUI thread: single records on the producer
// worker (after any connection change asked for before them), a repeat on its own worker
// (`bs-repeat`), so a Send during a repeat goes out at once instead of after it, as two threads
// of a Java application share one KafkaProducer. Each record's callback (on the producer's
// sender thread) reports into the DeliveryFeed; the poller hands what arrived to the views with
// takeDeliveries(). Lives on the GUI thread.
class SendService : public QObject {
    Q_OBJECT
  public:
    // `session` outlives this service's jobs: destroy the session first (it joins the worker
    // and closes the producer, whose callbacks report into this feed).
    explicit SendService(ClusterSession* session, QObject* parent = nullptr);
    // Stops a repeat and joins its worker.
    ~SendService() override;

    // Never block the caller.
    void send(const RecordDraft& draft);
    // `synchronous`: send().get() for each record, as the classic walkthrough's example does:
    // the next record is sent only once the previous one is acknowledged (or failed).
    void sendRepeated(const RecordDraft& draft, qint64 count, double ratePerSec,
                      bool synchronous = false);
    void cancelRepeat();
    bool repeating() const { return repeating_; }
    // Every send() so far numbers itself from seq_: the last number is the count.
    qint64 sentCount() const { return seq_.load(); }
    qint64 deliveredCount() const { return feed_.okCount(); }
    qint64 failedCount() const { return feed_.failedCount(); }

    // Records another part of the window sends itself (Import records…), reported into the
    // Deliveries like a repeat's. On the sending thread: open a job, wrap each record's callback
    // (it then counts as sent here), seal the job with the number handed to send().
    SendJob* openExternalJob(const QString& topic);
    producer::Callback deliveryCallback(SendJob* job, QString keyPreview, QString valuePreview,
                                        producer::Callback then);
    void sealExternalJob(SendJob* job, qint64 sent);

    // GUI thread: what completed since the last call (emitted as delivered() when not empty),
    // and the repeat's progress with it. Returns how many deliveries the tick held.
    qint64 takeDeliveries();

  Q_SIGNALS:
    void delivered(const bs::ui::DeliveryTick& tick);
    void sendFailed(const QString& error);
    // A repeat of `count` records at `ratePerSec` (0: as fast as the producer takes them;
    // `synchronous`: each waits for the previous one's acknowledgement) was asked for (the GUI
    // thread, before its first record goes out).
    void repeatStarted(qint64 count, double ratePerSec, bool synchronous);
    void repeatProgress(qint64 done, qint64 total);
    void repeatFinished(qint64 sent, bool cancelled);

  private:
    // A draft ready to send many times: without templates, serialized and previewed once.
    struct PreparedDraft {
        explicit PreparedDraft(RecordDraft d);
        RecordDraft draft;
        std::optional<Result<producer::ProducerRecord>> fixed;
        QString keyPreview, valuePreview;
    };
    SendJob* openJob(const PreparedDraft& prepared);
    // Sends record `n` of the job (producer worker); false if it could not be handed over.
    // `future`, when given, receives send()'s future.
    bool sendOnWorker(const PreparedDraft& prepared, producer::KafkaProducer* p, SendJob* job,
                      qint64 n, producer::FutureRecordMetadata* future = nullptr);
    // sendOnWorker with the record built (`nowMs`: the time its templates were expanded with).
    bool sendRecord(const PreparedDraft& prepared, const Result<producer::ProducerRecord>& record,
                    producer::KafkaProducer* p, SendJob* job, qint64 n, qint64 nowMs,
                    producer::FutureRecordMetadata* future);
    // The repeat's loop (the repeat worker).
    void repeatOnWorker(const RecordDraft& draft, qint64 count, double ratePerSec, bool synchronous,
                        const std::shared_ptr<producer::KafkaProducer>& p);
    // get() on the repeat worker, in short waits so Cancel is heard; false if cancelled first.
    bool awaitDelivery(const producer::FutureRecordMetadata& future);
    // A record's callback: its delivery report into the job's feed.
    static void report(SendJob* job, qint64 seq, const producer::RecordMetadata& md,
                       const Error* error, QString key, QString value);

    ClusterSession* const session_;
    // GUI thread only.
    bool repeating_ = false;
    qint64 repeatTotal_ = 0;
    qint64 singleSends_ = 0;  // GUI thread: ${n} of the last single send
    // Thread-safe. The sender thread writes the feed's counters for every delivery while the
    // repeat worker bumps seq_ for every send: on one cache line the two threads took it from
    // each other about two million times a second (the lock xadd on seq_ was 72 % of
    // sendOnWorker's samples), so the repeat's counters keep a line of their own.
    DeliveryFeed feed_{kDeliveriesKept};
    alignas(64) std::atomic<qint64> seq_{0};  // send() order, from both workers
    std::atomic<qint64> repeatDone_{0};
    std::atomic<bool> cancelRepeat_{false};
    // Declared last: joined first, before the state its job uses.
    std::unique_ptr<JobQueue> repeatQueue_;
};

}  // namespace bs::ui
