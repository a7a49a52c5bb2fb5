#pragma once

#include <QString>
#include <cstdint>
#include <functional>
#include <optional>

#include "producer/observation.h"

namespace bs::ui {

// The Log dock's line for a producer event worth one (a retry, an expiry, a split, a failed batch
// or response, a metadata update); nullopt for the rest, which are many (up to 20 000 a tick).
// `topicName` resolves the event's topic id and is called only for the lines written.
std::optional<QString> eventLogLine(const producer::Event& e,
                                    const std::function<QString(uint32_t topicId)>& topicName);

}  // namespace bs::ui
