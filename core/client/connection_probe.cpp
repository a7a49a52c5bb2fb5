#include "client/connection_probe.h"

#include <algorithm>
#include <sstream>

#include "client/metadata.h"
#include "common/clock.h"

namespace bs::client {

bool ProbeReport::ok() const {
    return settingsError.empty() && !steps.empty() &&
           std::all_of(steps.begin(), steps.end(),
                       [](const ProbeStep& s) { return s.outcome == ProbeStep::Outcome::Passed; });
}

std::string ProbeReport::text() const {
    if (!settingsError.empty()) return "✗ settings: " + settingsError;
    std::ostringstream out;
    for (const auto& s : steps) {
        out << (s.outcome == ProbeStep::Outcome::Passed   ? "✓ "
                : s.outcome == ProbeStep::Outcome::Failed ? "✗ "
                                                          : "· ")
            << s.name;
        if (!s.detail.empty()) out << ": " << s.detail;
        out << '\n';
    }
    std::string text = out.str();
    if (!text.empty()) text.pop_back();
    return text;
}

ProbeReport probeConnection(const std::map<std::string, std::string>& props, int64_t timeoutMs,
                            const std::atomic<bool>* cancel) {
    ProbeReport report;
    auto it = props.find("bootstrap.servers");
    std::vector<std::string> servers;
    if (it != props.end()) {
        std::istringstream in(it->second);
        for (std::string s; std::getline(in, s, ',');)
            if (auto b = s.find_first_not_of(' '); b != std::string::npos)
                servers.push_back(s.substr(b, s.find_last_not_of(' ') - b + 1));
    }
    if (servers.empty()) {
        report.settingsError = "bootstrap.servers: no server given";
        return report;
    }
    auto nodes = Metadata::parseBootstrapServers({servers.front()});
    if (!nodes) {
        report.settingsError = nodes.error().message;
        return report;
    }
    auto security = security::parseClientSecurity(props);
    if (!security) {
        report.settingsError = security.error().message;
        return report;
    }
    Node node = nodes->front();
    report.target = node.host + ":" + std::to_string(node.port);

    NetworkClientConfig config;
    config.clientId = "batchscope-test-connection";
    config.connectionSetupTimeoutMs = timeoutMs;
    config.security = *security;
    const security::SecurityProtocol protocol = security->protocol;
    const std::string mechanism = security->saslMechanism;
    const std::string user = security->saslUsername;
    AsioNetworkClient client(std::move(config), SystemClock::instance());
    client.setNodes({node});
    const int64_t start = SystemClock::instance().nowMs();
    // The client's own setup timeout ends the attempt with a hint at where it stalled; the loop
    // allows a little more so that message, not ours, is the answer.
    const int64_t deadline = start + timeoutMs + 1000;
    // One attempt: ready() starts it; a failure is not retried (the report names it).
    (void)client.ready(node.id, start);
    for (;;) {
        const int64_t now = SystemClock::instance().nowMs();
        if (now >= deadline || (cancel && cancel->load())) break;
        client.poll(std::min<int64_t>(50, deadline - now), now);
        const ConnectionProgress p = client.progress(node.id);
        if (p.failed || p.stage == ConnectionStage::Ready) break;
    }
    ConnectionProgress p = client.progress(node.id);
    if (!p.failed && p.stage != ConnectionStage::Ready) {
        p.failed = true;
        p.error = cancel && cancel->load()
                      ? "cancelled"
                      : "no answer within " + std::to_string(timeoutMs) + " ms";
    }
    client.close();

    std::vector<ConnectionStage> stages{ConnectionStage::Connecting};
    if (security::usesTls(protocol)) stages.push_back(ConnectionStage::TlsHandshake);
    stages.push_back(ConnectionStage::ApiVersions);
    if (security::usesSasl(protocol)) stages.push_back(ConnectionStage::Authenticating);
    for (ConnectionStage stage : stages) {
        ProbeStep step;
        step.name = connectionStageName(stage);
        if (stage == ConnectionStage::Authenticating) step.name += " (" + mechanism + ")";
        if (stage < p.stage) {
            step.outcome = ProbeStep::Outcome::Passed;
        } else if (stage == p.stage && p.failed) {
            step.outcome = ProbeStep::Outcome::Failed;
            step.detail = p.error;
        } else if (!p.failed) {
            step.outcome = ProbeStep::Outcome::Passed;
        }
        if (step.outcome == ProbeStep::Outcome::Passed) {
            if (stage == ConnectionStage::Connecting) step.detail = report.target;
            if (stage == ConnectionStage::TlsHandshake) step.detail = p.tls;
            if (stage == ConnectionStage::Authenticating) step.detail = "as '" + user + "'";
        }
        report.steps.push_back(std::move(step));
    }
    return report;
}

}  // namespace bs::client
