// One request frame (header + body, without the size prefix) as the embedded broker receives
// it: KafkaApis::handle dispatches it by api key and version exactly as a connection does, and
// SaslServerAuthenticator gets it in each of its login states. Invariants: a request that
// decodes re-encodes to the same message; every answer is a well-formed response frame for the
// request's api and version, with its correlation id.

#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/delayed_fetch.h"
#include "broker/fault_injector.h"
#include "broker/kafka_apis.h"
#include "broker/listener_security.h"
#include "broker/sasl_authenticator.h"
#include "fuzz_messages.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::broker;
using protocol::ApiKey;
namespace fs = std::filesystem;

namespace {

// A three-node cluster's request handling over a scratch data directory, rebuilt now and then
// so topics created and batches appended by earlier inputs do not pile up.
struct Broker {
    explicit Broker(const fs::path& dir) {
        fs::remove_all(dir);
        config.dataDir = dir;
        config.autoCreateTopics = false;
        config.log.segmentBytes = 256 * 1024;
        config.log.retentionBytes = 256 * 1024;
        config.log.maxMessageBytes = 64 * 1024;
        metadata = MetadataCache::open(dir, 3).value();
        (void)metadata->createTopic("t", 3, false);
        replicas = std::make_unique<ReplicaManager>(dir, config.log, *metadata, clock);
        faults = std::make_unique<FaultInjector>(3);
        apis = std::make_unique<KafkaApis>(
            config,
            std::vector<BrokerEndpoint>{
                {0, "127.0.0.1", 9000}, {1, "127.0.0.1", 9001}, {2, "127.0.0.1", 9002}},
            *metadata, *replicas, *faults, clock);
        ListenerSecurity sec;
        sec.protocol = security::SecurityProtocol::SaslPlaintext;
        sec.saslMechanisms = {"PLAIN", "SCRAM-SHA-256"};
        sec.saslUsers = {{"alice", "alice-secret"}};
        sasl = std::make_unique<SaslCredentialStore>(sec);
    }
    ~Broker() {
        apis.reset();
        (void)replicas->shutdown();
    }
    MockClock clock;
    ClusterConfig config;
    std::unique_ptr<MetadataCache> metadata;
    std::unique_ptr<ReplicaManager> replicas;
    std::unique_ptr<FaultInjector> faults;
    std::unique_ptr<KafkaApis> apis;
    std::unique_ptr<SaslCredentialStore> sasl;
};

fs::path scratchDir() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("bs-fuzz-broker-" + std::to_string(::getpid()));
}

std::unique_ptr<Broker> broker_;
int runs_ = 0;

Broker& sharedBroker() {
    if (!broker_ || ++runs_ % 4096 == 0) {
        broker_.reset();
        broker_ = std::make_unique<Broker>(scratchDir());
    }
    return *broker_;
}

// At exit, before broker_ (constructed earlier) is destroyed: shut the logs, drop the files.
struct Cleanup {
    ~Cleanup() {
        broker_.reset();
        std::error_code ec;
        fs::remove_all(scratchDir(), ec);
    }
};

// An answer must be one size-prefixed response frame of `api` at `version` whose body decodes.
void checkResponse(const std::vector<uint8_t>& frame, ApiKey api, int16_t version,
                   int32_t correlationId) {
    fuzz::check(frame.size() >= 4, "response shorter than its size prefix");
    protocol::Reader r(std::span(frame).first(4));
    fuzz::check(r.int32("size") == static_cast<int32_t>(frame.size() - 4),
                "response size prefix does not match its length");
    auto parsed = protocol::parseResponseFrame(std::span(frame).subspan(4), api, version);
    fuzz::check(parsed.ok(), "response header does not parse");
    fuzz::check(parsed->header.correlationId == correlationId, "response correlation id differs");
    const bool known = fuzz::withMessageType(api, false, [&](auto proto) {
        typename decltype(proto)::type m;
        fuzz::check(fuzz::checkRoundTrip(parsed->body, version, m),
                    "the broker's response does not decode");
    });
    fuzz::check(known, "response to an api without a response type");
}

void checkOutcome(const RequestOutcome& out, const protocol::RequestHeader& h) {
    using A = RequestOutcome::Action;
    if (out.action == A::Close || out.action == A::NoResponse) return;
    if (out.action == A::Park) {
        fuzz::check(out.delayedFetch != nullptr, "parked without a DelayedFetch");
        return checkResponse(out.delayedFetch->forceComplete(), h.apiKey, h.apiVersion,
                             h.correlationId);
    }
    // KIP-511: a too-new ApiVersions is answered at v0.
    const int16_t version = protocol::isSupported(h.apiKey, h.apiVersion) ? h.apiVersion : 0;
    checkResponse(out.response, h.apiKey, version, h.correlationId);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);
    static Cleanup cleanup;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    Broker& b = sharedBroker();

    auto parsed = protocol::parseRequestFrame(input);
    if (parsed.ok()) {
        const protocol::RequestHeader& h = parsed->header;
        // The header re-encodes to the same bytes it was read from.
        std::vector<uint8_t> header;
        protocol::Writer w(header);
        encode(h, protocol::requestHeaderVersion(h.apiKey, h.apiVersion), w);
        protocol::Reader hr(header);
        protocol::RequestHeader h2;
        fuzz::check(protocol::decodeRequestHeader(h2, hr).ok() && hr.atEnd() && h2 == h,
                    "request header does not round-trip");
        if (protocol::isSupported(h.apiKey, h.apiVersion)) {
            const bool known = fuzz::withMessageType(h.apiKey, true, [&](auto proto) {
                typename decltype(proto)::type m;
                fuzz::checkRoundTrip(parsed->body, h.apiVersion, m);
            });
            fuzz::check(known, "supported api without a request type");
        }
    }

    // The buffer is the broker's to rewrite (produced batches get offsets in place).
    std::vector<uint8_t> frame(input.begin(), input.end());
    RequestOutcome out = b.apis->handle(0, frame);
    if (parsed.ok()) {
        checkOutcome(out, parsed->header);
    } else {
        fuzz::check(out.action == RequestOutcome::Action::Close,
                    "a frame whose header does not parse was not refused");
    }

    // The SASL login states: before the handshake, after a v1 handshake (SaslAuthenticate
    // requests) for PLAIN and SCRAM, after a v0 handshake (raw tokens).
    auto handshake = [&](SaslServerAuthenticator& a, const char* mechanism, int16_t version) {
        protocol::RequestHeader hh{ApiKey::SaslHandshake, version, 1, std::string("fuzz")};
        auto hs = protocol::encodeRequestFrame(hh, protocol::SaslHandshakeRequest{mechanism});
        auto o = a.handle(std::span(hs).subspan(4));
        fuzz::check(o.action == RequestOutcome::Action::Respond, "SASL handshake refused");
    };
    for (int state = 0; state < 4; ++state) {
        SaslServerAuthenticator a(*b.sasl, *b.apis, 0, "fuzz");
        if (state == 1) handshake(a, "PLAIN", 1);
        if (state == 2) handshake(a, "SCRAM-SHA-256", 1);
        if (state == 3) handshake(a, "SCRAM-SHA-256", 0);
        std::vector<uint8_t> copy(input.begin(), input.end());
        RequestOutcome o = a.handle(copy);
        if (state == 3) {
            // Raw token answers carry only a size prefix.
            if (o.action == RequestOutcome::Action::Respond) {
                fuzz::check(o.response.size() >= 4, "raw SASL token without its size");
            }
        } else if (parsed.ok()) {
            checkOutcome(o, parsed->header);
        }
    }
    return 0;
}
