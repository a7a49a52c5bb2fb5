#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "job_queue.h"
#include "models/inspector_page.h"
#include "session/schema_decoder.h"

namespace bs::consumer {
class KafkaConsumer;
class RecordFilter;
}  // namespace bs::consumer

namespace bs::ui {

// Reads a topic with a core KafkaConsumer (no groups) on its own worker thread and hands pages
// of records to the GUI thread by queued calls, so the GUI never waits on the network. One
// browse at a time: open() starts a new generation and results of older ones are dropped.
// Lives on the GUI thread; the consumer lives on (and is only touched by) the worker.
class InspectorReader : public QObject {
    Q_OBJECT
  public:
    static constexpr int kFollowWaitMs = 500;    // long poll of a Follow read
    static constexpr int kReadTimeoutMs = 8000;  // a page gives up after this

    explicit InspectorReader(QObject* parent = nullptr);
    ~InspectorReader() override;

    // The cluster to read: bootstrap.servers and its security settings (ClusterSession::
    // clientProperties()). A change cancels the current browse and drops the consumer (the next
    // read makes a new one).
    void setConnection(const std::map<std::string, std::string>& clientProps);
    const std::map<std::string, std::string>& connection() const { return connection_; }
    // The connection's schema.registry.url (empty: none): keys and values in Confluent's wire
    // format are then decoded on the worker (InspectorRecordRef::keySchema / valueSchema).
    void setSchemaRegistryUrl(const QString& url);

    // Starts a new browse: resolves each partition's start offset and reads the first page.
    void open(const InspectorQuery& query, int pageSize);
    // Starts a search: scans the query's partitions from their start to the end each had when
    // the scan began (or the query's range end), keeping the records `filter` matches; reports
    // searchProgress about ten times a second, then pageReady (a Search page) and a last
    // searchProgress with done set. It stops after `scanLimit` records or `maxMatches` matches
    // and says so. A new open() or search() cancels it; stopSearch() ends it with what it has.
    void search(const InspectorQuery& query, std::shared_ptr<const consumer::RecordFilter> filter,
                qint64 scanLimit, int maxMatches);
    void stopSearch() { stopSearch_ = true; }
    // Continues the current browse.
    void read(PageKind kind, std::vector<InspectorSpan> spans, int maxRecords);
    // Drops the current browse: a read blocked in the consumer is woken up, queued reads return
    // at once, and none of their results is delivered.
    void cancel();
    // Reads queued or running for the current browse.
    bool busy() const { return outstanding_ > 0; }
    // The worker is inside a read (it holds the consumer). Any thread.
    bool readInProgress() const {
        std::lock_guard lock(liveMu_);
        return live_ != nullptr;
    }

  Q_SIGNALS:
    void pageReady(const std::shared_ptr<const InspectorPage>& page);
    void searchProgress(const bs::ui::SearchProgress& progress);

  private:
    // Worker-thread halves.
    void openOnWorker(quint64 gen, const InspectorQuery& query, int pageSize);
    void readOnWorker(InspectorPage& page, const std::vector<InspectorSpan>& spans, int maxRecords);
    // Where each partition of the query starts; empty with `error` set on failure.
    std::vector<InspectorSpan> spansOnWorker(consumer::KafkaConsumer* c,
                                             const InspectorQuery& query, std::string& error);
    void searchOnWorker(quint64 gen, const InspectorQuery& query,
                        const std::shared_ptr<const consumer::RecordFilter>& filter,
                        qint64 scanLimit, int maxMatches);
    void postProgress(const SearchProgress& progress);
    consumer::KafkaConsumer* consumerOnWorker(std::string& error);
    consumer::KafkaConsumer* startUsing(consumer::KafkaConsumer* c);
    void deliver(std::shared_ptr<InspectorPage> page);

    // GUI thread only.
    std::map<std::string, std::string> connection_;
    QString registryUrl_;
    QString topic_;
    int outstanding_ = 0;

    // Any thread: the browse whose results are delivered; results of older ones are dropped.
    std::atomic<quint64> generation_{0};
    // The consumer of the read running now (null between reads), so cancel() can wake it up.
    // Guarded by liveMu_. wakeupSent_: a wakeup may still be pending in the consumer.
    mutable std::mutex liveMu_;
    consumer::KafkaConsumer* live_ = nullptr;
    std::atomic<bool> wakeupSent_{false};
    std::atomic<bool> stopSearch_{false};  // set by the GUI thread, read by the running scan
    // Worker thread only.
    std::unique_ptr<consumer::KafkaConsumer> consumer_;
    std::map<std::string, std::string> consumerConnection_;
    std::map<std::string, std::string> wantedConnection_;  // set by jobs from setConnection()
    SchemaDecoder decoder_;

    // Declared last: joined first, before the state its jobs use.
    std::unique_ptr<JobQueue> queue_;
};

}  // namespace bs::ui
