// Confluent's wire format as the deserializers read it, and the JSON Schema validator. The input's
// first byte picks the part:
//  - even: the bytes are a framed record. unframe() and decodeMessageIndexes() never crash; an
//    index list they accept re-encodes to bytes that decode to the same list, consuming exactly
//    those bytes (so the reader and the writer agree on the zigzag varints and the single-0
//    shortcut; other writers' longer forms, such as overlong varints, are read too).
//  - odd: the rest is "schema\nvalue". JsonSchema::parse never crashes; a schema it accepts
//    validates any value without crashing (errors name a field or "value"), and a value it
//    accepts encodes to JSON that validates again.

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "serde/json_schema_codec.h"
#include "serde/wire_format.h"

using namespace bs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    if (data[0] % 2 == 0) {
        auto framed = serde::unframe(data + 1, size - 1);
        if (!framed) return 0;
        auto indexes = serde::decodeMessageIndexes(*framed);
        if (!indexes) return 0;
        fuzz::check(!indexes->empty(), "an accepted index list is never empty");
        const auto bytes = serde::encodeMessageIndexes(*indexes);
        serde::FramedPayload again{framed->schemaId, bytes.data(), bytes.size()};
        auto back = serde::decodeMessageIndexes(again);
        fuzz::check(back && *back == *indexes && again.size == 0,
                    "message indexes re-encode to bytes that decode to them");
        return 0;
    }
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    const size_t nl = text.find('\n');
    if (nl == std::string::npos) return 0;
    auto schema = serde::JsonSchema::parse(text.substr(0, nl));
    if (!schema) return 0;
    auto encoded = (*schema)->encodeJson(text.substr(nl + 1));
    if (!encoded) {
        const std::string& why = encoded.error().message;
        fuzz::check(
            why.starts_with("field '") || why.starts_with("value") || why.starts_with("not JSON"),
            "a refused value names the field");
        return 0;
    }
    auto again = (*schema)->encodeJson(std::string(encoded->begin(), encoded->end()));
    fuzz::check(again && *again == *encoded, "an accepted value is accepted again");
    return 0;
}
