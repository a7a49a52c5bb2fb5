#pragma once

#include <string_view>

#include "common/result.h"

namespace bs {

// Strict RFC 8259 validation of one JSON text (nlohmann::json's SAX parser), at most 512 levels
// deep. The error names the byte offset and what was wrong there.
Status validateJson(std::string_view text);

}  // namespace bs
