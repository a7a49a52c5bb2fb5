#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace bs::protocol {

// The Kafka APIs Batchscope speaks (Kafka's ApiKeys numbering).
enum class ApiKey : int16_t {
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    SaslHandshake = 17,
    ApiVersions = 18,
    CreateTopics = 19,
    InitProducerId = 22,
    SaslAuthenticate = 36,
    CreatePartitions = 37,
    DeleteGroups = 42,
};

// The version range we implement for one API, and the first "flexible" version (compact
// strings/arrays and tagged fields, KIP-482).
struct ApiVersionRange {
    ApiKey apiKey;
    int16_t minVersion;
    int16_t maxVersion;
    int16_t firstFlexibleVersion;
};

// All supported APIs, ordered by key (what our broker advertises in ApiVersions).
std::span<const ApiVersionRange> supportedApis();
// Our range for `api`, or nullopt when the key is not one we speak (any int16 is accepted).
std::optional<ApiVersionRange> supportedRange(ApiKey api);
bool isSupported(ApiKey api, int16_t version);
// Whether `version` of `api` uses the flexible encoding. Also answers for versions above our
// max (a newer client's request header is still parsed with the right header version).
bool isFlexible(ApiKey api, int16_t version);
// Request header v1 (classic) or v2 (flexible); unknown APIs are treated as v1.
int16_t requestHeaderVersion(ApiKey api, int16_t version);
// Response header v0 or v1 (flexible); ApiVersions responses always use v0 (KIP-511) so that
// a client can read the error of a version it guessed too high.
int16_t responseHeaderVersion(ApiKey api, int16_t version);
// Kafka's name ("Produce", "ApiVersions", ...), or "Unknown".
std::string_view apiName(ApiKey api);

}  // namespace bs::protocol
