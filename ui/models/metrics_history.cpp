#include "models/metrics_history.h"

#include <cmath>
#include <limits>

namespace bs::ui {

MetricsHistory::MetricsHistory(QObject* parent, int keepSeconds)
    : QObject(parent), keepSeconds_(keepSeconds) {}

const QVector<MetricsHistory::Series>& MetricsHistory::series() {
    static const QVector<Series> s = {
        {QStringLiteral("record-send-rate"), QObject::tr("Records/s"), QStringLiteral("rec/s"),
         QStringLiteral("record-send-total")},
        {QStringLiteral("outgoing-byte-rate"), QObject::tr("Bytes/s"), QStringLiteral("B/s"),
         QStringLiteral("outgoing-byte-total")},
        {QStringLiteral("batch-size-avg"), QObject::tr("Avg batch size"), QStringLiteral("B"), {}},
        {QStringLiteral("records-per-request-avg"),
         QObject::tr("Records/request"),
         QStringLiteral("rec"),
         {}},
        {QStringLiteral("request-latency-avg"),
         QObject::tr("Request latency"),
         QStringLiteral("ms"),
         {}},
        {QStringLiteral("buffer-available-bytes"),
         QObject::tr("Buffer available"),
         QStringLiteral("B"),
         {}},
        {QStringLiteral("record-retry-rate"), QObject::tr("Retries/s"), QStringLiteral("rec/s"),
         QStringLiteral("record-retry-total")},
        {QStringLiteral("record-error-rate"), QObject::tr("Errors/s"), QStringLiteral("rec/s"),
         QStringLiteral("record-error-total")},
    };
    return s;
}

void MetricsHistory::add(const std::vector<producer::Metric>& metrics, qint64 timeMs) {
    Sample sample;
    sample.timeMs = timeMs;
    const auto& s = series();
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    sample.values.fill(kNaN, s.size());
    const qint64 prevMs = samples_.empty() ? -1 : samples_.back().timeMs;
    std::map<QString, double> totals;
    for (const auto& m : metrics) {
        if (m.group != "producer-metrics") continue;
        const QString name = QString::fromStdString(m.name);
        for (int i = 0; i < s.size(); ++i) {
            if (s[i].total.isEmpty() && s[i].metric == name) sample.values[i] = m.value;
            if (!s[i].total.isEmpty() && s[i].total == name) totals[name] = m.value;
        }
    }
    for (int i = 0; i < s.size(); ++i) {
        auto now = totals.find(s[i].total);
        auto before = lastTotals_.find(s[i].total);
        if (now == totals.end() || before == lastTotals_.end() || prevMs < 0 || timeMs <= prevMs)
            continue;  // the first sample has no interval yet
        sample.values[i] = (now->second - before->second) * 1000.0 / double(timeMs - prevMs);
    }
    lastTotals_ = std::move(totals);
    samples_.push_back(std::move(sample));
    while (!samples_.empty() && samples_.front().timeMs < timeMs - keepSeconds_ * 1000LL)
        samples_.pop_front();
    Q_EMIT changed();
}

void MetricsHistory::clear() {
    samples_.clear();
    lastTotals_.clear();
    Q_EMIT changed();
}

double MetricsHistory::latest(int i) const {
    if (samples_.empty()) return std::numeric_limits<double>::quiet_NaN();
    return samples_.back().values.value(i, std::numeric_limits<double>::quiet_NaN());
}

}  // namespace bs::ui
