#include "record_file/base64.h"

#include <openssl/evp.h>

namespace bs::recordfile {

// OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock do the coding; they accept padding anywhere
// and whitespace, so the strict check of the alphabet and the padding is ours.
std::string base64Encode(std::span<const uint8_t> bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

Result<Bytes> base64Decode(std::string_view text) {
    size_t padding = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=' && i + 2 >= text.size() && text.size() % 4 == 0 &&
            (i + 1 == text.size() || text[i + 1] == '=')) {
            ++padding;
            continue;
        }
        if (!alpha || padding > 0) {
            std::string shown = (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
                                    ? "'" + std::string(1, c) + "'"
                                    : "byte " + std::to_string(static_cast<unsigned char>(c));
            return Error{"not base64: character " + std::to_string(i + 1) + " is " + shown};
        }
    }
    if (text.size() % 4 != 0)
        return Error{"not base64: " + std::to_string(text.size()) +
                     " characters, not a multiple of 4 (padding with '=' missing?)"};
    Bytes out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return Error{"not base64"};
    // EVP_DecodeBlock counts the padding as zero bytes.
    out.resize(static_cast<size_t>(n) - padding);
    return out;
}

}  // namespace bs::recordfile
