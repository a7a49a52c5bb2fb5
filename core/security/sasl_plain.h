#pragma once

// SASL PLAIN (RFC 4616) messages, checked as Kafka's PlainSaslServer checks them.

#include <string>
#include <string_view>

#include "common/result.h"

namespace bs::security {

struct PlainCredentials {
    std::string username;
    std::string password;
};

// "\0username\0password" (empty authorization id, as Kafka's client sends).
std::string plainClientMessage(std::string_view username, std::string_view password);
// Splits authzid NUL authcid NUL passwd; an authzid other than the user name is refused.
// Errors never quote the password.
Result<PlainCredentials> parsePlainClientMessage(std::string_view message);

}  // namespace bs::security
