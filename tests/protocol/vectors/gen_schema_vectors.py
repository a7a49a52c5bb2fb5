#!/usr/bin/python3
"""Writes schema_vectors.h: every supported version of every message, encoded by a small
generic encoder driven directly by Kafka's message schemas (common/message/*.json in the Kafka
mirror) - independent of our hand-written C++ descriptions. Values mirror
tests/protocol/message_samples.h. Run with Debian's python3:
  /usr/bin/python3 gen_schema_vectors.py /work/.mirror/apache+kafka/repo > schema_vectors.h
"""
import json
import re
import struct
import subprocess
import sys

REPO = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/apache+kafka/repo"
RANGES = {"ApiVersions": (0, 3), "Metadata": (0, 12), "Produce": (3, 11), "Fetch": (4, 12),
          "ListOffsets": (1, 7), "InitProducerId": (0, 4), "CreateTopics": (2, 7),
          "FindCoordinator": (0, 4), "SaslHandshake": (0, 1), "SaslAuthenticate": (0, 2),
          "JoinGroup": (0, 9), "SyncGroup": (0, 5), "Heartbeat": (0, 4), "LeaveGroup": (0, 5),
          "OffsetCommit": (0, 8), "OffsetFetch": (0, 8), "ListGroups": (0, 4),
          "DescribeGroups": (0, 5), "DeleteGroups": (0, 2),
          "CreatePartitions": (0, 3)}


def schema(name):
    text = subprocess.check_output(
        ["git", "-C", REPO, "show", f"HEAD:clients/src/main/resources/common/message/{name}.json"]
    ).decode()
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))


def in_versions(spec, v):
    if spec is None or spec == "none":
        return False
    if spec.endswith("+"):
        return v >= int(spec[:-1])
    if "-" in spec:
        lo, hi = spec.split("-")
        return int(lo) <= v <= int(hi)
    return v == int(spec)


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


class Enc:
    def __init__(self, version, flexible):
        self.v, self.flex = version, flexible

    def length(self, n, kind):  # kind: "string" (int16) or "bytes"/"array" (int32)
        if self.flex:
            return uvarint(0 if n is None else n + 1)
        fmt = ">h" if kind == "string" else ">i"
        return struct.pack(fmt, -1 if n is None else n)

    def value(self, f, t, val, nullable):
        if t.startswith("[]"):
            if val is None:
                assert nullable, f["name"]
                return self.length(None, "array")
            inner = t[2:]
            body = b"".join(self.value(f, inner, x, False) if "fields" not in f
                            else self.struct(f["fields"], x) for x in val)
            return self.length(len(val), "array") + body
        if "fields" in f:
            return self.struct(f["fields"], val)
        if t in ("int8", "int16", "int32", "int64"):
            return struct.pack({"int8": ">b", "int16": ">h", "int32": ">i", "int64": ">q"}[t], val)
        if t == "bool":
            return b"\x01" if val else b"\x00"
        if t == "uuid":
            return bytes(val)
        if t == "string":
            if val is None:
                assert nullable, f["name"]
                return self.length(None, "string")
            data = val.encode()
            return self.length(len(data), "string") + data
        if t in ("bytes", "records"):
            if val is None:
                assert nullable, f["name"]
                return self.length(None, "bytes")
            return self.length(len(val), "bytes") + bytes(val)
        raise ValueError(t)

    def struct(self, fields, val):
        out, tagged = bytearray(), []
        for f in fields:
            if not in_versions(f["versions"], self.v):
                continue
            nullable = in_versions(f.get("nullableVersions"), self.v)
            if "tag" in f and in_versions(f.get("taggedVersions"), self.v):
                if f["name"] in val:  # tagged fields are written only when present
                    tagged.append((f["tag"], self.value(f, f["type"], val[f["name"]], nullable)))
                continue
            out += self.value(f, f["type"], val[f["name"]], nullable)
        if self.flex:
            out += uvarint(len(tagged))
            for tag, data in sorted(tagged):
                out += uvarint(tag) + uvarint(len(data)) + data
        return bytes(out)


def encode(name, v, val):
    s = schema(name)
    return Enc(v, in_versions(s["flexibleVersions"], v)).struct(s["fields"], val)


# ---- sample values (mirror message_samples.h; fields a version lacks are simply not encoded)
RA = [0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4]
RB = [0xDE, 0xAD, 0xBE, 0xEF]
ZERO = [0] * 16


def uuid(seed):
    return [seed + i for i in range(16)]


def api_versions_request(v):
    return {"ClientSoftwareName": "batchscope", "ClientSoftwareVersion": "0.1.0"}


def api_versions_response(v):
    return {"ErrorCode": 35, "ThrottleTimeMs": 17,
            "ApiKeys": [{"ApiKey": 0, "MinVersion": 3, "MaxVersion": 11},
                        {"ApiKey": 18, "MinVersion": 0, "MaxVersion": 3}],
            "SupportedFeatures": [{"Name": "metadata.version", "MinVersion": 1, "MaxVersion": 20}],
            "FinalizedFeaturesEpoch": 9,
            "FinalizedFeatures": [
                {"Name": "metadata.version", "MaxVersionLevel": 20, "MinVersionLevel": 1},
                {"Name": "kraft.version", "MaxVersionLevel": 1, "MinVersionLevel": 0}],
            "ZkMigrationReady": True}


def metadata_request(v):
    topics = [{"TopicId": ZERO, "Name": "orders"}]
    if v >= 10:
        topics.append({"TopicId": uuid(3), "Name": None})
    return {"Topics": topics, "AllowAutoTopicCreation": False,
            "IncludeClusterAuthorizedOperations": True, "IncludeTopicAuthorizedOperations": True}


def metadata_response(v):
    def part(idx):
        return {"ErrorCode": 5, "PartitionIndex": idx, "LeaderId": 1, "LeaderEpoch": 12,
                "ReplicaNodes": [1, 2], "IsrNodes": [1], "OfflineReplicas": [2]}
    topic = {"ErrorCode": 29, "Name": "orders", "TopicId": uuid(7), "IsInternal": True,
             "Partitions": [part(4), part(5)], "TopicAuthorizedOperations": 0x0FF8}
    topics = [topic] + ([dict(topic, Name=None)] if v >= 12 else [])
    return {"ThrottleTimeMs": 5, "ClusterId": "bs-cluster", "ControllerId": 2, "Topics": topics,
            "Brokers": [{"NodeId": 1, "Host": "localhost", "Port": 19092, "Rack": "rack-a"},
                        {"NodeId": 2, "Host": "b2", "Port": 19093, "Rack": None}],
            "ClusterAuthorizedOperations": 0x0F}


def produce_request(v):
    return {"TransactionalId": "txn-1", "Acks": 1, "TimeoutMs": 1500, "TopicData": [
        {"Name": "orders", "PartitionData": [{"Index": 0, "Records": RA},
                                             {"Index": 3, "Records": None}]},
        {"Name": "audit", "PartitionData": [{"Index": 1, "Records": RB}]}]}


def produce_response(v):
    p = {"Index": 2, "ErrorCode": 6, "BaseOffset": 1234567890123,
         "LogAppendTimeMs": 1700000000000, "LogStartOffset": 77,
         "RecordErrors": [{"BatchIndex": 1, "BatchIndexErrorMessage": "bad record"},
                          {"BatchIndex": 3, "BatchIndexErrorMessage": None}],
         "ErrorMessage": "leader moved", "CurrentLeader": {"LeaderId": 3, "LeaderEpoch": 8}}
    return {"Responses": [{"Name": "orders", "PartitionResponses": [p]}], "ThrottleTimeMs": 11,
            "NodeEndpoints": [{"NodeId": 3, "Host": "broker-3", "Port": 19094, "Rack": "r1"}]}


def fetch_request(v):
    p = {"Partition": 3, "CurrentLeaderEpoch": 6, "FetchOffset": 1000, "LastFetchedEpoch": 5,
         "LogStartOffset": 10, "PartitionMaxBytes": 1048576}
    return {"ClusterId": "bs-cluster", "ReplicaId": -2, "MaxWaitMs": 500, "MinBytes": 1,
            "MaxBytes": 52428800, "IsolationLevel": 1, "SessionId": 99, "SessionEpoch": 4,
            "Topics": [{"Topic": "orders", "Partitions": [p]}],
            "ForgottenTopicsData": [{"Topic": "old", "Partitions": [0, 1]}], "RackId": "rack-b"}


def fetch_response(v):
    p = {"PartitionIndex": 3, "ErrorCode": 1, "HighWatermark": 2000, "LastStableOffset": 1990,
         "LogStartOffset": 10, "DivergingEpoch": {"Epoch": 4, "EndOffset": 1500},
         "CurrentLeader": {"LeaderId": 2, "LeaderEpoch": 7},
         "SnapshotId": {"EndOffset": 900, "Epoch": 3},
         "AbortedTransactions": [{"ProducerId": 55, "FirstOffset": 1200}],
         "PreferredReadReplica": 2, "Records": RA}
    q = {"PartitionIndex": 4, "ErrorCode": 0, "HighWatermark": 0, "LastStableOffset": -1,
         "LogStartOffset": -1, "AbortedTransactions": None, "PreferredReadReplica": -1,
         "Records": None}
    return {"ThrottleTimeMs": 3, "ErrorCode": 70, "SessionId": 99,
            "Responses": [{"Topic": "orders", "Partitions": [p, q]}]}


def list_offsets_request(v):
    return {"ReplicaId": -1, "IsolationLevel": 1, "Topics": [{"Name": "orders", "Partitions": [
        {"PartitionIndex": 2, "CurrentLeaderEpoch": 9, "Timestamp": -2}]}]}


def list_offsets_response(v):
    return {"ThrottleTimeMs": 8, "Topics": [{"Name": "orders", "Partitions": [
        {"PartitionIndex": 2, "ErrorCode": 3, "Timestamp": 1700000000001, "Offset": 42,
         "LeaderEpoch": 9}]}]}


def init_producer_id_request(v):
    return {"TransactionalId": "tx", "TransactionTimeoutMs": 60000, "ProducerId": 4000,
            "ProducerEpoch": 2}


def init_producer_id_response(v):
    return {"ThrottleTimeMs": 1, "ErrorCode": 14, "ProducerId": 4001, "ProducerEpoch": 3}


def create_topics_request(v):
    return {"Topics": [{"Name": "orders", "NumPartitions": 6, "ReplicationFactor": 3,
                        "Assignments": [{"PartitionIndex": 0, "BrokerIds": [1, 2, 3]}],
                        "Configs": [{"Name": "retention.ms", "Value": "1000"},
                                    {"Name": "cleanup.policy", "Value": None}]}],
            "timeoutMs": 5000, "validateOnly": True}


def create_topics_response(v):
    return {"ThrottleTimeMs": 2, "Topics": [{
        "Name": "orders", "TopicId": uuid(40), "ErrorCode": 36, "ErrorMessage": "exists",
        "TopicConfigErrorCode": 29, "NumPartitions": 6, "ReplicationFactor": 3,
        "Configs": [{"Name": "retention.ms", "Value": "1000", "ReadOnly": True,
                     "ConfigSource": 5, "IsSensitive": True}]}]}


def find_coordinator_request(v):
    return {"Key": "billing", "KeyType": 1, "CoordinatorKeys": ["billing", "audit"]}


def find_coordinator_response(v):
    return {"ThrottleTimeMs": 6, "ErrorCode": 15, "ErrorMessage": "loading", "NodeId": 2,
            "Host": "broker-2", "Port": 9094, "Coordinators": [
                {"Key": "billing", "NodeId": 2, "Host": "broker-2", "Port": 9094,
                 "ErrorCode": 0, "ErrorMessage": None},
                {"Key": "audit", "NodeId": -1, "Host": "", "Port": -1, "ErrorCode": 15,
                 "ErrorMessage": "loading"}]}


def sasl_handshake_request(v):
    return {"Mechanism": "SCRAM-SHA-512"}


def sasl_handshake_response(v):
    return {"ErrorCode": 33, "Mechanisms": ["PLAIN", "SCRAM-SHA-256"]}


def sasl_authenticate_request(v):
    return {"AuthBytes": [ord("n"), ord(","), ord(","), ord("n"), ord("="), ord("u"), 0, 0xFF]}


def sasl_authenticate_response(v):
    return {"ErrorCode": 58, "ErrorMessage": "bad proof", "AuthBytes": [ord("v"), ord("="), 1, 0x80],
            "SessionLifetimeMs": 3600000}


def txt(s):
    return list(s.encode())


def join_group_request(v):
    return {"GroupId": "billing", "SessionTimeoutMs": 45000, "RebalanceTimeoutMs": 300000,
            "MemberId": "rdkafka-1", "GroupInstanceId": "pod-7", "ProtocolType": "consumer",
            "Protocols": [{"Name": "range", "Metadata": txt("r")},
                          {"Name": "roundrobin", "Metadata": [0, 1, 0xFF]}],
            "Reason": "rejoin"}


def join_group_response(v):
    return {"ThrottleTimeMs": 4, "ErrorCode": 79, "GenerationId": 12, "ProtocolType": "consumer",
            "ProtocolName": "range", "Leader": "m-1", "SkipAssignment": True, "MemberId": "m-2",
            "Members": [{"MemberId": "m-1", "GroupInstanceId": "pod-1", "Metadata": txt("a")},
                        {"MemberId": "m-2", "GroupInstanceId": None, "Metadata": []}]}


def sync_group_request(v):
    return {"GroupId": "billing", "GenerationId": 12, "MemberId": "m-1",
            "GroupInstanceId": "pod-1", "ProtocolType": "consumer", "ProtocolName": "range",
            "Assignments": [{"MemberId": "m-1", "Assignment": txt("p0")},
                            {"MemberId": "m-2", "Assignment": []}]}


def sync_group_response(v):
    return {"ThrottleTimeMs": 2, "ErrorCode": 27, "ProtocolType": "consumer",
            "ProtocolName": "range", "Assignment": txt("p0,p1")}


def heartbeat_request(v):
    return {"GroupId": "billing", "GenerationId": 12, "MemberId": "m-1",
            "GroupInstanceId": "pod-1"}


def heartbeat_response(v):
    return {"ThrottleTimeMs": 3, "ErrorCode": 22}


def leave_group_request(v):
    return {"GroupId": "billing", "MemberId": "m-1", "Members": [
        {"MemberId": "m-1", "GroupInstanceId": None, "Reason": "closing"},
        {"MemberId": "m-2", "GroupInstanceId": "pod-2", "Reason": None}]}


def leave_group_response(v):
    return {"ThrottleTimeMs": 1, "ErrorCode": 25, "Members": [
        {"MemberId": "m-1", "GroupInstanceId": None, "ErrorCode": 0},
        {"MemberId": "m-2", "GroupInstanceId": "pod-2", "ErrorCode": 82}]}


def offset_commit_request(v):
    return {"GroupId": "billing", "GenerationIdOrMemberEpoch": 12, "MemberId": "m-1",
            "GroupInstanceId": "pod-1", "RetentionTimeMs": 86400000, "Topics": [
                {"Name": "orders", "Partitions": [
                    {"PartitionIndex": 3, "CommittedOffset": 1234, "CommittedLeaderEpoch": 5,
                     "CommitTimestamp": 1700000000000, "CommittedMetadata": "meta"},
                    {"PartitionIndex": 4, "CommittedOffset": 0, "CommittedLeaderEpoch": -1,
                     "CommitTimestamp": -1, "CommittedMetadata": None}]}]}


def offset_commit_response(v):
    return {"ThrottleTimeMs": 7, "Topics": [{"Name": "orders", "Partitions": [
        {"PartitionIndex": 3, "ErrorCode": 0}, {"PartitionIndex": 4, "ErrorCode": 12}]}]}


def offset_fetch_request(v):
    topics = [{"Name": "orders", "PartitionIndexes": [0, 3]}]
    return {"GroupId": "billing", "Topics": topics, "RequireStable": True,
            "Groups": [{"GroupId": "billing", "Topics": topics},
                       {"GroupId": "audit", "Topics": None}]}


def offset_fetch_response(v):
    parts = [{"PartitionIndex": 3, "CommittedOffset": 1234, "CommittedLeaderEpoch": 5,
              "Metadata": "meta", "ErrorCode": 0},
             {"PartitionIndex": 4, "CommittedOffset": -1, "CommittedLeaderEpoch": -1,
              "Metadata": None, "ErrorCode": 3}]
    topics = [{"Name": "orders", "Partitions": parts}]
    return {"ThrottleTimeMs": 9, "Topics": topics, "ErrorCode": 16,
            "Groups": [{"GroupId": "billing", "Topics": topics, "ErrorCode": 0},
                       {"GroupId": "audit", "Topics": [], "ErrorCode": 16}]}


def list_groups_request(v):
    return {"StatesFilter": ["Stable", "Empty"]}


def list_groups_response(v):
    return {"ThrottleTimeMs": 5, "ErrorCode": 14, "Groups": [
        {"GroupId": "billing", "ProtocolType": "consumer", "GroupState": "Stable"},
        {"GroupId": "audit", "ProtocolType": "", "GroupState": "Empty"}]}


def describe_groups_request(v):
    return {"Groups": ["billing", "audit"], "IncludeAuthorizedOperations": True}


def describe_groups_response(v):
    member = {"MemberId": "m-1", "GroupInstanceId": "pod-1", "ClientId": "rdkafka",
              "ClientHost": "/127.0.0.1", "MemberMetadata": txt("meta"),
              "MemberAssignment": txt("assign")}
    return {"ThrottleTimeMs": 6, "Groups": [
        {"ErrorCode": 0, "GroupId": "billing", "GroupState": "Stable",
         "ProtocolType": "consumer", "ProtocolData": "range", "Members": [member],
         "AuthorizedOperations": 0x0FF8},
        {"ErrorCode": 16, "GroupId": "audit", "GroupState": "Dead", "ProtocolType": "",
         "ProtocolData": "", "Members": [], "AuthorizedOperations": -2147483648}]}


def delete_groups_request(v):
    return {"GroupsNames": ["billing", "audit"]}


def delete_groups_response(v):
    return {"ThrottleTimeMs": 8, "Results": [{"GroupId": "billing", "ErrorCode": 0},
                                             {"GroupId": "audit", "ErrorCode": 68}]}


def create_partitions_request(v):
    return {"Topics": [{"Name": "orders", "Count": 8,
                        "Assignments": [{"BrokerIds": [1]}, {"BrokerIds": [2]}]},
                       {"Name": "audit", "Count": 3, "Assignments": None}],
            "TimeoutMs": 5000, "ValidateOnly": True}


def create_partitions_response(v):
    return {"ThrottleTimeMs": 3, "Results": [
        {"Name": "orders", "ErrorCode": 0, "ErrorMessage": None},
        {"Name": "audit", "ErrorCode": 37, "ErrorMessage": "Topic already has 3 partition(s)."}]}


MESSAGES = [
    ("ApiVersions", api_versions_request, api_versions_response),
    ("Metadata", metadata_request, metadata_response),
    ("Produce", produce_request, produce_response),
    ("Fetch", fetch_request, fetch_response),
    ("ListOffsets", list_offsets_request, list_offsets_response),
    ("InitProducerId", init_producer_id_request, init_producer_id_response),
    ("CreateTopics", create_topics_request, create_topics_response),
    ("FindCoordinator", find_coordinator_request, find_coordinator_response),
    ("SaslHandshake", sasl_handshake_request, sasl_handshake_response),
    ("SaslAuthenticate", sasl_authenticate_request, sasl_authenticate_response),
    ("JoinGroup", join_group_request, join_group_response),
    ("SyncGroup", sync_group_request, sync_group_response),
    ("Heartbeat", heartbeat_request, heartbeat_response),
    ("LeaveGroup", leave_group_request, leave_group_response),
    ("OffsetCommit", offset_commit_request, offset_commit_response),
    ("OffsetFetch", offset_fetch_request, offset_fetch_response),
    ("ListGroups", list_groups_request, list_groups_response),
    ("DescribeGroups", describe_groups_request, describe_groups_response),
    ("DeleteGroups", delete_groups_request, delete_groups_response),
    ("CreatePartitions", create_partitions_request, create_partitions_response),
]

print("#pragma once\n")
print("// Generated by gen_schema_vectors.py from Kafka's message schemas. Do not edit.\n")
print("#include <cstdint>\n#include <vector>\n")
print("namespace bs::protocol::schema_vectors {\n")
print("struct Vector {\n    const char* message;\n    int16_t version;\n"
      "    std::vector<uint8_t> bytes;\n};\n")
print("// clang-format off")
print("inline const std::vector<Vector> kVectors = {")
for api, req, resp in MESSAGES:
    lo, hi = RANGES[api]
    for kind, fn in (("Request", req), ("Response", resp)):
        for v in range(lo, hi + 1):
            data = encode(api + kind, v, fn(v))
            print(f'    {{"{api}{kind}", {v}, {{{", ".join(str(b) for b in data)}}}}},')
print("};")
print("// clang-format on\n\n}  // namespace bs::protocol::schema_vectors")
