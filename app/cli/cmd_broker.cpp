// `batchscope-cli broker`: runs the embedded cluster in the foreground. Prints
// bootstrap.servers=... first, schema.registry.url=... second, reads control commands from stdin,
// stops cleanly on SIGINT/SIGTERM.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/control_commands.h"
#include "broker/embedded_cluster.h"
#include "commands.h"
#include "security/security_protocol.h"

namespace bs::cli {

namespace {

using broker::ClusterConfig;

[[noreturn]] void usageError(const std::string& message) {
    // Reported like CLI11's own errors (main.cpp), with the usage exit code.
    throw CLI::ValidationError(message);
}

// --topic NAME[:P]: the partition count, when given, is a whole number.
Result<broker::InitialTopic> parseTopic(const std::string& v) {
    broker::InitialTopic t;
    const auto colon = v.rfind(':');
    t.name = v.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string p = v.substr(colon + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), t.partitions);
        if (p.empty() || ec != std::errc() || end != p.data() + p.size())
            return Error{"--topic " + v + ": partitions after ':' must be an integer"};
    }
    return t;
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

// Every connection is a file descriptor; max.connections per node is worth little under a
// soft limit of 1024. Raise it to the hard limit, as the JVM does for Kafka (MaxFDLimit).
void raiseOpenFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

int runBroker(const ClusterConfig& config, const std::string& logLevel) {
    const auto level = spdlog::level::from_str(logLevel);
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
    raiseOpenFileLimit();
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
    if (const std::string url = (*cluster)->schemaRegistryUrl(); !url.empty())
        std::printf("schema.registry.url=%s\n", url.c_str());
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

}  // namespace

void addBroker(CLI::App& app, Outcome& out) {
    struct Args {
        ClusterConfig config;
        std::string logLevel = "info";
        std::string autoCreate = "true";
        std::vector<std::string> topics;
        std::string securityProtocol = "PLAINTEXT";
        std::string saslMechanisms;
        std::vector<std::string> saslUsers;
    };
    auto args = std::make_shared<Args>();
    args->config.dataDir = broker::defaultClusterDataDir();
    ClusterConfig& c = args->config;
    auto* cmd = app.add_subcommand("broker", "run the embedded Kafka-compatible cluster");
    cmd->footer(
        "Runs the embedded Kafka-compatible cluster. The first stdout line is\n"
        "bootstrap.servers=HOST:PORT,... , the second schema.registry.url=http://HOST:PORT\n"
        "(the embedded Schema Registry, unless --schema-registry-port -1); logs go to stderr.\n"
        "SIGINT/SIGTERM stop it cleanly.\n"
        "\n"
        "stdin commands (fault injection), one per line:\n" +
        std::string(broker::controlCommandsHelp()));
    cmd->add_option("--nodes", c.nodeCount, "broker nodes, ids 0..N-1")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--partitions", c.defaultPartitions, "partitions of auto-created topics")
        ->capture_default_str()
        ->type_name("P");
    cmd->add_option("--port", c.basePort, "node i listens on BASE+i; 0 = ephemeral ports")
        ->capture_default_str()
        ->type_name("BASE|0");
    cmd->add_option("--schema-registry-port", c.schemaRegistryPort,
                    "the embedded Schema Registry's HTTP port; 0 = ephemeral, -1 = none")
        ->capture_default_str()
        ->type_name("PORT|0|-1");
    cmd->add_option("--bind", c.bindAddress, "listen address")
        ->capture_default_str()
        ->type_name("ADDR");
    cmd->add_option("--data-dir", c.dataDir,
                    "where partition logs live (default $XDG_DATA_HOME/batchscope/cluster)")
        ->type_name("DIR");
    cmd->add_option("--topic", args->topics, "create a topic at start-up (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("NAME[:P]");
    // Choices shown as the placeholder (bash completion offers them), default in the text.
    cmd->add_option("--auto-create", args->autoCreate,
                    "create unknown topics on Metadata/Produce (default true)")
        ->check(CLI::IsMember({"true", "false"}).description(""))
        ->type_name("true|false");
    cmd->add_option("--segment-bytes", c.log.segmentBytes, "roll segments at N bytes")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--retention-bytes", c.log.retentionBytes,
                    "keep about N bytes per partition, -1 = all")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--max-message-bytes", c.log.maxMessageBytes, "largest batch accepted")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--flush-messages", c.log.flushMessages,
                    "fsync every N messages (default: never, OS page cache)")
        ->type_name("N");
    cmd->add_option("--flush-ms", c.log.flushMs,
                    "fsync at most N ms after an append (default: never)")
        ->type_name("N");
    cmd->add_option("--io-threads", c.ioThreads, "network threads")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--socket-request-max-bytes", c.maxRequestBytes,
                    "socket.request.max.bytes: a larger frame closes the connection")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--queued-max-request-bytes", c.queuedMaxRequestBytes,
                    "queued.max.request.bytes: request bytes buffered by all connections of all "
                    "nodes before they stop reading; -1 = unbounded")
        ->capture_default_str()
        ->type_name("N|-1");
    cmd->add_option("--max-connections", c.maxConnections,
                    "max.connections per node: more are closed as they are accepted")
        ->capture_default_str()
        ->type_name("N");
    cmd->add_option("--request-read-timeout-ms", c.requestReadTimeoutMs,
                    "request.read.timeout.ms: close a connection whose frame has not all arrived "
                    "this long after its first byte")
        ->capture_default_str()
        ->type_name("MS");
    cmd->add_option("--connections-max-idle-ms", c.connectionsMaxIdleMs,
                    "connections.max.idle.ms: close a connection with no traffic this long")
        ->capture_default_str()
        ->type_name("MS");
    cmd->add_option("--security-protocol", args->securityProtocol,
                    "listener protocol (default PLAINTEXT)")
        ->check(CLI::IsMember({"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}).description(""))
        ->type_name("PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL");
    cmd->add_option("--ssl-cert", c.security.tls.certFile,
                    "the nodes' PEM certificate (chain) for SSL / SASL_SSL")
        ->type_name("FILE");
    cmd->add_option("--ssl-key", c.security.tls.keyFile, "its PEM private key (unencrypted)")
        ->type_name("FILE");
    cmd->add_option("--ssl-client-ca", c.security.tls.clientCaFile,
                    "PEM CA that must sign client certificates (mutual TLS)")
        ->type_name("FILE");
    cmd->add_option("--sasl-mechanisms", args->saslMechanisms,
                    "comma-separated: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512")
        ->type_name("LIST");
    cmd->add_option("--sasl-user", args->saslUsers, "a SASL login (repeatable)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->type_name("USER:PASSWORD");
    cmd->add_option("--log-level", args->logLevel, "log level (default info)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}).description(""))
        ->type_name("trace|debug|info|warn|error|off");
    cmd->callback([args, &out] {
        ClusterConfig config = args->config;
        config.autoCreateTopics = args->autoCreate == "true";
        for (const std::string& t : args->topics) {
            auto topic = parseTopic(t);
            if (!topic) usageError(topic.error().message);
            config.topics.push_back(std::move(*topic));
        }
        config.security.protocol = *security::securityProtocolFromName(args->securityProtocol);
        if (!args->saslMechanisms.empty()) {
            config.security.saslMechanisms.clear();
            std::string_view list = args->saslMechanisms;
            for (size_t pos = 0; pos <= list.size();) {
                const size_t comma = std::min(list.find(',', pos), list.size());
                config.security.saslMechanisms.emplace_back(list.substr(pos, comma - pos));
                pos = comma + 1;
            }
        }
        for (const std::string& user : args->saslUsers) {
            const size_t colon = user.find(':');
            if (colon == std::string::npos || colon == 0 || colon + 1 == user.size())
                usageError("--sasl-user needs USER:PASSWORD (both non-empty)");
            config.security.saslUsers[user.substr(0, colon)] = user.substr(colon + 1);
        }
        if (auto s = broker::validateClusterConfig(config); !s) usageError(s.message());
        out.exitCode = runBroker(config, args->logLevel);
    });
}

}  // namespace bs::cli
