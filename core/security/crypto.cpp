#include "security/crypto.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace bs::security {

std::span<const uint8_t> asBytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Bytes digest(const EVP_MD* md, std::span<const uint8_t> data) {
    Bytes out(static_cast<size_t>(EVP_MD_get_size(md)));
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
        throw std::runtime_error("EVP_Digest failed");
    }
    out.resize(len);
    return out;
}

Bytes hmac(const EVP_MD* md, std::span<const uint8_t> key, std::span<const uint8_t> data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (!HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(),
              &len)) {
        throw std::runtime_error("HMAC failed");
    }
    out.resize(len);
    return out;
}

Bytes pbkdf2(const EVP_MD* md, std::string_view password, std::span<const uint8_t> salt,
             int iterations) {
    Bytes out(static_cast<size_t>(EVP_MD_get_size(md)));
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, md,
                          static_cast<int>(out.size()), out.data()) != 1) {
        throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
    }
    return out;
}

std::string base64Encode(std::span<const uint8_t> data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                  static_cast<int>(data.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

std::optional<Bytes> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/';
        const bool pad =
            c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '=');
        if (!alpha && !pad) return std::nullopt;
    }
    Bytes out(text.size() / 4 * 3);
    // EVP_DecodeBlock counts padding as zero bytes; they are dropped below.
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    size_t padding = 0;
    if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    out.resize(static_cast<size_t>(n) - padding);
    return out;
}

Bytes randomBytes(size_t n) {
    Bytes out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

bool constantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe(std::string& secret) {
    if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

}  // namespace bs::security
