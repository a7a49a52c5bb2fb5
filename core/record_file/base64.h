#pragma once

// Standard base64 (RFC 4648 section 4, with padding), strict: the error names the first
// character that is not base64, so a record file's error can point at it.

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "record_file/file_record.h"

namespace bs::recordfile {

std::string base64Encode(std::span<const uint8_t> bytes);
Result<Bytes> base64Decode(std::string_view text);

}  // namespace bs::recordfile
