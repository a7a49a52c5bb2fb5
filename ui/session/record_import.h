#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "job_queue.h"
#include "producer/kafka_producer.h"
#include "record_file/reader.h"

namespace bs::ui {

class ClusterSession;
class SendService;

// What a check of a record file found (the Import dialog's preview and count).
struct ImportCheck {
    QString path;
    // The first kPreviewRows records or errors, in file order.
    std::vector<recordfile::ReadEntry> preview;
    qint64 records = 0;  // good records in the whole file
    qint64 bad = 0;      // bad lines in the whole file
    QStringList errors;  // the first kErrorsKept of them, "line N: reason"
    QString failure;     // the file could not be read at all (open error, bad CSV header row)
};

// How an import ended.
struct ImportSummary {
    qint64 sent = 0;       // handed to send()
    qint64 delivered = 0;  // acknowledged
    qint64 failed = 0;     // failed (send() or the cluster)
    qint64 pending = 0;    // sent, not completed when a cancel stopped waiting (paused sender)
    qint64 skipped = 0;    // bad lines skipped
    bool cancelled = false;
    QString refused;       // why nothing was sent (bad lines not skipped, unreadable, no producer)
    QStringList failures;  // the first kErrorsKept reasons (failed sends, skipped lines)
};

// Publishes a record file through the session's producer (Import records…): checks a file
// (count, preview, errors) and sends its records, on its own worker (`bs-import`), as the
// composer's repeat does on `bs-repeat`: the producer in use once earlier connection changes are
// done, at full speed or at a rate, with pause and cancel. Unless bad lines are to be skipped,
// the whole file is checked again before the first record is sent, and nothing is sent if any
// line is bad. Each record's delivery also reaches the Deliveries (SendService's feed). Results
// reach the GUI thread by queued calls. Lives on the GUI thread.
class RecordImporter : public QObject {
    Q_OBJECT
  public:
    static constexpr int kPreviewRows = 100;
    static constexpr int kErrorsKept = 100;

    // `sends` (may be null) shows the records in the Deliveries, as the composer's.
    RecordImporter(ClusterSession* session, SendService* sends, QObject* parent = nullptr);
    // Cancels a running import and joins the worker.
    ~RecordImporter() override;

    // Reads the whole file (streamed) on the worker; answered by checked().
    void check(const QString& path, const recordfile::ReadOptions& options);
    // Sends the file's records to `topic`; `ratePerSec` 0 is full speed. Answered by progress()
    // and finished(). Ignored while an import runs.
    void start(const QString& path, const recordfile::ReadOptions& options, const QString& topic,
               bool skipBadLines, double ratePerSec = 0);
    void setPaused(bool paused);
    void cancel();
    bool running() const { return running_; }

  Q_SIGNALS:
    void checked(const bs::ui::ImportCheck& result);
    void progress(qint64 sent, qint64 delivered, qint64 failed);
    void finished(const bs::ui::ImportSummary& summary);

  private:
    // The import's loop (the worker).
    ImportSummary importOnWorker(const QString& path, const recordfile::ReadOptions& options,
                                 const std::string& topic, bool skipBadLines, double ratePerSec,
                                 const std::shared_ptr<producer::KafkaProducer>& p);
    // Waits while paused; false once cancelled.
    bool waitWhilePaused() const;

    ClusterSession* const session_;
    SendService* const sends_;
    bool running_ = false;  // GUI thread
    // Set by the GUI thread, read by the worker.
    std::atomic<bool> paused_{false};
    std::atomic<bool> cancel_{false};
    // Declared last: joined first, before the state its jobs use.
    std::unique_ptr<JobQueue> queue_;
};

}  // namespace bs::ui
