#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "broker/kafka_apis.h"
#include "broker/listener_security.h"
#include "security/scram.h"

namespace bs::broker {

// One connection's SASL login on a SASL_* listener (Kafka: SaslServerAuthenticator). Until it
// completes, only ApiVersions, SaslHandshake and then either SaslAuthenticate requests
// (handshake v1) or raw size-prefixed tokens (handshake v0, as kafka-python 2.0 sends) are
// accepted; anything else closes the connection. A failed login is answered (v1) and the
// connection closed. Passwords are never logged. Thread ownership: the connection's strand.
class SaslServerAuthenticator {
  public:
    SaslServerAuthenticator(const SaslCredentialStore& store, KafkaApis& apis, int32_t nodeId,
                            std::string peer);

    bool complete() const { return state_ == State::Complete; }
    // One frame (without its size prefix) received before the login completed.
    RequestOutcome handle(std::span<uint8_t> frame);

  private:
    enum class State { HandshakeOrVersions, Authenticate, AuthenticateRaw, Complete };

    RequestOutcome handleHandshake(const protocol::RequestHeader& h, std::span<const uint8_t> body);
    RequestOutcome handleAuthenticate(const protocol::RequestHeader& h,
                                      std::span<const uint8_t> body);
    RequestOutcome handleRawToken(std::span<const uint8_t> token);
    // One step of the mechanism: the server's next token, or why the login failed.
    Result<std::string> evaluate(std::string_view token);
    void logFailure(const std::string& reason) const;

    const SaslCredentialStore& store_;
    KafkaApis& apis_;
    const int32_t nodeId_;
    const std::string peer_;
    State state_ = State::HandshakeOrVersions;
    std::string mechanism_;
    std::optional<security::ScramServer> scram_;
    int scramSteps_ = 0;
    std::string user_;  // as the client named itself, for the log
};

}  // namespace bs::broker
