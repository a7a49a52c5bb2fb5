#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "security/scram.h"

namespace bs::security {

// The client side of one SASL login (Java: SaslClient) for PLAIN and SCRAM-SHA-256/512:
// initialResponse(), then evaluate() each server token until it says done (nullopt).
class SaslClient {
  public:
    SaslClient(const std::string& mechanism, const std::string& username,
               const std::string& password);
    ~SaslClient();
    SaslClient(const SaslClient&) = delete;
    SaslClient& operator=(const SaslClient&) = delete;

    std::string initialResponse();
    // The next token to send, nullopt when the login is complete, or why the server's token
    // is not acceptable (e.g. a SCRAM server that does not know the password).
    Result<std::optional<std::string>> evaluate(std::string_view serverToken);
    bool complete() const { return complete_; }

  private:
    std::string mechanism_;
    std::string username_;
    std::string password_;  // PLAIN only; wiped once sent
    std::unique_ptr<ScramClient> scram_;
    int step_ = 0;
    bool complete_ = false;
};

}  // namespace bs::security
