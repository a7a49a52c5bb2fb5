#pragma once

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "consumer/group_offsets.h"
#include "job_queue.h"
#include "models/group_snapshot.h"

namespace bs::consumer {
class ConsumerGroupAdmin;
}

namespace bs::ui {

// The consumer groups view's admin client: lists and describes groups, plans and commits offset
// resets with a core ConsumerGroupAdmin on its own worker thread (each admin call blocks up to
// request.timeout.ms) and hands the results to the GUI thread by queued calls. Lives on the GUI
// thread; the admin lives on (and is only touched by) the worker.
class GroupReader : public QObject {
    Q_OBJECT
  public:
    static constexpr int kRequestTimeoutMs = 5000;

    explicit GroupReader(QObject* parent = nullptr);
    ~GroupReader() override;

    // bootstrap.servers and the security settings (ClusterSession::clientProperties()); a change
    // drops the admin, the next call makes one for the new cluster.
    void setConnection(const std::map<std::string, std::string>& clientProps);
    const std::map<std::string, std::string>& connection() const { return connection_; }

    // Reads every group and, in full, `selected` (may be empty); answered by snapshotReady().
    // Ignored while a refresh is still running, so a slow cluster never piles them up.
    void refresh(const std::string& selected);
    bool refreshing() const { return refreshing_; }
    // The dry run of a reset; answered by planReady(id, ...) with the id returned here.
    quint64 planReset(const std::string& group, const std::vector<std::string>& topics,
                      const consumer::OffsetResetSpec& spec);
    // Commits `offsets` for `group` (Kafka refuses it while the group has members); answered by
    // resetDone().
    void executeReset(const std::string& group,
                      const std::map<client::TopicPartition, int64_t>& offsets);

  Q_SIGNALS:
    void snapshotReady(const std::shared_ptr<const bs::ui::GroupsSnapshot>& snapshot);
    void planReady(quint64 id, const std::map<bs::client::TopicPartition, int64_t>& offsets,
                   const QString& error);
    void resetDone(const QString& group, const QString& error);

  private:
    // Worker thread: the admin for the wanted connection, made on first use.
    consumer::ConsumerGroupAdmin* adminOnWorker(std::string& error);
    std::shared_ptr<GroupsSnapshot> readOnWorker(const std::string& selected);

    // GUI thread only.
    std::map<std::string, std::string> connection_;
    bool refreshing_ = false;
    quint64 generation_ = 0;  // bumped by a connection change: older snapshots are dropped
    quint64 lastPlan_ = 0;

    // Worker thread only.
    std::unique_ptr<consumer::ConsumerGroupAdmin> admin_;
    std::map<std::string, std::string> adminConnection_;
    std::map<std::string, std::string> wantedConnection_;

    // Declared last: joined first, before the state its jobs use.
    std::unique_ptr<JobQueue> queue_;
};

}  // namespace bs::ui
