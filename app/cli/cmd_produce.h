#pragma once

// Shared by `produce` and `perf`: a ProducerConfig from --producer.config FILE, then k=v pairs
// (--producer-property / --producer-props), then the values a command forces.

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "producer/producer_config.h"

namespace bs::cli {

Result<producer::ProducerConfig> buildProducerConfig(
    const std::string& configFile, const std::vector<std::string>& keyValues,
    const std::map<std::string, std::string>& forced);

}  // namespace bs::cli
