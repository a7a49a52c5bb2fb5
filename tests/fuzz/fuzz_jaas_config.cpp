// The sasl.jaas.config parser (security::parseJaasConfig) on any text. Invariant: a config it
// accepts, written back in canonical form (every value quoted, \ and " escaped), parses to the
// same config; errors start with "sasl.jaas.config: ".

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "security/jaas_config.h"

using namespace bs;

namespace {

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\\' || c == '"') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto config = security::parseJaasConfig(text);
    if (!config.ok()) {
        fuzz::check(config.error().message.starts_with("sasl.jaas.config: "),
                    "an error that does not name sasl.jaas.config");
        return 0;
    }
    std::string written = config->loginModule + " " + config->controlFlag;
    for (const auto& [k, v] : config->options)
        written += " " + k + "=" + quoted(v);
    written += ";";
    auto back = security::parseJaasConfig(written);
    fuzz::check(back.ok(), "canonical form does not parse");
    fuzz::check(back->loginModule == config->loginModule &&
                    back->controlFlag == config->controlFlag && back->options == config->options,
                "canonical form parses to another config");
    return 0;
}
