// batchscope-cli groups: kafka-consumer-groups.sh's --list, --describe (offsets view) and
// --reset-offsets, against any cluster, through consumer::ConsumerGroupAdmin.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "commands.h"
#include "common/clock.h"
#include "consumer/consumer_group_admin.h"
#include "consumer/group_offsets.h"
#include "producer/producer_config.h"

namespace bs::cli {

namespace {

using consumer::ConsumerGroupAdmin;
using TopicPartition = client::TopicPartition;

struct Args {
    std::string bootstrap;
    std::string commandConfig;
    bool list = false, describe = false, reset = false;
    std::string group, topic;
    bool toEarliest = false, toLatest = false, execute = false, dryRun = false;
    std::string toDatetime;
    std::optional<int64_t> toOffset;
};

int fail(const std::string& message) {
    std::cerr << "Error: " << message << "\n";
    return 1;
}

std::string pad(const std::string& s, size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

Result<consumer::ConsumerConfig> adminConfig(const Args& a) {
    std::vector<std::pair<std::string, std::string>> props;
    if (!a.commandConfig.empty()) {
        std::ifstream in(a.commandConfig, std::ios::binary);
        if (!in) return Error{"cannot read --command-config '" + a.commandConfig + "'"};
        std::stringstream ss;
        ss << in.rdbuf();
        auto file = producer::ProducerConfig::parsePropertiesText(ss.str());
        if (!file) return Error{a.commandConfig + ": " + file.error().message};
        props = *file;
    }
    props.push_back({"bootstrap.servers", a.bootstrap});
    return consumer::ConsumerConfig::parse(props);
}

int list(ConsumerGroupAdmin& admin) {
    auto groups = admin.listGroups();
    if (!groups) return fail(groups.error().message);
    std::set<std::string> ids;
    for (const auto& g : *groups)
        ids.insert(g.groupId);
    for (const auto& id : ids)
        std::cout << id << "\n";
    return 0;
}

int describe(ConsumerGroupAdmin& admin, const std::string& group) {
    auto offsets = consumer::describeGroupOffsets(admin, group);
    if (!offsets) return fail(offsets.error().message);
    if (offsets->missing()) {
        std::cout << "Error: Consumer group '" << group << "' does not exist.\n";
        return 1;
    }
    const auto* d = &offsets->description;
    const auto& rows = offsets->partitions;
    if (d->members.empty()) {
        std::cout << "\nConsumer group '" << group << "' has no active members.\n";
    }
    size_t groupLen = std::max<size_t>(15, group.size()), topicLen = 15, idLen = 15, hostLen = 15;
    for (const auto& [tp, r] : rows) {
        topicLen = std::max(topicLen, tp.topic.size());
        idLen = std::max(idLen, r.memberId.size());
        hostLen = std::max(hostLen, r.host.size());
    }
    auto line = [&](const std::string& g, const std::string& t, const std::string& p,
                    const std::string& cur, const std::string& end, const std::string& lag,
                    const std::string& id, const std::string& host, const std::string& client) {
        std::cout << pad(g, groupLen) << " " << pad(t, topicLen) << " " << pad(p, 10) << " "
                  << pad(cur, 15) << " " << pad(end, 15) << " " << pad(lag, 15) << " "
                  << pad(id, idLen) << " " << pad(host, hostLen) << " " << client << "\n";
    };
    std::cout << "\n";
    line("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
         "HOST", "CLIENT-ID");
    for (const auto& [tp, r] : rows) {
        const auto lag = r.lag();
        line(group, tp.topic, std::to_string(tp.partition),
             r.committed ? std::to_string(*r.committed) : "-",
             r.logEnd ? std::to_string(*r.logEnd) : "-", lag ? std::to_string(*lag) : "-",
             r.memberId, r.host, r.clientId);
    }
    return 0;
}

int resetOffsets(ConsumerGroupAdmin& admin, const Args& a) {
    const int modes = int(a.toEarliest) + int(a.toLatest) + int(!a.toDatetime.empty()) +
                      int(a.toOffset.has_value());
    if (modes != 1) {
        return fail(
            "--reset-offsets needs exactly one of --to-earliest, --to-latest, "
            "--to-datetime, --to-offset");
    }
    if (a.topic.empty()) return fail("--reset-offsets needs --topic");
    consumer::OffsetResetSpec spec;
    using Mode = consumer::OffsetResetSpec::Mode;
    if (a.toEarliest) spec.mode = Mode::Earliest;
    if (a.toLatest) spec.mode = Mode::Latest;
    if (a.toOffset) spec = {Mode::Offset, *a.toOffset};
    if (!a.toDatetime.empty()) {
        auto ts = consumer::parseResetDatetime(a.toDatetime);
        if (!ts) return fail(ts.error().message);
        spec = {Mode::Datetime, *ts};
    }
    auto planned = consumer::planOffsetReset(admin, a.group, {a.topic}, spec);
    if (!planned) return fail(planned.error().message);
    const auto& target = *planned;
    if (a.execute) {
        if (auto s = admin.commitOffsets(a.group, target); !s) return fail(s.message());
    } else if (!a.dryRun) {
        std::cerr << "WARN: No action will be performed as the --execute option is missing. "
                     "Add --execute to reset the offsets.\n";
    }
    std::cout << "\n"
              << pad("GROUP", 30) << " " << pad("TOPIC", 30) << " " << pad("PARTITION", 10) << " "
              << pad("NEW-OFFSET", 15) << "\n";
    for (const auto& [tp, offset] : target) {
        std::cout << pad(a.group, 30) << " " << pad(tp.topic, 30) << " "
                  << pad(std::to_string(tp.partition), 10) << " " << pad(std::to_string(offset), 15)
                  << "\n";
    }
    return 0;
}

int run(const Args& a) {
    if (int(a.list) + int(a.describe) + int(a.reset) != 1) {
        return fail("exactly one of --list, --describe, --reset-offsets is needed");
    }
    if ((a.describe || a.reset) && a.group.empty()) return fail("--group is needed");
    auto config = adminConfig(a);
    if (!config) return fail(config.error().message);
    auto admin = ConsumerGroupAdmin::create(*config, SystemClock::instance());
    if (!admin) return fail(admin.error().message);
    if (a.list) return list(**admin);
    if (a.describe) return describe(**admin, a.group);
    return resetOffsets(**admin, a);
}

}  // namespace

void addGroups(CLI::App& app, Outcome& out) {
    auto args = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("groups", "list, describe and reset consumer groups");
    cmd->footer(
        "Like kafka-consumer-groups.sh. --describe prints, per partition the group committed or\n"
        "is assigned: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST\n"
        "CLIENT-ID (LAG = LOG-END-OFFSET - CURRENT-OFFSET). --reset-offsets prints the new\n"
        "offsets and commits them only with --execute, and only while the group has no members.");
    cmd->add_option("--bootstrap-server", args->bootstrap, "the cluster (host:port,...)")
        ->required()
        ->type_name("SERVERS");
    cmd->add_option("--command-config", args->commandConfig,
                    "client properties (security.protocol, sasl.*, ssl.*)")
        ->type_name("FILE");
    cmd->add_flag("--list", args->list, "list every group");
    cmd->add_flag("--describe", args->describe, "offsets, lag and members of --group");
    cmd->add_flag("--reset-offsets", args->reset, "set the committed offsets of --group");
    cmd->add_option("--group", args->group, "the group")->type_name("GROUP");
    cmd->add_option("--topic", args->topic, "--reset-offsets: the topic")->type_name("TOPIC");
    cmd->add_flag("--to-earliest", args->toEarliest, "reset to the log start");
    cmd->add_flag("--to-latest", args->toLatest, "reset to the log end");
    cmd->add_option("--to-datetime", args->toDatetime,
                    "reset to the first offset at or after yyyy-MM-ddTHH:mm:SS.sss")
        ->type_name("DATETIME");
    cmd->add_option("--to-offset", args->toOffset, "reset to N (clamped to the log)")
        ->type_name("N");
    cmd->add_flag("--execute", args->execute, "commit the new offsets");
    cmd->add_flag("--dry-run", args->dryRun, "only print the new offsets (the default)");
    cmd->callback([args, &out] { out.exitCode = run(*args); });
}

}  // namespace bs::cli
