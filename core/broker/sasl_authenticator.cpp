#include "broker/sasl_authenticator.h"

#include <spdlog/spdlog.h>

#include "protocol/writer.h"
#include "security/sasl_plain.h"

namespace bs::broker {

using apis_detail::closeConnection;
using apis_detail::respond;
using protocol::ApiKey;
using protocol::ErrorCode;

namespace {

RequestOutcome respondAndClose(RequestOutcome out, std::string reason) {
    out.action = RequestOutcome::Action::RespondAndClose;
    out.reason = std::move(reason);
    return out;
}

// A raw SASL token as handshake v0 clients expect it: size-prefixed, no Kafka header.
RequestOutcome rawToken(const std::string& token) {
    RequestOutcome out;
    protocol::Writer w(out.response);
    w.int32(static_cast<int32_t>(token.size()));
    w.raw(security::asBytes(token));
    return out;
}

}  // namespace

SaslServerAuthenticator::SaslServerAuthenticator(const SaslCredentialStore& store, KafkaApis& apis,
                                                 int32_t nodeId, std::string peer)
    : store_(store), apis_(apis), nodeId_(nodeId), peer_(std::move(peer)) {}

RequestOutcome SaslServerAuthenticator::handle(std::span<uint8_t> frame) {
    if (state_ == State::AuthenticateRaw) return handleRawToken(frame);
    auto parsed = protocol::parseRequestFrame(frame);
    if (!parsed) return closeConnection("malformed request during SASL authentication");
    const protocol::RequestHeader& h = parsed->header;
    if (state_ == State::HandshakeOrVersions && h.apiKey == ApiKey::ApiVersions) {
        return apis_.handle(nodeId_, frame);
    }
    if (!protocol::isSupported(h.apiKey, h.apiVersion)) {
        return closeConnection("unsupported request during SASL authentication");
    }
    if (state_ == State::HandshakeOrVersions && h.apiKey == ApiKey::SaslHandshake) {
        return handleHandshake(h, parsed->body);
    }
    if (state_ == State::Authenticate && h.apiKey == ApiKey::SaslAuthenticate) {
        return handleAuthenticate(h, parsed->body);
    }
    // Kafka: "Unexpected Kafka request of type X during SASL handshake".
    return closeConnection("unexpected " + std::string(protocol::apiName(h.apiKey)) +
                           " request before SASL authentication completed");
}

RequestOutcome SaslServerAuthenticator::handleHandshake(const protocol::RequestHeader& h,
                                                        std::span<const uint8_t> body) {
    protocol::SaslHandshakeRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return apis_detail::malformed("SaslHandshake", s);
    }
    protocol::SaslHandshakeResponse r;
    r.mechanisms = store_.mechanisms();
    if (!store_.enabled(req.mechanism)) {
        r.errorCode = ErrorCode::UNSUPPORTED_SASL_MECHANISM;
        logFailure("mechanism '" + req.mechanism + "' is not enabled");
        return respondAndClose(respond(h, r), "unsupported SASL mechanism");
    }
    mechanism_ = req.mechanism;
    if (auto m = security::scramMechanismFromName(mechanism_)) {
        scram_.emplace(*m,
                       [this, m = *m](const std::string& user) { return store_.scram(m, user); });
    }
    state_ = h.apiVersion == 0 ? State::AuthenticateRaw : State::Authenticate;
    return respond(h, r);
}

RequestOutcome SaslServerAuthenticator::handleAuthenticate(const protocol::RequestHeader& h,
                                                           std::span<const uint8_t> body) {
    protocol::SaslAuthenticateRequest req;
    if (auto s = protocol::decodeBody(req, h.apiVersion, body); !s) {
        return apis_detail::malformed("SaslAuthenticate", s);
    }
    const std::string_view token(reinterpret_cast<const char*>(req.authBytes.data()),
                                 req.authBytes.size());
    auto next = evaluate(token);
    protocol::SaslAuthenticateResponse r;
    if (!next) {
        r.errorCode = ErrorCode::SASL_AUTHENTICATION_FAILED;
        r.errorMessage = next.error().message;
        return respondAndClose(respond(h, r), "SASL authentication failed");
    }
    r.authBytes.assign(next->begin(), next->end());
    return respond(h, r);
}

RequestOutcome SaslServerAuthenticator::handleRawToken(std::span<const uint8_t> token) {
    auto next =
        evaluate(std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
    // Handshake v0 has no way to say why: the connection closes (as in Kafka).
    if (!next) return closeConnection("SASL authentication failed");
    return rawToken(*next);
}

Result<std::string> SaslServerAuthenticator::evaluate(std::string_view token) {
    Result<std::string> next = Error{""};
    if (mechanism_ == "PLAIN") {
        auto creds = security::parsePlainClientMessage(token);
        if (!creds) {
            next = creds.error();
        } else {
            user_ = creds->username;
            if (store_.checkPlain(creds->username, creds->password)) {
                next = std::string();
                state_ = State::Complete;
            } else {
                next = Error{"Authentication failed: Invalid username or password"};
            }
            security::wipe(creds->password);
        }
    } else {
        next = scramSteps_++ == 0 ? scram_->handleClientFirst(token)
                                  : scram_->handleClientFinal(token);
        if (!scram_->username().empty()) user_ = scram_->username();
        if (next && scram_->complete()) state_ = State::Complete;
    }
    if (!next) {
        logFailure(next.error().message);
    } else if (complete()) {
        spdlog::info("node {}: {} authenticated as '{}' with {}", nodeId_, peer_, user_,
                     mechanism_);
    }
    return next;
}

void SaslServerAuthenticator::logFailure(const std::string& reason) const {
    spdlog::warn("node {}: {}: SASL {} login{} refused: {}", nodeId_, peer_,
                 mechanism_.empty() ? std::string("handshake") : mechanism_,
                 user_.empty() ? std::string() : " of user '" + user_ + "'", reason);
}

}  // namespace bs::broker
