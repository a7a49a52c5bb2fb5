#include "log_sink.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <QMetaObject>
#include <QTime>
#include <mutex>

namespace bs::ui {

struct LogRelay::Impl {
    std::mutex mu;
    QStringList pending;  // guarded by mu
    LogRelay* owner;      // guarded by mu (null once the relay is gone)
    std::shared_ptr<spdlog::sinks::sink> sink;
};

namespace {
class RelaySink : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit RelaySink(std::weak_ptr<LogRelay::Impl> impl) : impl_(std::move(impl)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t buf;
        formatter_->format(msg, buf);
        QString line = QString::fromUtf8(buf.data(), static_cast<qsizetype>(buf.size())).trimmed();
        if (auto impl = impl_.lock()) {
            std::lock_guard lock(impl->mu);
            if (impl->owner) impl->owner->postLocked(line);
        }
    }
    void flush_() override {}

  private:
    std::weak_ptr<LogRelay::Impl> impl_;
};
}  // namespace

LogRelay::LogRelay(QObject* parent) : QObject(parent), impl_(std::make_shared<Impl>()) {
    impl_->owner = this;
}

LogRelay::~LogRelay() {
    // The sink stays installed but inert: spdlog's sink list is not safe to edit while other
    // threads (cluster, producer) may be logging.
    std::lock_guard lock(impl_->mu);
    impl_->owner = nullptr;
}

void LogRelay::install() {
    if (impl_->sink) return;
    impl_->sink = std::make_shared<RelaySink>(impl_);
    impl_->sink->set_pattern("%H:%M:%S.%e %^%l%$ %v");
    spdlog::default_logger()->sinks().push_back(impl_->sink);
}

void LogRelay::post(const QString& line) {
    const QString stamped =
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss.zzz")) + QLatin1Char(' ') + line;
    std::lock_guard lock(impl_->mu);
    postLocked(stamped);
}

void LogRelay::postLocked(const QString& line) {
    bool first = impl_->pending.isEmpty();
    impl_->pending.push_back(line);
    if (impl_->pending.size() > 5000) impl_->pending.removeFirst();
    if (!first) return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            QStringList batch;
            {
                std::lock_guard lock(impl_->mu);
                batch.swap(impl_->pending);
            }
            Q_EMIT lines(batch);
        },
        Qt::QueuedConnection);
}

}  // namespace bs::ui
