// The JSON serializer's validator (validateJson, what serializer "json" runs on every value).
// Invariants, against nlohmann::json as the reference: validateJson accepts exactly the UTF-8
// texts nlohmann accepts that nest at most 512 levels; an accepted text re-serialized by
// nlohmann is accepted again.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "fuzz_common.h"

using namespace bs;

namespace {

// Deepest nesting of arrays/objects outside strings (the text is valid JSON when called).
int depth(std::string_view s) {
    int d = 0, deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++d);
        } else if (c == ']' || c == '}') {
            --d;
        }
    }
    return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Status s = validateJson(text);
    // nlohmann stops at a NUL byte as at the end of input; RFC 8259 allows none.
    const bool reference = text.find('\0') == std::string_view::npos &&
                           nlohmann::json::accept(text) && depth(text) <= 512;
    if (s.ok()) {
        fuzz::check(reference, "validateJson accepted what nlohmann refuses");
        const std::string again = nlohmann::json::parse(text).dump();
        fuzz::check(validateJson(again).ok(), "re-serialized JSON is refused");
    } else {
        fuzz::check(!s.message().empty(), "an error without a message");
        // The UTF-8 check may refuse what nlohmann lets through (it checks inside strings only).
        if (s.message().starts_with("invalid UTF-8")) return 0;
        fuzz::check(!reference, "validateJson refused what nlohmann accepts");
    }
    return 0;
}
