// `batchscope-cli broker`: runs the embedded cluster in the foreground. Prints
// bootstrap.servers=... first, reads control commands from stdin, stops cleanly on SIGINT/SIGTERM.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "broker/control_commands.h"
#include "broker/embedded_cluster.h"
#include "commands.h"

namespace bs::cli {

namespace {

using broker::ClusterConfig;

constexpr int kUsageError = 2;

void printBrokerHelp(std::FILE* out) {
    std::fprintf(
        out,
        "usage: batchscope-cli broker [options]\n"
        "\n"
        "Runs the embedded Kafka-compatible cluster. The first stdout line is\n"
        "bootstrap.servers=HOST:PORT,... ; logs go to stderr. SIGINT/SIGTERM stop it cleanly.\n"
        "\n"
        "options:\n"
        "  --nodes N                 broker nodes (default 3), ids 0..N-1\n"
        "  --partitions P            partitions of auto-created topics (default 6)\n"
        "  --port BASE|0             node i listens on BASE+i; 0 = ephemeral ports (default)\n"
        "  --bind ADDR               listen address (default 127.0.0.1)\n"
        "  --data-dir DIR            where partition logs live (default\n"
        "                            $XDG_DATA_HOME/batchscope/cluster)\n"
        "  --topic NAME[:P]          create a topic at start-up (repeatable)\n"
        "  --auto-create true|false  create unknown topics on Metadata/Produce (default true)\n"
        "  --segment-bytes N         roll segments at N bytes (default 1073741824)\n"
        "  --retention-bytes N       keep about N bytes per partition, -1 = all (default 1 GiB)\n"
        "  --max-message-bytes N     largest batch accepted (default 1048588)\n"
        "  --flush-messages N        fsync every N messages (default: never, OS page cache)\n"
        "  --flush-ms N              fsync at most N ms after an append (default: never)\n"
        "  --io-threads N            network threads (default 2)\n"
        "  --log-level LEVEL         trace|debug|info|warn|error|off (default info)\n"
        "  --help                    this text\n"
        "\n"
        "stdin commands (fault injection), one per line:\n"
        "%.*s",
        static_cast<int>(broker::controlCommandsHelp().size()),
        broker::controlCommandsHelp().data());
}

template <class T>
bool parseInt(std::string_view s, T& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

int usageError(const std::string& message) {
    std::fprintf(stderr, "batchscope-cli broker: %s\n", message.c_str());
    std::fprintf(stderr, "try 'batchscope-cli broker --help'\n");
    return kUsageError;
}

// Parses the flags into `config`; returns an error message naming the flag, or "".
std::string parseFlags(int argc, char** argv, ClusterConfig& config, std::string& logLevel) {
    for (int i = 0; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string_view(argv[++i]);
        };
        auto intFlag = [&](auto& target) -> std::string {
            auto v = value();
            if (!v) return std::string(flag) + " needs a value";
            if (!parseInt(*v, target)) {
                return std::string(flag) + ": '" + std::string(*v) + "' is not an integer";
            }
            return "";
        };
        std::string err;
        if (flag == "--nodes") {
            err = intFlag(config.nodeCount);
        } else if (flag == "--partitions") {
            err = intFlag(config.defaultPartitions);
        } else if (flag == "--port") {
            err = intFlag(config.basePort);
        } else if (flag == "--segment-bytes") {
            err = intFlag(config.log.segmentBytes);
        } else if (flag == "--retention-bytes") {
            err = intFlag(config.log.retentionBytes);
        } else if (flag == "--max-message-bytes") {
            err = intFlag(config.log.maxMessageBytes);
        } else if (flag == "--flush-messages") {
            err = intFlag(config.log.flushMessages);
        } else if (flag == "--flush-ms") {
            err = intFlag(config.log.flushMs);
        } else if (flag == "--io-threads") {
            err = intFlag(config.ioThreads);
        } else if (flag == "--bind" || flag == "--data-dir" || flag == "--log-level") {
            auto v = value();
            if (!v || v->empty()) return std::string(flag) + " needs a value";
            if (flag == "--bind") config.bindAddress = std::string(*v);
            if (flag == "--data-dir") config.dataDir = std::string(*v);
            if (flag == "--log-level") logLevel = std::string(*v);
        } else if (flag == "--auto-create") {
            auto v = value();
            if (!v || (*v != "true" && *v != "false")) {
                return "--auto-create needs true or false";
            }
            config.autoCreateTopics = *v == "true";
        } else if (flag == "--topic") {
            auto v = value();
            if (!v || v->empty()) return "--topic needs NAME[:PARTITIONS]";
            broker::InitialTopic t;
            const auto colon = v->rfind(':');
            t.name = std::string(v->substr(0, colon));
            if (colon != std::string_view::npos && !parseInt(v->substr(colon + 1), t.partitions)) {
                return "--topic " + std::string(*v) + ": partitions after ':' must be an integer";
            }
            config.topics.push_back(std::move(t));
        } else {
            return "unknown option '" + std::string(flag) + "'";
        }
        if (!err.empty()) return err;
    }
    return "";
}

// Reads complete lines from stdin and runs them as control commands.
class StdinCommands {
  public:
    explicit StdinCommands(broker::ClusterControl& control) : control_(control) {}
    // False at end of input.
    bool readAvailable() {
        char buf[4096];
        const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0) return n < 0 && errno == EINTR;
        pending_.append(buf, static_cast<size_t>(n));
        size_t nl;
        while ((nl = pending_.find('\n')) != std::string::npos) {
            run(std::string_view(pending_).substr(0, nl));
            pending_.erase(0, nl + 1);
        }
        if (pending_.size() > 65536) pending_.clear();  // not a command: drop it
        return true;
    }

  private:
    void run(std::string_view line) {
        auto result = broker::executeControlCommand(control_, line);
        if (result) {
            std::fputs(result->c_str(), stdout);
        } else {
            std::fprintf(stdout, "error: %s\n", result.error().message.c_str());
        }
        std::fflush(stdout);
    }
    broker::ClusterControl& control_;
    std::string pending_;
};

}  // namespace

int runBroker(int argc, char** argv) {
    ClusterConfig config;
    config.dataDir = broker::defaultClusterDataDir();
    std::string logLevel = "info";
    for (int i = 0; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h") {
            printBrokerHelp(stdout);
            return 0;
        }
    }
    if (auto err = parseFlags(argc, argv, config, logLevel); !err.empty()) return usageError(err);
    if (auto s = broker::validateClusterConfig(config); !s) return usageError(s.message());
    const auto level = spdlog::level::from_str(logLevel);
    if (level == spdlog::level::off && logLevel != "off") {
        return usageError("--log-level: unknown level '" + logLevel + "'");
    }
    spdlog::set_default_logger(spdlog::stderr_color_mt("broker"));
    spdlog::set_level(level);

    // Signals are taken synchronously through a signalfd; block them before any thread starts
    // so no I/O thread receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    const int sigfd = ::signalfd(-1, &signals, SFD_CLOEXEC);
    if (sigfd < 0) {
        std::fprintf(stderr, "batchscope-cli broker: signalfd: %s\n", std::strerror(errno));
        return 1;
    }

    auto cluster = broker::EmbeddedCluster::start(config);
    if (!cluster) {
        std::fprintf(stderr, "batchscope-cli broker: %s\n", cluster.error().message.c_str());
        ::close(sigfd);
        return 1;
    }
    std::printf("bootstrap.servers=%s\n", (*cluster)->bootstrapServers().c_str());
    std::fflush(stdout);

    StdinCommands commands((*cluster)->control());
    bool stdinOpen = true;
    for (;;) {
        pollfd fds[2] = {{sigfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
        const int n = ::poll(fds, stdinOpen ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            if (::read(sigfd, &info, sizeof info) == sizeof info) {
                spdlog::info("signal {}: shutting down", info.ssi_signo);
            }
            break;
        }
        if (stdinOpen && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            stdinOpen = commands.readAvailable();
        }
    }
    ::close(sigfd);
    const Status stopped = (*cluster)->stop();
    cluster->reset();
    spdlog::default_logger()->flush();
    if (!stopped) {
        std::fprintf(stderr, "batchscope-cli broker: shutdown: %s\n", stopped.message().c_str());
        return 1;
    }
    return 0;
}

}  // namespace bs::cli
