#pragma once

// Helpers shared by the storage tests: real batches from RecordBatchBuilder and file access.

#include <QtTest>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "protocol/record/record_batch.h"

namespace bs::storage_test {

struct BatchSpec {
    int records = 1;
    int64_t firstTimestamp = 1'700'000'000'000;
    int64_t producerId = protocol::kNoProducerId;
    int16_t producerEpoch = protocol::kNoProducerEpoch;
    int32_t baseSequence = protocol::kNoSequence;
    size_t valueBytes = 16;
    protocol::CompressionType compression = protocol::CompressionType::None;
    std::string valuePrefix = "v";
};

// A finished batch (base offset 0, valid CRC). Record i has key "k<i>", timestamp
// firstTimestamp + i and a value "<prefix><i>" padded with '.' to valueBytes.
inline std::vector<uint8_t> makeBatch(const BatchSpec& spec) {
    std::vector<uint8_t> buffer(static_cast<size_t>(spec.records) * (spec.valueBytes + 64) + 256);
    protocol::RecordBatchBuilder builder(buffer, spec.compression);
    for (int i = 0; i < spec.records; ++i) {
        std::string key = "k" + std::to_string(i);
        std::string value = spec.valuePrefix + std::to_string(i);
        if (value.size() < spec.valueBytes) value.resize(spec.valueBytes, '.');
        auto asBytes = [](const std::string& s) {
            return protocol::Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
        };
        if (!builder.tryAppend(spec.firstTimestamp + i, asBytes(key), asBytes(value))) {
            qFatal("test batch does not fit its buffer");
        }
    }
    if (spec.producerId >= 0) {
        builder.setProducerState(spec.producerId, spec.producerEpoch, spec.baseSequence);
    }
    auto closed = builder.close();
    if (!closed) qFatal("cannot build test batch: %s", closed.error().message.c_str());
    return std::vector<uint8_t>(closed->begin(), closed->end());
}

inline std::vector<uint8_t> makeBatch(int records) {
    BatchSpec spec;
    spec.records = records;
    return makeBatch(spec);
}

inline std::vector<uint8_t> idempotentBatch(int64_t pid, int16_t epoch, int32_t seq, int records) {
    BatchSpec spec;
    spec.records = records;
    spec.producerId = pid;
    spec.producerEpoch = epoch;
    spec.baseSequence = seq;
    return makeBatch(spec);
}

inline std::vector<uint8_t> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void writeFile(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<uint8_t> concat(const std::vector<std::vector<uint8_t>>& parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Base offsets of every batch in `records`, validated (CRC) by RecordBatchReader.
inline std::vector<int64_t> batchBaseOffsets(const std::vector<uint8_t>& records) {
    std::vector<int64_t> out;
    protocol::RecordBatchReader reader(records);
    while (reader.nextBatch())
        out.push_back(reader.batch().baseOffset);
    if (!reader.ok()) qFatal("unreadable records: %s", reader.error().c_str());
    if (reader.partialTailBytes() != 0) qFatal("records end with a partial batch");
    return out;
}

}  // namespace bs::storage_test
