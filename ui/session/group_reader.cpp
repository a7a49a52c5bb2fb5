#include "session/group_reader.h"

#include <QDateTime>

#include "common/clock.h"
#include "consumer/consumer_config.h"
#include "consumer/consumer_group_admin.h"

namespace bs::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
}  // namespace

GroupReader::GroupReader(QObject* parent)
    : QObject(parent), queue_(std::make_unique<JobQueue>("bs-groups")) {}

GroupReader::~GroupReader() {
    queue_->clear();
    queue_.reset();  // joins; the admin is then ours alone
}

void GroupReader::setConnection(const std::map<std::string, std::string>& clientProps) {
    if (clientProps == connection_) return;
    connection_ = clientProps;
    queue_->clear();  // reads of the old cluster: no one wants them now
    refreshing_ = false;
    ++generation_;
    queue_->post([this, c = clientProps] { wantedConnection_ = c; });
}

consumer::ConsumerGroupAdmin* GroupReader::adminOnWorker(std::string& error) {
    if (admin_ && adminConnection_ == wantedConnection_) return admin_.get();
    admin_.reset();
    if (wantedConnection_.empty()) {
        error = "not connected";
        return nullptr;
    }
    auto props = wantedConnection_;
    props.insert({{"client.id", "batchscope-groups"},
                  {"request.timeout.ms", std::to_string(kRequestTimeoutMs)},
                  {"default.api.timeout.ms", std::to_string(kRequestTimeoutMs)}});
    auto config = consumer::ConsumerConfig::parse(props);
    if (!config) {
        error = "admin configuration: " + config.error().message;
        return nullptr;
    }
    auto created = consumer::ConsumerGroupAdmin::create(*config, SystemClock::instance());
    if (!created) {
        error = created.error().message;
        return nullptr;
    }
    admin_ = std::move(*created);
    adminConnection_ = wantedConnection_;
    return admin_.get();
}

void GroupReader::refresh(const std::string& selected) {
    if (refreshing_) return;
    refreshing_ = true;
    queue_->post([this, selected, gen = generation_] {
        auto snapshot = readOnWorker(selected);
        QMetaObject::invokeMethod(this, [this, gen, snapshot = std::move(snapshot)] {
            if (gen != generation_) return;  // read from the cluster we left
            refreshing_ = false;
            Q_EMIT snapshotReady(snapshot);
        });
    });
}

std::shared_ptr<GroupsSnapshot> GroupReader::readOnWorker(const std::string& selected) {
    auto s = std::make_shared<GroupsSnapshot>();
    s->selected = selected;
    auto done = [&] {
        s->timeMs = QDateTime::currentMSecsSinceEpoch();
        return s;
    };
    std::string error;
    auto* admin = adminOnWorker(error);
    if (!admin) {
        s->error = qs(error);
        return done();
    }
    auto listed = admin->listGroups();
    if (!listed) {
        s->error = qs(listed.error().message);
        admin_.reset();  // a broken connection: start over next time
        return done();
    }
    std::map<std::string, consumer::ListedGroup> ids;  // one per group, sorted
    for (const auto& g : *listed)
        ids.emplace(g.groupId, g);
    for (const auto& [id, listedGroup] : ids) {
        GroupSummary row;
        row.groupId = id;
        row.protocolType = listedGroup.protocolType;
        row.state = listedGroup.state;
        auto offsets = consumer::describeGroupOffsets(*admin, id);
        if (!offsets) {
            row.error = qs(offsets.error().message);
        } else {
            row.state = offsets->description.state;
            if (!offsets->description.protocolType.empty())
                row.protocolType = offsets->description.protocolType;
            row.protocol = offsets->description.protocol;
            row.members = static_cast<int>(offsets->description.members.size());
            row.totalLag = offsets->totalLag();
            if (id == selected) s->detail = *offsets;
        }
        if (id == selected && !offsets) s->detailError = row.error;
        s->groups.push_back(std::move(row));
    }
    // A selected group that is no longer listed (deleted, or a typed id): describe it anyway.
    if (!selected.empty() && !ids.count(selected)) {
        auto offsets = consumer::describeGroupOffsets(*admin, selected);
        if (offsets)
            s->detail = std::move(*offsets);
        else
            s->detailError = qs(offsets.error().message);
    }
    return done();
}

quint64 GroupReader::planReset(const std::string& group, const std::vector<std::string>& topics,
                               const consumer::OffsetResetSpec& spec) {
    const quint64 id = ++lastPlan_;
    queue_->post([this, id, group, topics, spec] {
        std::map<client::TopicPartition, int64_t> offsets;
        std::string error;
        if (auto* admin = adminOnWorker(error)) {
            auto plan = consumer::planOffsetReset(*admin, group, topics, spec);
            if (plan)
                offsets = std::move(*plan);
            else
                error = plan.error().message;
        }
        QMetaObject::invokeMethod(this, [this, id, offsets = std::move(offsets), error] {
            Q_EMIT planReady(id, offsets, qs(error));
        });
    });
    return id;
}

void GroupReader::executeReset(const std::string& group,
                               const std::map<client::TopicPartition, int64_t>& offsets) {
    queue_->post([this, group, offsets] {
        std::string error;
        if (auto* admin = adminOnWorker(error)) {
            if (auto s = admin->commitOffsets(group, offsets); !s) error = s.message();
        }
        QMetaObject::invokeMethod(this,
                                  [this, group, error] { Q_EMIT resetDone(qs(group), qs(error)); });
    });
}

}  // namespace bs::ui
