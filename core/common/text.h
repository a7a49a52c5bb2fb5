#pragma once

// Byte-text helpers shared by the producer's serializers, the consumer's deserializers, the CLI
// and the GUI.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bs {

// Hex text ("0a ff", "0x0aff", whitespace ignored) to bytes; the error names the offending offset.
Result<std::vector<uint8_t>> parseHex(std::string_view text);
// Lower-case hex digits, no separators ("00ab10").
std::string toHex(std::span<const uint8_t> bytes);
// The offset of the first byte where `text` stops being valid UTF-8 (overlong forms, surrogates
// and values beyond U+10FFFF included), or std::string_view::npos when all of it is valid.
size_t invalidUtf8At(std::string_view text);

}  // namespace bs
