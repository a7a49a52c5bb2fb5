#include "session/record_import.h"

#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "session/cluster_session.h"
#include "session/send_service.h"

namespace bs::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// The file, opened for one pass.
std::unique_ptr<std::ifstream> openFile(const QString& path, QString& error) {
    auto in = std::make_unique<std::ifstream>(path.toStdString(), std::ios::binary);
    if (!*in) {
        error = RecordImporter::tr("cannot read %1").arg(path);
        return nullptr;
    }
    return in;
}

// What the record callbacks (the sender thread) count; shared with them, so a callback that
// runs after a cancelled import returned still has somewhere to count.
struct Tally {
    std::atomic<qint64> delivered{0}, failed{0};
    std::mutex mu;
    QStringList failures;  // guarded by mu

    void fail(qint64 line, const std::string& why) {
        failed.fetch_add(1);
        note(line, why);
    }
    // A reason without a failed send (a bad line skipped).
    void note(qint64 line, const std::string& why) {
        std::lock_guard lock(mu);
        if (failures.size() < RecordImporter::kErrorsKept)
            failures << RecordImporter::tr("line %1: %2").arg(line).arg(qs(why));
    }
};

// The Deliveries' preview of a key or value: UTF-8 text (cut), else hex; null as "null".
QString preview(const std::optional<recordfile::Bytes>& b) {
    if (!b) return QStringLiteral("null");
    const auto n = static_cast<qsizetype>(std::min<size_t>(b->size(), 64));
    const QByteArray raw(reinterpret_cast<const char*>(b->data()), n);
    const QString s = QString::fromUtf8(raw);
    if (s.toUtf8() == raw) return b->size() > 64 ? s + QChar(0x2026) : s;
    return QString::fromLatin1(raw.toHex());
}

producer::ProducerRecord toProducerRecord(const std::string& topic, recordfile::FileRecord&& f) {
    producer::ProducerRecord r;
    r.topic = topic;
    r.partition = f.partition;
    r.timestamp = f.timestamp;
    if (f.key) r.key = std::move(*f.key);
    if (f.value) r.value = std::move(*f.value);
    for (auto& h : f.headers)
        r.headers.push_back({std::move(h.name), std::move(h.value)});
    return r;
}

}  // namespace

RecordImporter::RecordImporter(ClusterSession* session, SendService* sends, QObject* parent)
    : QObject(parent),
      session_(session),
      sends_(sends),
      queue_(std::make_unique<JobQueue>("bs-import")) {}

RecordImporter::~RecordImporter() {
    cancel();
    queue_.reset();
}

void RecordImporter::check(const QString& path, const recordfile::ReadOptions& options) {
    queue_->post([this, path, options] {
        ImportCheck c;
        c.path = path;
        auto in = openFile(path, c.failure);
        if (in) {
            recordfile::RecordFileReader reader(*in, options);
            recordfile::ReadEntry e;
            while (reader.next(e)) {
                if (e.ok()) {
                    ++c.records;
                } else {
                    ++c.bad;
                    if (c.errors.size() < kErrorsKept) c.errors << qs(e.error);
                    if (e.fatal) c.failure = qs(e.error);
                }
                if (c.preview.size() < static_cast<size_t>(kPreviewRows)) c.preview.push_back(e);
                if (e.fatal) break;
            }
        }
        QMetaObject::invokeMethod(this, [this, c = std::move(c)] { Q_EMIT checked(c); });
    });
}

void RecordImporter::start(const QString& path, const recordfile::ReadOptions& options,
                           const QString& topic, bool skipBadLines, double ratePerSec) {
    if (running_) return;
    running_ = true;
    cancel_ = false;
    Q_EMIT progress(0, 0, 0);
    // As a repeat: the producer in use once earlier connection changes are done.
    session_->post([this, path, options, topic = topic.toStdString(), skipBadLines, ratePerSec] {
        queue_->post(
            [this, path, options, topic, skipBadLines, ratePerSec, p = session_->producer()] {
                ImportSummary s = importOnWorker(path, options, topic, skipBadLines, ratePerSec, p);
                QMetaObject::invokeMethod(this, [this, s = std::move(s)] {
                    running_ = false;
                    Q_EMIT progress(s.sent, s.delivered, s.failed);
                    Q_EMIT finished(s);
                });
            });
    });
}

void RecordImporter::setPaused(bool paused) {
    paused_ = paused;
}

void RecordImporter::cancel() {
    cancel_ = true;
}

bool RecordImporter::waitWhilePaused() const {
    while (paused_.load() && !cancel_.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return !cancel_.load();
}

ImportSummary RecordImporter::importOnWorker(const QString& path,
                                             const recordfile::ReadOptions& options,
                                             const std::string& topic, bool skipBadLines,
                                             double ratePerSec,
                                             const std::shared_ptr<producer::KafkaProducer>& p) {
    ImportSummary s;
    if (!p) {
        s.refused = tr("not connected: nothing sent");
        return s;
    }
    if (!skipBadLines) {
        // The whole file again (it may have changed since the preview): nothing is sent from a
        // file with a bad line.
        QString error;
        auto in = openFile(path, error);
        if (!in) {
            s.refused = error;
            return s;
        }
        recordfile::RecordFileReader reader(*in, options);
        recordfile::ReadEntry e;
        qint64 bad = 0;
        QString first;
        while (reader.next(e) && !cancel_.load()) {
            if (e.ok()) continue;
            if (bad++ == 0) first = qs(e.error);
            if (e.fatal) break;
        }
        if (bad > 0) {
            s.refused = (bad == 1 ? tr("1 bad line") : tr("%1 bad lines").arg(bad)) +
                        tr(", nothing sent (first: %1)").arg(first);
            return s;
        }
    }
    QString error;
    auto in = openFile(path, error);
    if (!in) {
        s.refused = error;
        return s;
    }
    auto tally = std::make_shared<Tally>();
    SendJob* job = sends_ ? sends_->openExternalJob(QString::fromStdString(topic)) : nullptr;
    recordfile::RecordFileReader reader(*in, options);
    recordfile::ReadEntry e;
    const auto begin = std::chrono::steady_clock::now();
    auto lastReport = begin;
    while (waitWhilePaused() && reader.next(e)) {
        if (!e.ok()) {
            ++s.skipped;
            tally->note(e.line, e.error);
            if (e.fatal) break;
            continue;
        }
        if (ratePerSec > 0) {
            const auto due = begin + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         std::chrono::duration<double>(s.sent / ratePerSec));
            while (!cancel_.load() && std::chrono::steady_clock::now() < due)
                std::this_thread::sleep_until(std::min(
                    due, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
            if (cancel_.load()) break;
        }
        const qint64 line = e.line;
        producer::Callback done = [tally, line](const producer::RecordMetadata&, const Error* err) {
            if (err)
                tally->fail(line, err->message);
            else
                tally->delivered.fetch_add(1);
        };
        if (job)
            done = sends_->deliveryCallback(job, preview(e.record->key), preview(e.record->value),
                                            std::move(done));
        p->send(toProducerRecord(topic, std::move(*e.record)), std::move(done));
        ++s.sent;
        const auto now = std::chrono::steady_clock::now();
        if (now - lastReport > std::chrono::milliseconds(50)) {
            lastReport = now;
            QMetaObject::invokeMethod(
                this, [this, sent = s.sent, d = tally->delivered.load(), f = tally->failed.load()] {
                    Q_EMIT progress(sent, d, f);
                });
        }
    }
    s.cancelled = cancel_.load();
    if (job) sends_->sealExternalJob(job, s.sent);
    // Every record handed over completes (acknowledged or failed) before the summary; after a
    // cancel for at most 5 s more (a paused sender holds them: they are then counted pending).
    auto cancelledAt = std::optional<std::chrono::steady_clock::time_point>();
    while (tally->delivered.load() + tally->failed.load() < s.sent) {
        if (cancel_.load()) {
            if (!cancelledAt) cancelledAt = std::chrono::steady_clock::now();
            if (std::chrono::steady_clock::now() - *cancelledAt > std::chrono::seconds(5)) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QMetaObject::invokeMethod(
            this, [this, sent = s.sent, d = tally->delivered.load(), f = tally->failed.load()] {
                Q_EMIT progress(sent, d, f);
            });
    }
    s.delivered = tally->delivered.load();
    s.failed = tally->failed.load();
    s.pending = s.sent - s.delivered - s.failed;
    std::lock_guard lock(tally->mu);
    s.failures = tally->failures;
    return s;
}

}  // namespace bs::ui
