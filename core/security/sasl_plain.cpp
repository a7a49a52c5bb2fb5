#include "security/sasl_plain.h"

namespace bs::security {

std::string plainClientMessage(std::string_view username, std::string_view password) {
    std::string m;
    m.push_back('\0');
    m.append(username);
    m.push_back('\0');
    m.append(password);
    return m;
}

Result<PlainCredentials> parsePlainClientMessage(std::string_view message) {
    const size_t first = message.find('\0');
    const size_t second = first == std::string_view::npos ? first : message.find('\0', first + 1);
    if (second == std::string_view::npos || message.find('\0', second + 1) != message.npos) {
        return Error{"Invalid SASL/PLAIN response: expected 3 tokens"};
    }
    const std::string_view authzid = message.substr(0, first);
    PlainCredentials c{std::string(message.substr(first + 1, second - first - 1)),
                       std::string(message.substr(second + 1))};
    if (c.username.empty()) return Error{"Authentication failed: username not specified"};
    if (c.password.empty()) return Error{"Authentication failed: password not specified"};
    if (!authzid.empty() && authzid != c.username) {
        return Error{
            "Authentication failed: Client requested an authorization id that is "
            "different from username"};
    }
    return c;
}

}  // namespace bs::security
