#include "session/inspector_reader.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "consumer/consumer_config.h"
#include "consumer/kafka_consumer.h"
#include "consumer/record_filter.h"

namespace bs::ui {

namespace {

constexpr int64_t kApiTimeoutMs = 10000;
constexpr int64_t kPollSliceMs = 200;

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

InspectorReader::InspectorReader(QObject* parent)
    : QObject(parent), queue_(std::make_unique<JobQueue>("bs-inspector")) {}

InspectorReader::~InspectorReader() {
    cancel();
    queue_->clear();
    queue_.reset();  // joins; the consumer is then ours alone
    if (consumer_) consumer_->close();
}

void InspectorReader::setConnection(const std::map<std::string, std::string>& clientProps) {
    if (clientProps == connection_) return;
    connection_ = clientProps;
    cancel();
    queue_->post([this, c = clientProps] { wantedConnection_ = c; });
}

void InspectorReader::setSchemaRegistryUrl(const QString& url) {
    if (url == registryUrl_) return;
    registryUrl_ = url;
    queue_->post([this, u = url.toStdString()] { decoder_.setRegistryUrl(u); });
}

void InspectorReader::cancel() {
    // Queued reads of the old browse still run, but see the new generation at once and come
    // back empty: every read delivers exactly once, which keeps busy() exact.
    ++generation_;
    std::lock_guard lock(liveMu_);
    if (live_) {
        live_->wakeup();
        wakeupSent_ = true;
    }
}

void InspectorReader::open(const InspectorQuery& query, int pageSize) {
    cancel();
    topic_ = query.topic;
    const quint64 gen = generation_.load();
    ++outstanding_;
    queue_->post([this, gen, query, pageSize] { openOnWorker(gen, query, pageSize); });
}

void InspectorReader::search(const InspectorQuery& query,
                             std::shared_ptr<const consumer::RecordFilter> filter, qint64 scanLimit,
                             int maxMatches) {
    cancel();
    stopSearch_ = false;
    topic_ = query.topic;
    const quint64 gen = generation_.load();
    ++outstanding_;
    queue_->post([this, gen, query, filter = std::move(filter), scanLimit, maxMatches] {
        searchOnWorker(gen, query, filter, scanLimit, maxMatches);
    });
}

void InspectorReader::read(PageKind kind, std::vector<InspectorSpan> spans, int maxRecords) {
    const quint64 gen = generation_.load();
    ++outstanding_;
    queue_->post([this, gen, kind, topic = topic_, spans = std::move(spans), maxRecords] {
        auto page = std::make_shared<InspectorPage>();
        page->generation = gen;
        page->kind = kind;
        page->topic = topic;
        if (gen == generation_.load()) readOnWorker(*page, spans, maxRecords);
        deliver(std::move(page));
    });
}

void InspectorReader::deliver(std::shared_ptr<InspectorPage> page) {
    {
        // Every job ends here (worker thread): no read is running until the next one starts.
        std::lock_guard lock(liveMu_);
        live_ = nullptr;
    }
    // Registry calls stay on this worker; the chunks are still this thread's alone.
    if (page->generation == generation_.load()) decoder_.decodePage(*page);
    QMetaObject::invokeMethod(this, [this, page = std::move(page)] {
        outstanding_ = std::max(0, outstanding_ - 1);
        if (page->generation != generation_.load()) return;  // a newer browse replaced it
        Q_EMIT pageReady(page);
    });
}

consumer::KafkaConsumer* InspectorReader::consumerOnWorker(std::string& error) {
    if (consumer_ && consumerConnection_ == wantedConnection_) return startUsing(consumer_.get());
    if (consumer_) consumer_->close();
    consumer_.reset();
    if (wantedConnection_.empty()) {
        error = "not connected";
        return nullptr;
    }
    // Bytes in, bytes out: the model renders them with the deserializer chosen in the view.
    // A short fetch.max.wait.ms keeps Follow responsive.
    std::map<std::string, std::string> props = wantedConnection_;
    props.insert({{"client.id", "batchscope-inspector"},
                  {"auto.offset.reset", "earliest"},
                  {"fetch.max.wait.ms", std::to_string(kFollowWaitMs)},
                  {"max.poll.records", "500"},
                  {"request.timeout.ms", std::to_string(kApiTimeoutMs)},
                  {"default.api.timeout.ms", std::to_string(kApiTimeoutMs)},
                  {"allow.auto.create.topics", "false"}});
    auto config = consumer::ConsumerConfig::parse(props);
    if (!config) {
        error = "consumer configuration: " + config.error().message;
        return nullptr;
    }
    auto created = consumer::KafkaConsumer::create(*config);
    if (!created) {
        error = "consumer: " + created.error().message;
        return nullptr;
    }
    consumer_ = std::move(*created);
    consumerConnection_ = wantedConnection_;
    return startUsing(consumer_.get());
}

consumer::KafkaConsumer* InspectorReader::startUsing(consumer::KafkaConsumer* c) {
    // A cancel() that came after the last blocking call of a read left its wakeup pending: the
    // first check of a cheap call takes it, so it cannot fail this read.
    if (wakeupSent_.exchange(false)) (void)c->position(consumer::TopicPartition{"", -1}, 0);
    std::lock_guard lock(liveMu_);
    live_ = c;
    return c;
}

void InspectorReader::openOnWorker(quint64 gen, const InspectorQuery& query, int pageSize) {
    auto page = std::make_shared<InspectorPage>();
    page->generation = gen;
    page->kind = PageKind::Initial;
    page->topic = query.topic;
    auto finish = [&](const std::string& error) {
        if (!error.empty()) page->error = qs(error);
        deliver(std::move(page));
    };
    if (gen != generation_.load()) return finish({});
    std::string error;
    consumer::KafkaConsumer* c = consumerOnWorker(error);
    if (!c) return finish(error);
    auto spans = spansOnWorker(c, query, error);
    if (!error.empty()) return finish(error);
    readOnWorker(*page, spans, pageSize);
    finish({});
}

std::vector<InspectorSpan> InspectorReader::spansOnWorker(consumer::KafkaConsumer* c,
                                                          const InspectorQuery& query,
                                                          std::string& error) {
    const std::string topic = query.topic.toStdString();

    auto parts = c->partitionsFor(topic, kApiTimeoutMs);
    if (!parts) {
        error = parts.error().message;
        return {};
    }
    std::vector<int32_t> chosen;
    if (query.partition >= 0) {
        if (std::find(parts->begin(), parts->end(), query.partition) == parts->end()) {
            error = "topic '" + topic + "' has no partition " + std::to_string(query.partition) +
                    " (it has " + std::to_string(parts->size()) + ")";
            return {};
        }
        chosen.push_back(query.partition);
    } else {
        chosen = *parts;
    }
    std::vector<consumer::TopicPartition> tps;
    for (int32_t p : chosen)
        tps.push_back({topic, p});
    c->assign(tps);
    auto begin = c->beginningOffsets(tps, kApiTimeoutMs);
    if (!begin) {
        error = begin.error().message;
        return {};
    }
    auto end = c->endOffsets(tps, kApiTimeoutMs);
    if (!end) {
        error = end.error().message;
        return {};
    }

    std::map<consumer::TopicPartition, std::optional<consumer::OffsetAndTimestamp>> byTime;
    if (query.start == InspectorStart::Timestamp) {
        std::map<consumer::TopicPartition, int64_t> ask;
        for (const auto& tp : tps)
            ask[tp] = query.value;
        auto r = c->offsetsForTimes(ask, kApiTimeoutMs);
        if (!r) {
            error = r.error().message;
            return {};
        }
        byTime = std::move(*r);
    }
    const qint64 to = query.until >= 0 ? query.until + 1 : -1;
    std::vector<InspectorSpan> spans;
    for (const auto& tp : tps) {
        const int64_t b = begin->at(tp), e = end->at(tp);
        int64_t from = b;
        switch (query.start) {
            case InspectorStart::Earliest:
                from = b;
                break;
            case InspectorStart::Latest:
                from = e;
                break;
            case InspectorStart::Offset:
                from = query.value;
                break;
            case InspectorStart::Timestamp: {
                const auto& found = byTime[tp];
                from = found ? found->offset : e;
                break;
            }
            case InspectorStart::NewestN:
                from = std::max<int64_t>(b, e - std::max<qint64>(query.value, 0));
                break;
        }
        spans.push_back({tp.partition, from, to});
    }
    return spans;
}

void InspectorReader::postProgress(const SearchProgress& progress) {
    QMetaObject::invokeMethod(this, [this, progress] {
        if (progress.generation == generation_.load()) Q_EMIT searchProgress(progress);
    });
}

void InspectorReader::searchOnWorker(quint64 gen, const InspectorQuery& query,
                                     const std::shared_ptr<const consumer::RecordFilter>& filter,
                                     qint64 scanLimit, int maxMatches) {
    auto page = std::make_shared<InspectorPage>();
    page->generation = gen;
    page->kind = PageKind::Search;
    page->topic = query.topic;
    SearchProgress progress;
    progress.generation = gen;
    // The page is delivered before the last progress, so the matches are shown when it says
    // "done".
    auto finish = [&](const std::string& error) {
        if (!error.empty()) page->error = progress.error = qs(error);
        progress.done = true;
        deliver(std::move(page));
        postProgress(progress);
    };
    if (gen != generation_.load()) return finish({});
    std::string error;
    consumer::KafkaConsumer* c = consumerOnWorker(error);
    if (!c) return finish(error);
    const auto spans = spansOnWorker(c, query, error);
    if (!error.empty()) return finish(error);
    const std::string topic = query.topic.toStdString();
    std::vector<consumer::TopicPartition> tps;
    for (const auto& sp : spans)
        tps.push_back({topic, sp.partition});
    c->assign(tps);
    auto begin = c->beginningOffsets(tps, kApiTimeoutMs);
    if (!begin) return finish(begin.error().message);
    auto end = c->endOffsets(tps, kApiTimeoutMs);
    if (!end) return finish(end.error().message);
    // The scan stops at the end each partition has now: records that arrive meanwhile are
    // not part of this search (as a page is a snapshot).
    std::map<int, int64_t> stop;
    for (const auto& sp : spans) {
        const consumer::TopicPartition tp{topic, sp.partition};
        int64_t limit = end->at(tp);
        if (sp.to >= 0) limit = std::min<int64_t>(limit, sp.to);
        const int64_t from =
            std::clamp<int64_t>(sp.from, begin->at(tp), std::max<int64_t>(limit, begin->at(tp)));
        limit = std::max(limit, from);
        progress.partitions[sp.partition] = {from, limit, from};
        page->partitions[sp.partition] =
            PartitionBounds{begin->at(tp), end->at(tp), from, from, sp.to};
        if (from < limit) {
            stop[sp.partition] = limit;
            c->seek(tp, from);
        }
    }
    auto lastReport = std::chrono::steady_clock::now();
    int64_t idleSince = nowMs();
    while (!stop.empty() && gen == generation_.load()) {
        if (stopSearch_.load()) {
            progress.stopped = true;
            break;
        }
        if (progress.scanned >= scanLimit) {
            progress.hitScanLimit = true;
            break;
        }
        if (progress.matched >= maxMatches) {
            progress.hitMatchLimit = true;
            break;
        }
        auto polled = c->poll(kPollSliceMs);
        if (!polled) return finish(polled.error().message);
        if (polled->empty()) {
            if (nowMs() - idleSince > kReadTimeoutMs)
                return finish("no records arrived for " + std::to_string(kReadTimeoutMs / 1000) +
                              " s before the end of the scan");
        } else {
            idleSince = nowMs();
        }
        std::set<int> limited;  // partitions whose position is past what was scanned
        if (!polled->empty()) {
            auto chunk = std::make_shared<const consumer::ConsumerRecords>(std::move(*polled));
            for (uint32_t i = 0; i < chunk->size(); ++i) {
                const consumer::ConsumerRecord r = (*chunk)[i];
                const auto it = stop.find(r.partition());
                if (it == stop.end() || r.offset >= it->second) continue;
                if (progress.scanned >= scanLimit || progress.matched >= maxMatches) {
                    limited.insert(r.partition());
                    continue;
                }
                ++progress.scanned;
                progress.partitions[r.partition()].next = r.offset + 1;
                if (filter->matches(r)) {
                    ++progress.matched;
                    page->records.push_back({chunk, i, nullptr, nullptr});
                }
            }
        }
        for (auto it = stop.begin(); it != stop.end();) {
            auto& pos = progress.partitions[it->first];
            if (!limited.count(it->first)) {
                // Past control batches and compacted gaps too.
                if (auto p = c->position({topic, it->first}, 0))
                    pos.next = std::max<qint64>(pos.next, std::min(*p, it->second));
            }
            page->partitions[it->first].next = pos.next;
            it = pos.next >= it->second ? stop.erase(it) : std::next(it);
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - lastReport >= std::chrono::milliseconds(100)) {
            lastReport = now;
            postProgress(progress);
        }
    }
    std::stable_sort(page->records.begin(), page->records.end(),
                     [](const InspectorRecordRef& a, const InspectorRecordRef& b) {
                         const auto ra = a.record(), rb = b.record();
                         if (ra.partition() != rb.partition())
                             return ra.partition() < rb.partition();
                         return ra.offset < rb.offset;
                     });
    finish({});
}

void InspectorReader::readOnWorker(InspectorPage& page, const std::vector<InspectorSpan>& spans,
                                   int maxRecords) {
    if (page.generation != generation_.load()) return;  // cancelled meanwhile
    std::string error;
    consumer::KafkaConsumer* c = consumerOnWorker(error);
    if (!c) {
        page.error = qs(error);
        return;
    }
    const std::string topic = page.topic.toStdString();
    std::vector<consumer::TopicPartition> tps;
    for (const auto& s : spans)
        tps.push_back({topic, s.partition});
    c->assign(tps);
    auto begin = c->beginningOffsets(tps, kApiTimeoutMs);
    if (!begin) {
        page.error = qs(begin.error().message);
        return;
    }
    auto end = c->endOffsets(tps, kApiTimeoutMs);
    if (!end) {
        page.error = qs(end.error().message);
        return;
    }
    const bool follow = page.kind == PageKind::Follow;
    // Where each partition stops: the end seen now (a page is a snapshot), or never for Follow.
    std::map<int, int64_t> stop;
    for (const auto& s : spans) {
        const consumer::TopicPartition tp{topic, s.partition};
        const int64_t b = begin->at(tp), e = end->at(tp);
        const int64_t from = std::clamp<int64_t>(s.from, b, e);
        int64_t limit = follow ? INT64_MAX : e;
        if (s.to >= 0) limit = std::min<int64_t>(limit, s.to);
        page.partitions[s.partition] = PartitionBounds{b, e, from, from, s.to};
        if (from < limit) {
            stop[s.partition] = limit;
            c->seek(tp, from);
        }
    }
    const int64_t deadline = nowMs() + (follow ? kFollowWaitMs : kReadTimeoutMs);
    const auto gen = page.generation;
    size_t total = 0;
    while (!stop.empty() && total < static_cast<size_t>(maxRecords) && gen == generation_.load()) {
        const int64_t remaining = deadline - nowMs();
        if (remaining <= 0) break;
        auto polled = c->poll(std::min(remaining, kPollSliceMs));
        if (!polled) {
            page.error = qs(polled.error().message);
            break;
        }
        std::set<int> capped;
        if (!polled->empty()) {
            auto chunk = std::make_shared<const consumer::ConsumerRecords>(std::move(*polled));
            for (uint32_t i = 0; i < chunk->size(); ++i) {
                const consumer::ConsumerRecord r = (*chunk)[i];
                const auto it = stop.find(r.partition());
                if (it == stop.end() || r.offset >= it->second) continue;
                if (total >= static_cast<size_t>(maxRecords)) {
                    capped.insert(r.partition());
                    continue;
                }
                page.records.push_back({chunk, i, nullptr, nullptr});
                page.partitions[r.partition()].next = r.offset + 1;
                ++total;
            }
        }
        // The position also moves over offsets that hold no record for us (control batches).
        for (auto it = stop.begin(); it != stop.end();) {
            auto& bounds = page.partitions[it->first];
            if (!capped.count(it->first)) {
                auto pos = c->position({topic, it->first}, 0);
                if (pos) bounds.next = std::max<qint64>(bounds.next, std::min(*pos, it->second));
            }
            if (auto hw = c->highWatermark({topic, it->first}))
                bounds.end = std::max<qint64>(bounds.end, *hw);
            it = bounds.next >= it->second || capped.count(it->first) ? stop.erase(it)
                                                                      : std::next(it);
        }
        if (follow && total > 0) break;  // tail: hand over what arrived
    }
    std::stable_sort(page.records.begin(), page.records.end(),
                     [](const InspectorRecordRef& a, const InspectorRecordRef& b) {
                         const auto ra = a.record(), rb = b.record();
                         if (ra.partition() != rb.partition())
                             return ra.partition() < rb.partition();
                         return ra.offset < rb.offset;
                     });
}

}  // namespace bs::ui
