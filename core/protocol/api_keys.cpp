#include "protocol/api_keys.h"

namespace bs::protocol {
namespace {

// SaslHandshake's schema says "flexibleVersions": "none".
constexpr int16_t kNeverFlexible = INT16_MAX;

// Ranges and flexible versions from Kafka's message schemas (common/message/*.json).
constexpr ApiVersionRange kApis[] = {
    {ApiKey::Produce, 3, 11, 9},         {ApiKey::Fetch, 4, 12, 12},
    {ApiKey::ListOffsets, 1, 7, 6},      {ApiKey::Metadata, 0, 12, 9},
    {ApiKey::OffsetCommit, 0, 8, 8},     {ApiKey::OffsetFetch, 0, 8, 6},
    {ApiKey::FindCoordinator, 0, 4, 3},  {ApiKey::JoinGroup, 0, 9, 6},
    {ApiKey::Heartbeat, 0, 4, 4},        {ApiKey::LeaveGroup, 0, 5, 4},
    {ApiKey::SyncGroup, 0, 5, 4},        {ApiKey::DescribeGroups, 0, 5, 5},
    {ApiKey::ListGroups, 0, 4, 3},       {ApiKey::SaslHandshake, 0, 1, kNeverFlexible},
    {ApiKey::ApiVersions, 0, 3, 3},      {ApiKey::CreateTopics, 2, 7, 5},
    {ApiKey::InitProducerId, 0, 4, 2},   {ApiKey::SaslAuthenticate, 0, 2, 2},
    {ApiKey::CreatePartitions, 0, 3, 2}, {ApiKey::DeleteGroups, 0, 2, 2},
};

}  // namespace

std::span<const ApiVersionRange> supportedApis() {
    return kApis;
}

std::optional<ApiVersionRange> supportedRange(ApiKey api) {
    for (const auto& r : kApis)
        if (r.apiKey == api) return r;
    return std::nullopt;
}

bool isSupported(ApiKey api, int16_t version) {
    auto r = supportedRange(api);
    return r && version >= r->minVersion && version <= r->maxVersion;
}

bool isFlexible(ApiKey api, int16_t version) {
    auto r = supportedRange(api);
    return r && version >= r->firstFlexibleVersion;
}

int16_t requestHeaderVersion(ApiKey api, int16_t version) {
    return isFlexible(api, version) ? 2 : 1;
}

int16_t responseHeaderVersion(ApiKey api, int16_t version) {
    if (api == ApiKey::ApiVersions) return 0;
    return isFlexible(api, version) ? 1 : 0;
}

std::string_view apiName(ApiKey api) {
    switch (api) {
        case ApiKey::Produce:
            return "Produce";
        case ApiKey::Fetch:
            return "Fetch";
        case ApiKey::ListOffsets:
            return "ListOffsets";
        case ApiKey::Metadata:
            return "Metadata";
        case ApiKey::FindCoordinator:
            return "FindCoordinator";
        case ApiKey::OffsetCommit:
            return "OffsetCommit";
        case ApiKey::OffsetFetch:
            return "OffsetFetch";
        case ApiKey::JoinGroup:
            return "JoinGroup";
        case ApiKey::Heartbeat:
            return "Heartbeat";
        case ApiKey::LeaveGroup:
            return "LeaveGroup";
        case ApiKey::SyncGroup:
            return "SyncGroup";
        case ApiKey::DescribeGroups:
            return "DescribeGroups";
        case ApiKey::ListGroups:
            return "ListGroups";
        case ApiKey::DeleteGroups:
            return "DeleteGroups";
        case ApiKey::ApiVersions:
            return "ApiVersions";
        case ApiKey::CreateTopics:
            return "CreateTopics";
        case ApiKey::InitProducerId:
            return "InitProducerId";
        case ApiKey::SaslHandshake:
            return "SaslHandshake";
        case ApiKey::SaslAuthenticate:
            return "SaslAuthenticate";
        case ApiKey::CreatePartitions:
            return "CreatePartitions";
    }
    return "Unknown";
}

}  // namespace bs::protocol
