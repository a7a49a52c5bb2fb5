// A response as the client receives it: byte 0 picks the API (among those we speak), byte 1 the
// version within our range, the rest is the frame after its size prefix (response header +
// body), read as AsioNetworkClient does (parseResponseFrame, then decodeBody; ApiVersions also
// through the KIP-511 fallback). Invariants: whatever decodes re-encodes to the same message;
// a Fetch response's records are walked as the consumer walks them.

#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_messages.h"
#include "protocol/api_keys.h"
#include "protocol/messages/all.h"
#include "protocol/record/record_batch.h"

using namespace bs;
using protocol::ApiKey;

namespace {

// The consumer's walk over fetched records (bounded decompression, like the consumer's).
void walkRecords(const protocol::RecordsView& records) {
    if (records.isNull) return;
    protocol::RecordBatchReader reader(records.bytes, 1 << 20);
    protocol::Record rec;
    while (reader.nextBatch()) {
        while (reader.nextRecord(rec)) {
            protocol::RecordHeaderIterator it(rec);
            protocol::RecordHeader h;
            while (it.next(h)) {
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const auto apis = protocol::supportedApis();
    const protocol::ApiVersionRange& range = apis[data[0] % apis.size()];
    const int16_t span = static_cast<int16_t>(range.maxVersion - range.minVersion + 1);
    const int16_t version = static_cast<int16_t>(range.minVersion + data[1] % span);
    const std::span<const uint8_t> frame(data + 2, size - 2);

    auto parsed = protocol::parseResponseFrame(frame, range.apiKey, version);
    if (!parsed.ok()) return 0;
    const bool known = fuzz::withMessageType(range.apiKey, false, [&](auto proto) {
        using T = typename decltype(proto)::type;
        T m;
        if (!fuzz::checkRoundTrip(parsed->body, version, m)) return;
        if constexpr (std::is_same_v<T, protocol::FetchResponse>) {
            for (const auto& topic : m.responses)
                for (const auto& p : topic.partitions)
                    walkRecords(p.records);
        }
    });
    fuzz::check(known, "supported api without a response type");
    if (range.apiKey == ApiKey::ApiVersions) {
        protocol::ApiVersionsResponse m;
        if (protocol::decodeApiVersionsResponse(m, version, parsed->body).ok()) {
            // Whatever it settled on is representable at v0 at least.
            const auto v0 = fuzz::encoded(m, 0);
            protocol::ApiVersionsResponse back;
            fuzz::check(protocol::decodeBody(back, 0, v0).ok(),
                        "ApiVersions fallback result does not encode at v0");
        }
    }
    return 0;
}
