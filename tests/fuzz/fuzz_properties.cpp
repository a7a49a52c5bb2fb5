// The producer's Java .properties parser (ProducerConfig::parsePropertiesText) on any text.
// Invariant: the pairs it reads, written back with every special character escaped, parse to
// the same pairs; and parse() of those pairs either builds a config or names an error.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_common.h"
#include "producer/producer_config.h"

using namespace bs;
using producer::ProducerConfig;

namespace {

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\f':
                out += "\\f";
                break;
            case ' ':
                out += "\\ ";
                break;
            case '=':
                out += "\\=";
                break;
            case ':':
                out += "\\:";
                break;
            case '#':
                out += "\\#";
                break;
            case '!':
                out += "\\!";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto pairs = ProducerConfig::parsePropertiesText(text);
    if (!pairs.ok()) {
        fuzz::check(!pairs.error().message.empty(), "an error without a message");
        return 0;
    }
    std::string written;
    for (const auto& [k, v] : *pairs)
        written += escape(k) + "=" + escape(v) + "\n";
    auto back = ProducerConfig::parsePropertiesText(written);
    fuzz::check(back.ok(), "escaped pairs do not parse");
    fuzz::check(*back == *pairs, "escaped pairs parse to other pairs");
    // A TLS protocol makes parse() build an SSL context, loading the system CA store (~5 ms,
    // 50x the rest): that is not parsing, so leave it to the unit tests.
    for (const auto& [k, v] : *pairs)
        if (k == "security.protocol" && v.find("SSL") != std::string::npos) return 0;
    auto config = ProducerConfig::parse(*pairs);
    if (!config.ok()) fuzz::check(!config.error().message.empty(), "an error without a message");
    return 0;
}
