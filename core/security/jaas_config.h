#pragma once

// The `sasl.jaas.config` client setting, parsed as Kafka's JaasConfig does:
//   <LoginModuleClass> <required|requisite|sufficient|optional> key="value" key2=value2 ;
// exactly one login module; values quoted (with \" and \\ escapes) or bare words; // and /* */
// comments allowed.

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bs::security {

struct JaasConfig {
    std::string loginModule;
    std::string controlFlag;
    std::map<std::string, std::string> options;
};

inline constexpr std::string_view kPlainLoginModule =
    "org.apache.kafka.common.security.plain.PlainLoginModule";
inline constexpr std::string_view kScramLoginModule =
    "org.apache.kafka.common.security.scram.ScramLoginModule";

// Errors start with "sasl.jaas.config: " and give the position; they never quote option values
// (one is a password).
Result<JaasConfig> parseJaasConfig(std::string_view text);

}  // namespace bs::security
