#include "common/text.h"

#include <cctype>
#include <cstring>

namespace bs {

Result<std::vector<uint8_t>> parseHex(std::string_view text) {
    std::vector<uint8_t> out;
    size_t i = 0;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
        ++i;
    if (text.substr(i, 2) == "0x" || text.substr(i, 2) == "0X") i += 2;
    int high = -1;
    size_t highAt = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return Error{"'" + std::string(1, c) + "' at offset " + std::to_string(i) +
                         " is not a hex digit"};
        if (high < 0) {
            high = v;
            highAt = i;
        } else {
            out.push_back(static_cast<uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0)
        return Error{"odd number of hex digits (the digit at offset " + std::to_string(highAt) +
                     " has no partner)"};
    return out;
}

std::string toHex(std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xF];
    }
    return out;
}

size_t invalidUtf8At(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        // ASCII runs (most payloads): 32 bytes per test, then eight. This runs on every string
        // key and value send() takes.
        constexpr uint64_t kHigh = 0x8080808080808080ull;
        while (i + 32 <= s.size()) {
            uint64_t w[4];
            std::memcpy(w, s.data() + i, sizeof w);
            if (((w[0] | w[1] | w[2] | w[3]) & kHigh) != 0) break;
            i += 32;
        }
        if (i == s.size()) break;
        uint64_t word;
        if (i + sizeof word <= s.size()) {
            std::memcpy(&word, s.data() + i, sizeof word);
            if ((word & kHigh) == 0) {
                i += sizeof word;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(s[i]);
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n >= s.size()) return i;
        for (size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += n + 1;
    }
    return std::string_view::npos;
}

}  // namespace bs
