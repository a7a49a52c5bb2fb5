#include "consumer/group_offsets.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace bs::consumer {

using client::TopicPartition;

int64_t GroupOffsets::totalLag() const {
    int64_t lag = 0;
    for (const auto& [tp, p] : partitions)
        lag += p.lag().value_or(0);
    return lag;
}

Result<GroupOffsets> describeGroupOffsets(ConsumerGroupAdmin& admin, const std::string& groupId) {
    auto d = admin.describeGroup(groupId);
    if (!d) return d.error();
    auto committed = admin.committedOffsets(groupId);
    if (!committed) return committed.error();
    GroupOffsets out;
    out.description = std::move(*d);
    for (const auto& m : out.description.members) {
        for (const auto& tp : m.assignment) {
            auto& p = out.partitions[tp];
            p.memberId = m.memberId;
            p.host = m.host;
            p.clientId = m.clientId;
        }
    }
    for (const auto& [tp, offset] : *committed)
        out.partitions[tp].committed = offset;
    std::map<TopicPartition, int64_t> latest;
    for (const auto& [tp, p] : out.partitions)
        latest[tp] = -1;
    if (!latest.empty()) {
        auto ends = admin.listOffsets(latest);
        if (!ends) return ends.error();
        for (const auto& [tp, end] : *ends)
            out.partitions[tp].logEnd = end;
    }
    return out;
}

std::string resetRefusedMessage(const std::string& groupId, const std::string& state) {
    return "Assignments can only be reset if the group '" + groupId +
           "' is inactive, but the current state is " + state + ".";
}

Result<std::map<TopicPartition, int64_t>> planOffsetReset(ConsumerGroupAdmin& admin,
                                                          const std::string& groupId,
                                                          const std::vector<std::string>& topics,
                                                          const OffsetResetSpec& spec) {
    if (topics.empty()) return Error{"no topic to reset"};
    auto d = admin.describeGroup(groupId);
    if (!d) return d.error();
    if (d->state != "Empty" && d->state != "Dead") {
        return Error{resetRefusedMessage(groupId, d->state)};
    }
    std::map<TopicPartition, int64_t> earliest, latest;
    for (const auto& topic : topics) {
        auto partitions = admin.partitionsFor(topic);
        if (!partitions) return partitions.error();
        for (int32_t p : *partitions) {
            earliest[{topic, p}] = -2;
            latest[{topic, p}] = -1;
        }
    }
    auto lows = admin.listOffsets(earliest);
    if (!lows) return lows.error();
    auto highs = admin.listOffsets(latest);
    if (!highs) return highs.error();
    switch (spec.mode) {
        case OffsetResetSpec::Mode::Earliest:
            return *lows;
        case OffsetResetSpec::Mode::Latest:
            return *highs;
        case OffsetResetSpec::Mode::Offset: {
            std::map<TopicPartition, int64_t> target;
            for (const auto& [tp, low] : *lows)
                target[tp] = std::clamp(spec.value, low, std::max(low, highs->at(tp)));
            return target;
        }
        case OffsetResetSpec::Mode::Datetime: {
            std::map<TopicPartition, int64_t> at;
            for (const auto& [tp, low] : *lows)
                at[tp] = spec.value;
            return admin.listOffsets(at);
        }
    }
    return Error{"unknown reset mode"};
}

Result<int64_t> parseResetDatetime(const std::string& text) {
    std::tm tm{};
    int ms = 0;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
        return Error{"--to-datetime '" + text + "': expected yyyy-MM-ddTHH:mm:SS.sss"};
    }
    std::string rest = text.substr(static_cast<size_t>(consumed));
    if (!rest.empty() && rest[0] == '.') {
        size_t n = 1;
        while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n])))
            ++n;
        ms = std::stoi((rest.substr(1, n - 1) + "000").substr(0, 3));
        rest = rest.substr(n);
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t seconds = 0;
    if (rest.empty()) {
        tm.tm_isdst = -1;
        seconds = static_cast<int64_t>(std::mktime(&tm));
    } else {
        seconds = static_cast<int64_t>(timegm(&tm));
        if (rest != "Z") {
            int hh = 0, mm = 0;
            char sign = 0;
            if (std::sscanf(rest.c_str(), "%c%2d:%2d", &sign, &hh, &mm) != 3 ||
                (sign != '+' && sign != '-')) {
                return Error{"--to-datetime '" + text + "': bad time zone '" + rest + "'"};
            }
            const int64_t offset = (hh * 60 + mm) * 60;
            seconds -= sign == '+' ? offset : -offset;
        }
    }
    return seconds * 1000 + ms;
}

}  // namespace bs::consumer
