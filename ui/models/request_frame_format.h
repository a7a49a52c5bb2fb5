#pragma once

#include <QString>

#include "producer/request_frames.h"

namespace bs::ui {

// A request frame as the request frame view shows it, decoded from the bytes the producer
// wrote: size prefix, request header (api key, version, correlation id, client id), for a
// ProduceRequest acks, timeout and per partition the RecordBatch header fields, then a hex view
// of the first bytes. A frame that does not decode says where. Pure function, any thread.
QString describeRequestFrame(const producer::RequestFrame& frame, int hexBytes = 256);

}  // namespace bs::ui
