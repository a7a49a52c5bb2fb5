#pragma once

#include <map>
#include <memory>
#include <string>

#include "common/result.h"
#include "consumer/consumer_record.h"
#include "consumer/deserializers.h"

namespace bs::consumer {

// kafka-console-consumer's DefaultMessageFormatter: print.timestamp / print.partition /
// print.offset / print.delivery / print.epoch / print.headers / print.key / print.value, in
// that order, joined by key.separator and ended by line.separator; headers as key:value joined
// by headers.separator ("NO_HEADERS" when none); null keys/values/header values as
// null.literal; key.deserializer / value.deserializer / headers.deserializer render the bytes
// (without one the raw bytes are written). Like the console consumer, epoch and delivery
// print NOT_PRESENT (it drops them from the record it formats). Immutable after create().
class DefaultMessageFormatter {
  public:
    // Takes the --property map. Unknown keys are ignored as Kafka does; a bad deserializer
    // name is an error naming the key.
    // `key`/`value`, when set, are used instead of key.deserializer / value.deserializer (the
    // Schema Registry deserializers, which live outside the consumer).
    struct Overrides {
        std::shared_ptr<const Deserializer> key, value;
    };
    static Result<DefaultMessageFormatter> create(const std::map<std::string, std::string>& props,
                                                  const Overrides& overrides = {});

    // Appends the record's text to `out`. A deserializer failure is an error (nothing appended).
    Status writeTo(const ConsumerRecord& record, std::string& out) const;
    // The --print-batches line for a batch boundary (ends with line.separator).
    std::string batchLine(const BatchInfo& batch) const;

  private:
    Status field(const std::optional<Bytes>& bytes, const Deserializer* d, std::string& out) const;

    bool printTimestamp_ = false, printKey_ = false, printValue_ = true, printPartition_ = false,
         printOffset_ = false, printDelivery_ = false, printEpoch_ = false, printHeaders_ = false;
    std::string keySeparator_ = "\t", lineSeparator_ = "\n", headersSeparator_ = ",",
                nullLiteral_ = "null";
    std::shared_ptr<const Deserializer> keyDeserializer_, valueDeserializer_, headersDeserializer_;
};

}  // namespace bs::consumer
