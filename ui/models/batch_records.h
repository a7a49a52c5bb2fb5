#pragma once

#include <QString>
#include <cstdint>
#include <span>

namespace bs::ui {

// The records of one producer batch (RecordBatch v2 bytes, as KafkaProducer::batchRecords gives
// them) for the batch details, one paragraph: "offset delta: key → value (n headers) · ...", at
// most `maxShown` of them, then how many more. Keys and values show as text when they are UTF-8,
// else hex. A batch that does not parse says why. Pure; any thread.
QString batchRecordsText(std::span<const uint8_t> batch, int maxShown = 6);

}  // namespace bs::ui
