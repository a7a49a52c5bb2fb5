#include "security/scram.h"

#include <charconv>
#include <vector>

namespace bs::security {
namespace {

const EVP_MD* hashOf(ScramMechanism m) {
    switch (m) {
        case ScramMechanism::Sha1:
            return EVP_sha1();
        case ScramMechanism::Sha256:
            return EVP_sha256();
        case ScramMechanism::Sha512:
            return EVP_sha512();
    }
    return EVP_sha512();
}

// The a=value attributes of one message, in order.
using Attributes = std::vector<std::pair<char, std::string_view>>;

std::optional<Attributes> parseAttributes(std::string_view msg) {
    Attributes out;
    size_t pos = 0;
    while (pos <= msg.size()) {
        const size_t comma = msg.find(',', pos);
        const std::string_view part =
            msg.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        if (part.size() < 2 || part[1] != '=') return std::nullopt;
        out.emplace_back(part[0], part.substr(2));
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

std::optional<std::string_view> attribute(const Attributes& attrs, char name) {
    for (const auto& [k, v] : attrs)
        if (k == name) return v;
    return std::nullopt;
}

// RFC 5802 saslname: ',' -> "=2C", '=' -> "=3D".
std::string escapeName(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == ',') {
            out += "=2C";
        } else if (c == '=') {
            out += "=3D";
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> unescapeName(std::string_view name) {
    std::string out;
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] != '=') {
            out += name[i];
            continue;
        }
        const std::string_view code = name.substr(i + 1, 2);
        if (code == "2C") {
            out += ',';
        } else if (code == "3D") {
            out += '=';
        } else {
            return std::nullopt;
        }
        i += 2;
    }
    return out;
}

Bytes xorBytes(const Bytes& a, const Bytes& b) {
    Bytes out(a.size());
    for (size_t i = 0; i < a.size(); ++i)
        out[i] = static_cast<uint8_t>(a[i] ^ b[i]);
    return out;
}

std::string authMessage(std::string_view clientFirstBare, std::string_view serverFirst,
                        std::string_view clientFinalWithoutProof) {
    std::string m;
    m.append(clientFirstBare).append(",").append(serverFirst).append(",");
    m.append(clientFinalWithoutProof);
    return m;
}

Error invalidCredentials() {
    return Error{"Authentication failed: Invalid user credentials"};
}

}  // namespace

std::optional<ScramMechanism> scramMechanismFromName(std::string_view name) {
    if (name == "SCRAM-SHA-256") return ScramMechanism::Sha256;
    if (name == "SCRAM-SHA-512") return ScramMechanism::Sha512;
    return std::nullopt;
}

std::string_view scramMechanismName(ScramMechanism m) {
    switch (m) {
        case ScramMechanism::Sha1:
            return "SCRAM-SHA-1";
        case ScramMechanism::Sha256:
            return "SCRAM-SHA-256";
        case ScramMechanism::Sha512:
            return "SCRAM-SHA-512";
    }
    return "SCRAM";
}

ScramCredential makeScramCredential(ScramMechanism m, std::string_view password, Bytes salt,
                                    int iterations) {
    const EVP_MD* md = hashOf(m);
    const Bytes salted = pbkdf2(md, password, salt, iterations);
    ScramCredential c;
    c.storedKey = digest(md, hmac(md, salted, asBytes("Client Key")));
    c.serverKey = hmac(md, salted, asBytes("Server Key"));
    c.salt = std::move(salt);
    c.iterations = iterations;
    return c;
}

std::string scramNonce() {
    return base64Encode(randomBytes(24));
}

ScramClient::ScramClient(ScramMechanism m, std::string username, std::string password,
                         std::string nonce)
    : mechanism_(m),
      username_(std::move(username)),
      password_(std::move(password)),
      nonce_(std::move(nonce)) {}

ScramClient::~ScramClient() {
    wipe(password_);
}

std::string ScramClient::firstMessage() const {
    return "n,,n=" + escapeName(username_) + ",r=" + nonce_;
}

Result<std::string> ScramClient::finalMessage(std::string_view serverFirst) {
    const std::string name(scramMechanismName(mechanism_));
    auto attrs = parseAttributes(serverFirst);
    if (!attrs) return Error{name + ": malformed server-first-message"};
    if (auto e = attribute(*attrs, 'e')) return Error{name + ": server error: " + std::string(*e)};
    const auto nonce = attribute(*attrs, 'r');
    const auto salt64 = attribute(*attrs, 's');
    const auto iter = attribute(*attrs, 'i');
    if (!nonce || !salt64 || !iter) return Error{name + ": server-first-message lacks r, s or i"};
    if (nonce->size() <= nonce_.size() || nonce->substr(0, nonce_.size()) != nonce_) {
        return Error{name + ": server nonce does not extend the client nonce"};
    }
    const auto salt = base64Decode(*salt64);
    if (!salt) return Error{name + ": salt is not base64"};
    int iterations = 0;
    auto [end, ec] = std::from_chars(iter->data(), iter->data() + iter->size(), iterations);
    if (ec != std::errc() || end != iter->data() + iter->size()) {
        return Error{name + ": iteration count is not a number"};
    }
    // Kafka's client refuses weak parameters a rogue server could ask for.
    if (mechanism_ != ScramMechanism::Sha1 && iterations < kScramMinIterations) {
        return Error{name + ": server asked for " + std::to_string(iterations) +
                     " iterations, fewer than the minimum " + std::to_string(kScramMinIterations)};
    }
    const EVP_MD* md = hashOf(mechanism_);
    const Bytes salted = pbkdf2(md, password_, *salt, iterations);
    wipe(password_);
    const Bytes clientKey = hmac(md, salted, asBytes("Client Key"));
    const Bytes storedKey = digest(md, clientKey);
    const std::string withoutProof = "c=biws,r=" + std::string(*nonce);
    const std::string bare = firstMessage().substr(3);
    const std::string auth = authMessage(bare, serverFirst, withoutProof);
    const Bytes proof = xorBytes(clientKey, hmac(md, storedKey, asBytes(auth)));
    expectedServerSignature_ = hmac(md, hmac(md, salted, asBytes("Server Key")), asBytes(auth));
    return withoutProof + ",p=" + base64Encode(proof);
}

Status ScramClient::verifyServerFinal(std::string_view serverFinal) const {
    const std::string name(scramMechanismName(mechanism_));
    auto attrs = parseAttributes(serverFinal);
    if (!attrs) return Error{name + ": malformed server-final-message"};
    if (auto e = attribute(*attrs, 'e')) return Error{name + ": server error: " + std::string(*e)};
    const auto v = attribute(*attrs, 'v');
    const auto signature = v ? base64Decode(*v) : std::nullopt;
    if (!signature || expectedServerSignature_.empty() ||
        !constantTimeEquals(*signature, expectedServerSignature_)) {
        return Error{name + ": the server's signature is wrong (it does not know the password)"};
    }
    return {};
}

ScramServer::ScramServer(ScramMechanism m, CredentialLookup lookup, std::string nonce)
    : mechanism_(m), lookup_(std::move(lookup)), serverNonce_(std::move(nonce)) {}

Result<std::string> ScramServer::handleClientFirst(std::string_view clientFirst) {
    // gs2-header: "n," or "y," (no channel binding), optional "a=authzid", then ','.
    if (clientFirst.size() < 3 || (clientFirst[0] != 'n' && clientFirst[0] != 'y') ||
        clientFirst[1] != ',') {
        return Error{"Invalid SCRAM client first message: channel binding is not supported"};
    }
    const size_t headerEnd = clientFirst.find(',', 2);
    if (headerEnd == std::string_view::npos) return Error{"Invalid SCRAM client first message"};
    gs2Header_ = std::string(clientFirst.substr(0, headerEnd + 1));
    clientFirstBare_ = std::string(clientFirst.substr(headerEnd + 1));
    auto attrs = parseAttributes(clientFirstBare_);
    const auto n = attrs ? attribute(*attrs, 'n') : std::nullopt;
    const auto r = attrs ? attribute(*attrs, 'r') : std::nullopt;
    if (!n || !r || r->empty() || r->find(',') != std::string_view::npos) {
        return Error{"Invalid SCRAM client first message"};
    }
    auto name = unescapeName(*n);
    if (!name) return Error{"Invalid SCRAM client first message: bad user name escape"};
    const std::string_view authzid = std::string_view(gs2Header_).substr(2);
    if (authzid.size() > 1 && authzid.substr(0, 2) == "a=") {
        auto az = unescapeName(authzid.substr(2, authzid.size() - 3));
        if (!az || *az != *name) {
            return Error{
                "Authentication failed: Client requested an authorization id that is "
                "different from username"};
        }
    }
    username_ = *name;
    credential_ = lookup_(username_);
    if (!credential_) return invalidCredentials();
    fullNonce_ = std::string(*r) + serverNonce_;
    serverFirst_ = "r=" + fullNonce_ + ",s=" + base64Encode(credential_->salt) +
                   ",i=" + std::to_string(credential_->iterations);
    return serverFirst_;
}

Result<std::string> ScramServer::handleClientFinal(std::string_view clientFinal) {
    if (!credential_) return Error{"Invalid SCRAM exchange: client final message came first"};
    const size_t proofAt = clientFinal.rfind(",p=");
    if (proofAt == std::string_view::npos) return Error{"Invalid SCRAM client final message"};
    const std::string_view withoutProof = clientFinal.substr(0, proofAt);
    auto attrs = parseAttributes(withoutProof);
    const auto c = attrs ? attribute(*attrs, 'c') : std::nullopt;
    const auto r = attrs ? attribute(*attrs, 'r') : std::nullopt;
    const auto proof = base64Decode(clientFinal.substr(proofAt + 3));
    if (!c || !r || !proof) return Error{"Invalid SCRAM client final message"};
    if (*c != base64Encode(asBytes(gs2Header_))) {
        return Error{"Invalid SCRAM client final message: channel binding data does not match"};
    }
    // Kafka's ScramSaslServer only asks that the nonce end with the full nonce: librdkafka
    // (2.0) sends the client nonce twice, and Kafka accepts it.
    if (!r->ends_with(fullNonce_)) {
        return Error{"Invalid SCRAM client final message: nonce mismatch"};
    }
    const EVP_MD* md = hashOf(mechanism_);
    const std::string auth = authMessage(clientFirstBare_, serverFirst_, withoutProof);
    const Bytes clientSignature = hmac(md, credential_->storedKey, asBytes(auth));
    if (proof->size() != clientSignature.size()) return invalidCredentials();
    const Bytes clientKey = xorBytes(*proof, clientSignature);
    if (!constantTimeEquals(digest(md, clientKey), credential_->storedKey)) {
        return invalidCredentials();
    }
    complete_ = true;
    return "v=" + base64Encode(hmac(md, credential_->serverKey, asBytes(auth)));
}

}  // namespace bs::security
