#include "session/send_service.h"

#include <QDateTime>
#include <chrono>
#include <thread>

#include "session/cluster_session.h"

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Previews cost one short copy per record: no regex, no full-value copies.
QString cheapPreview(const RecordDraft& d, bool key, qint64 n, qint64 nowMs) {
    const QString& ser = key ? d.keySerializer : d.valueSerializer;
    const QString& text = key ? d.keyText : d.valueText;
    if (ser == QLatin1String("null")) return QStringLiteral("null");
    return previewField(ser, hasTemplate(text) ? expandTemplate(text, n, nowMs) : text);
}

}  // namespace

SendService::SendService(ClusterSession* session, QObject* parent)
    : QObject(parent), session_(session), repeatQueue_(std::make_unique<JobQueue>("bs-repeat")) {
    // A new connection or new settings stop a repeat (its records would go to the new producer).
    connect(session_, &ClusterSession::replacingProducer, this, &SendService::cancelRepeat);
}

SendService::~SendService() {
    cancelRepeat();
    repeatQueue_.reset();
}

SendService::PreparedDraft::PreparedDraft(RecordDraft d) : draft(std::move(d)) {
    bool templated = hasTemplate(draft.keyText) || hasTemplate(draft.valueText);
    for (const auto& h : draft.headers)
        templated = templated || (!h.hex && hasTemplate(h.value));
    if (!templated) {
        // The same bytes every time: serialize once, preview once (a repeat of a fixed record
        // then costs what a headless send costs).
        fixed = toRecord(draft, 1, 0);
        keyPreview = cheapPreview(draft, true, 1, 0);
        valuePreview = cheapPreview(draft, false, 1, 0);
    }
}

SendJob* SendService::openJob(const PreparedDraft& prepared) {
    return feed_.open(prepared.draft.topic, prepared.keyPreview, prepared.valuePreview,
                      !prepared.fixed.has_value());
}

bool SendService::sendOnWorker(const PreparedDraft& prepared, producer::KafkaProducer* p,
                               SendJob* job, qint64 n, producer::FutureRecordMetadata* future) {
    if (prepared.fixed) return sendRecord(prepared, *prepared.fixed, p, job, n, 0, future);
    // Templates: this record's own bytes. Kept out of the fixed path, whose every record would
    // otherwise zero this Result's storage (176 bytes) first.
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    return sendRecord(prepared, toRecord(prepared.draft, n, nowMs), p, job, n, nowMs, future);
}

bool SendService::sendRecord(const PreparedDraft& prepared,
                             const Result<producer::ProducerRecord>& record,
                             producer::KafkaProducer* p, SendJob* job, qint64 n, qint64 nowMs,
                             producer::FutureRecordMetadata* future) {
    const RecordDraft& draft = prepared.draft;
    if (!record) {
        QMetaObject::invokeMethod(this,
                                  [this, e = qs(record.error().message)] { Q_EMIT sendFailed(e); });
        return false;
    }
    if (!p) {
        QMetaObject::invokeMethod(this, [this] { Q_EMIT sendFailed(tr("not connected")); });
        return false;
    }
    const qint64 seq = seq_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (!job->perRecordPreviews) {
        // {job, seq}: 16 trivially copyable bytes, which std::function keeps inline. This is
        // the path of a repeat at full speed: no allocation and no clock reading per record
        // (the producer measures the latency).
        auto cb = [job, seq](const producer::RecordMetadata& md, const Error* error) {
            report(job, seq, md, error, {}, {});
        };
        // A future only when send().get() waits on it: it costs a reference count per record.
        if (future)
            *future = p->send(*record, std::move(cb));
        else
            p->sendWithoutFuture(*record, std::move(cb));
        return true;
    }
    auto f = p->send(*record, [job, seq, key = cheapPreview(draft, true, n, nowMs),
                               value = cheapPreview(draft, false, n, nowMs)](
                                  const producer::RecordMetadata& md, const Error* error) mutable {
        report(job, seq, md, error, std::move(key), std::move(value));
    });
    if (future) *future = std::move(f);
    return true;
}

void SendService::report(SendJob* job, qint64 seq, const producer::RecordMetadata& md,
                         const Error* error, QString key, QString value) {
    // Any thread (the sender's, or the sending thread's for records failed at send()).
    DeliveryReport r;
    r.job = job;
    r.seq = seq;
    r.partition = md.partition;
    r.offset = md.offset;
    r.timestampMs = md.timestamp;
    r.latencyMs = md.latencyUs >= 0 ? static_cast<float>(md.latencyUs) / 1000.0f : -1.0f;
    r.key = std::move(key);
    r.value = std::move(value);
    if (error) r.error = qs(error->message);
    job->feed->push(std::move(r));
}

void SendService::send(const RecordDraft& draft) {
    // ${n} counts single sends too (1, 2, 3, ...), so repeated clicks make distinct records.
    const qint64 n = ++singleSends_;
    session_->post([this, draft, n] {
        const PreparedDraft prepared(draft);
        SendJob* job = openJob(prepared);
        feed_.seal(job, sendOnWorker(prepared, session_->producer().get(), job, n) ? 1 : 0);
    });
}

void SendService::sendRepeated(const RecordDraft& draft, qint64 count, double ratePerSec,
                               bool synchronous) {
    if (repeating_ || count <= 0) return;
    repeating_ = true;
    repeatTotal_ = count;
    repeatDone_ = 0;
    cancelRepeat_ = false;
    Q_EMIT repeatStarted(count, ratePerSec, synchronous);
    Q_EMIT repeatProgress(0, count);
    // The producer in use once the connection changes asked for before are done; the repeat
    // then runs on its own worker, beside single sends. A later change cancels it.
    session_->post([this, draft, count, ratePerSec, synchronous] {
        repeatQueue_->post([this, draft, count, ratePerSec, synchronous, p = session_->producer()] {
            repeatOnWorker(draft, count, ratePerSec, synchronous, p);
        });
    });
}

bool SendService::awaitDelivery(const producer::FutureRecordMetadata& future) {
    while (!cancelRepeat_.load())
        if (future.getFor(std::chrono::milliseconds(20))) return true;
    return false;
}

void SendService::repeatOnWorker(const RecordDraft& draft, qint64 count, double ratePerSec,
                                 bool synchronous,
                                 const std::shared_ptr<producer::KafkaProducer>& p) {
    const PreparedDraft prepared(draft);
    SendJob* job = openJob(prepared);
    qint64 jobSent = 0;
    // Without a producer, or with a fixed record that cannot be built, every send fails
    // alike: the first failure is reported and the repeat stops.
    const bool hopeless = !p || (prepared.fixed && !*prepared.fixed);
    auto start = std::chrono::steady_clock::now();
    qint64 i = 0;
    bool stoppedWaiting = false;  // cancelled in a send().get()
    for (; i < count && !cancelRepeat_.load(); ++i) {
        if (ratePerSec > 0) {
            const auto offset = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::duration<double>(i / ratePerSec));
            // After a stall (a new producer's first send waiting for metadata and its producer
            // id, a full buffer) the schedule restarts from now: the records missed meanwhile
            // are not sent in one burst, which the rate asked for was meant to prevent.
            if (const auto now = std::chrono::steady_clock::now();
                now - (start + offset) > std::chrono::milliseconds(100))
                start = now - offset;
            const auto due = start + offset;
            // Short naps so cancel takes effect quickly even at 1 record/s.
            while (!cancelRepeat_.load() && std::chrono::steady_clock::now() < due)
                std::this_thread::sleep_until(std::min(
                    due, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
            if (cancelRepeat_.load()) break;
        }
        producer::FutureRecordMetadata future;
        if (sendOnWorker(prepared, p.get(), job, i + 1, synchronous ? &future : nullptr))
            ++jobSent;
        else if (hopeless)
            break;
        // send().get(): this record's acknowledgement before the next send. A paused sender
        // holds it here until Step, as it would hold a Java application's thread.
        if (synchronous && future.valid() && !awaitDelivery(future)) {
            ++i;  // sent, not awaited
            stoppedWaiting = true;
            break;
        }
        repeatDone_.store(i + 1, std::memory_order_relaxed);
    }
    feed_.seal(job, jobSent);
    const bool cancelled = i < count || stoppedWaiting;
    QMetaObject::invokeMethod(this, [this, i, cancelled] {
        repeating_ = false;
        Q_EMIT repeatProgress(i, repeatTotal_);
        Q_EMIT repeatFinished(i, cancelled);
    });
}

SendJob* SendService::openExternalJob(const QString& topic) {
    return feed_.open(topic, {}, {}, true);
}

producer::Callback SendService::deliveryCallback(SendJob* job, QString keyPreview,
                                                 QString valuePreview, producer::Callback then) {
    const qint64 seq = seq_.fetch_add(1, std::memory_order_relaxed) + 1;
    return
        [job, seq, key = std::move(keyPreview), value = std::move(valuePreview),
         then = std::move(then)](const producer::RecordMetadata& md, const Error* error) mutable {
            report(job, seq, md, error, std::move(key), std::move(value));
            if (then) then(md, error);
        };
}

void SendService::sealExternalJob(SendJob* job, qint64 sent) {
    feed_.seal(job, sent);
}

void SendService::cancelRepeat() {
    cancelRepeat_ = true;
}

qint64 SendService::takeDeliveries() {
    DeliveryTick tick = feed_.drain();
    const qint64 n = tick.ok + tick.failed;
    if (n > 0) Q_EMIT delivered(tick);
    if (repeating_) Q_EMIT repeatProgress(repeatDone_.load(), repeatTotal_);
    return n;
}

}  // namespace bs::ui
