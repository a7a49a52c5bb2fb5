#pragma once

#include <cstddef>
#include <cstdint>

namespace bs::protocol {

// CRC32C (Castagnoli), the checksum of a RecordBatch v2 (attributes..end of batch).
// `crc` chains calls: crc32c(b, nb, crc32c(a, na)) == crc32c(a ++ b). Start with 0.
// All functions are thread-safe (the tables are constant and built at compile time).

// Dispatches to the hardware path when the CPU has SSE4.2, else to the portable path.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

// Table-driven (slicing-by-8) path, works everywhere.
uint32_t crc32cPortable(const void* data, size_t size, uint32_t crc = 0);

// The SSE4.2 `crc32` instruction. Only call when crc32cHardwareAvailable(); on other CPUs (or
// non-x86 builds) it falls back to the portable path rather than fault.
uint32_t crc32cHardware(const void* data, size_t size, uint32_t crc = 0);

bool crc32cHardwareAvailable();

}  // namespace bs::protocol
