#pragma once

// SCRAM (RFC 5802, RFC 7677) as Kafka uses it for SCRAM-SHA-256 / SCRAM-SHA-512: no channel
// binding ("n,,"), user names escaped as saslname, unknown extensions ignored. Passwords are
// used as given (UTF-8), as Kafka does: no SASLprep.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "security/crypto.h"

namespace bs::security {

// Sha1 exists only so RFC 5802's own test vector can be checked; Kafka offers 256 and 512.
enum class ScramMechanism { Sha1, Sha256, Sha512 };

// "SCRAM-SHA-256" / "SCRAM-SHA-512" (Kafka's names); nullopt for anything else.
std::optional<ScramMechanism> scramMechanismFromName(std::string_view name);
std::string_view scramMechanismName(ScramMechanism m);
// Kafka refuses fewer (ScramMechanism.minIterations).
constexpr int kScramMinIterations = 4096;

// What a server stores for one user and mechanism (Kafka: ScramCredential).
struct ScramCredential {
    Bytes salt;
    Bytes storedKey;
    Bytes serverKey;
    int iterations = kScramMinIterations;
};
ScramCredential makeScramCredential(ScramMechanism m, std::string_view password, Bytes salt,
                                    int iterations);

// 32 printable characters (base64 of random bytes; never ',').
std::string scramNonce();

// The client side of one exchange: firstMessage(), finalMessage(serverFirst),
// verifyServerFinal(serverFinal). Errors never quote the password.
class ScramClient {
  public:
    ScramClient(ScramMechanism m, std::string username, std::string password,
                std::string nonce = scramNonce());
    ~ScramClient();
    ScramClient(const ScramClient&) = delete;
    ScramClient& operator=(const ScramClient&) = delete;

    std::string firstMessage() const;
    Result<std::string> finalMessage(std::string_view serverFirst);
    Status verifyServerFinal(std::string_view serverFinal) const;

  private:
    ScramMechanism mechanism_;
    std::string username_;
    std::string password_;  // wiped once used, and in the destructor
    std::string nonce_;
    Bytes expectedServerSignature_;
};

// The server side of one exchange: handleClientFirst() then handleClientFinal(). An unknown
// user and a wrong proof fail alike ("Invalid user credentials"), as in Kafka.
class ScramServer {
  public:
    using CredentialLookup =
        std::function<std::optional<ScramCredential>(const std::string& username)>;
    ScramServer(ScramMechanism m, CredentialLookup lookup, std::string nonce = scramNonce());

    Result<std::string> handleClientFirst(std::string_view clientFirst);
    Result<std::string> handleClientFinal(std::string_view clientFinal);
    bool complete() const { return complete_; }
    const std::string& username() const { return username_; }

  private:
    ScramMechanism mechanism_;
    CredentialLookup lookup_;
    std::string serverNonce_;
    std::string username_;
    std::string gs2Header_;
    std::string clientFirstBare_;
    std::string serverFirst_;
    std::string fullNonce_;
    std::optional<ScramCredential> credential_;
    bool complete_ = false;
};

}  // namespace bs::security
