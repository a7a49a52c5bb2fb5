#pragma once

// Thin wrappers over OpenSSL's libcrypto for the SASL mechanisms (hashes, HMAC, PBKDF2,
// base64, random bytes). Stateless and thread-safe.

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bs::security {

using Bytes = std::vector<uint8_t>;

std::span<const uint8_t> asBytes(std::string_view s);

Bytes digest(const EVP_MD* md, std::span<const uint8_t> data);
Bytes hmac(const EVP_MD* md, std::span<const uint8_t> key, std::span<const uint8_t> data);
// RFC 5802's Hi(): PBKDF2 with HMAC-`md`, one block of the hash's size.
Bytes pbkdf2(const EVP_MD* md, std::string_view password, std::span<const uint8_t> salt,
             int iterations);

std::string base64Encode(std::span<const uint8_t> data);
// Strict standard base64 with padding; nullopt on anything else.
std::optional<Bytes> base64Decode(std::string_view text);

Bytes randomBytes(size_t n);
// Compares in time independent of where the inputs differ.
bool constantTimeEquals(std::span<const uint8_t> a, std::span<const uint8_t> b);
// Overwrites a secret before its memory is released.
void wipe(std::string& secret);

}  // namespace bs::security
