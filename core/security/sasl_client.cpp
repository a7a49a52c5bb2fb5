#include "security/sasl_client.h"

#include "security/sasl_plain.h"

namespace bs::security {

SaslClient::SaslClient(const std::string& mechanism, const std::string& username,
                       const std::string& password)
    : mechanism_(mechanism), username_(username) {
    if (auto m = scramMechanismFromName(mechanism)) {
        scram_ = std::make_unique<ScramClient>(*m, username, password);
    } else {
        password_ = password;
    }
}

SaslClient::~SaslClient() {
    wipe(password_);
}

std::string SaslClient::initialResponse() {
    step_ = 1;
    if (scram_) return scram_->firstMessage();
    std::string message = plainClientMessage(username_, password_);
    wipe(password_);
    return message;
}

Result<std::optional<std::string>> SaslClient::evaluate(std::string_view serverToken) {
    if (!scram_ || step_ == 2) {
        if (scram_) {
            if (auto s = scram_->verifyServerFinal(serverToken); !s) return Error{s.message()};
        }
        complete_ = true;
        return std::optional<std::string>();
    }
    auto final = scram_->finalMessage(serverToken);
    if (!final) return final.error();
    step_ = 2;
    return std::optional<std::string>(std::move(*final));
}

}  // namespace bs::security
