// Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*) from the
// codec tests' sample messages, the golden vectors (tests/protocol/vectors) and small
// hand-made inputs. Run by scripts/fuzz.sh --seeds; the output is committed.
//   make_seeds <corpus dir>

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "broker/storage/log.h"
#include "broker/storage/log_segment.h"
#include "fuzz_messages.h"
#include "protocol/record/compression.h"
#include "protocol/record/record_batch.h"
#include "protocol/vectors/kafka_python_vectors.h"
#include "protocol/vectors/schema_vectors.h"
#include "support/mock_clock.h"

using namespace bs;
using namespace bs::protocol;
namespace fs = std::filesystem;
using Buf = std::vector<uint8_t>;

namespace {

fs::path root;
int counter = 0;

void seed(const std::string& target, const Buf& bytes) {
    fs::create_directories(root / target);
    char name[32];
    std::snprintf(name, sizeof name, "seed-%04d", counter++);
    std::ofstream out(root / target / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}
void seed(const std::string& target, std::string_view text) {
    seed(target, Buf(text.begin(), text.end()));
}

Buf batch(CompressionType codec, int records, int64_t pid = -1) {
    Buf buf(4096);
    RecordBatchBuilder b(buf, codec);
    const RecordHeader headers[] = {{"trace", Bytes(reinterpret_cast<const uint8_t*>("abc"), 3)},
                                    {"none", {}, true}};
    for (int i = 0; i < records; ++i) {
        const std::string k = "key-" + std::to_string(i);
        const std::string v = "value-" + std::to_string(i) + "-aaaaaaaaaaaaaaaaaaaa";
        b.tryAppend(
            1'700'000'000'000 + i, Bytes(reinterpret_cast<const uint8_t*>(k.data()), k.size()),
            Bytes(reinterpret_cast<const uint8_t*>(v.data()), v.size()),
            i % 2 ? std::span<const RecordHeader>(headers) : std::span<const RecordHeader>());
    }
    if (pid >= 0) b.setProducerState(pid, 0, 0);
    auto bytes = b.close();
    return {bytes->begin(), bytes->end()};
}

template <class Msg>
Buf requestFrame(ApiKey api, int16_t version, const Msg& m) {
    Buf f = encodeRequestFrame(RequestHeader{api, version, 7, std::string("fuzz")}, m);
    return Buf(f.begin() + 4, f.end());
}

Buf requestFrameRaw(ApiKey api, int16_t version, const Buf& body) {
    Buf out;
    Writer w(out);
    encode(RequestHeader{api, version, 7, std::string("fuzz")}, requestHeaderVersion(api, version),
           w);
    w.raw(body);
    return out;
}

Buf responseSeed(ApiKey api, int16_t version, const Buf& body) {
    const auto apis = supportedApis();
    size_t index = 0;
    while (apis[index].apiKey != api)
        ++index;
    Buf out{static_cast<uint8_t>(index), static_cast<uint8_t>(version - apis[index].minVersion)};
    Writer w(out);
    encode(ResponseHeader{7}, responseHeaderVersion(api, version), w);
    w.raw(body);
    return out;
}

bool isRequestName(std::string_view n) {
    return n.ends_with("Request");
}

void protocolSeeds() {
    samples::forEachMessageType([&](auto proto) {
        using T = typename decltype(proto)::type;
        const auto range = *supportedRange(T::kApiKey);
        for (int16_t v = range.minVersion; v <= range.maxVersion; ++v) {
            const Buf body = fuzz::encoded(samples::sample<T>(v), v);
            if (isRequestName(samples::kName<T>))
                seed("broker_request", requestFrameRaw(T::kApiKey, v, body));
            else
                seed("client_response", responseSeed(T::kApiKey, v, body));
        }
    });
    // The golden vectors, as Kafka's schemas and kafka-python encode them.
    auto fromVectors = [&](const auto& vectors) {
        for (const auto& vec : vectors) {
            const std::string_view name = vec.message;
            bool done = false;
            samples::forEachMessageType([&](auto proto) {
                using T = typename decltype(proto)::type;
                if (done || name != samples::kName<T>) return;
                done = true;
                if (!isSupported(T::kApiKey, vec.version)) return;
                if (isRequestName(name))
                    seed("broker_request", requestFrameRaw(T::kApiKey, vec.version, vec.bytes));
                else
                    seed("client_response", responseSeed(T::kApiKey, vec.version, vec.bytes));
            });
        }
    };
    fromVectors(schema_vectors::kVectors);
    fromVectors(kafka_python::kVectors);

    // Requests the fuzzed broker can act on: its topic "t", real batches in every codec.
    for (int c = 0; c < 5; ++c) {
        const Buf b = batch(static_cast<CompressionType>(c), 3, c == 0 ? 1000 : -1);
        ProduceRequest p;
        p.acks = static_cast<int16_t>(c == 1 ? 0 : -1);
        p.topicData.push_back({"t", {{c % 3, {b, false}}}});
        seed("broker_request", requestFrame(ApiKey::Produce, 9, p));
    }
    FetchRequest f;
    f.maxWaitMs = 100;
    f.minBytes = 1;
    f.topics.push_back({"t", {{0, -1, 0, -1, -1, 1 << 20}}});
    seed("broker_request", requestFrame(ApiKey::Fetch, 12, f));
    MetadataRequest m;
    m.topics = std::vector<MetadataRequest::MetadataRequestTopic>{{}};
    m.topics->at(0).name = "t";
    seed("broker_request", requestFrame(ApiKey::Metadata, 12, m));
    SaslHandshakeRequest hs{"SCRAM-SHA-256"};
    seed("broker_request", requestFrame(ApiKey::SaslHandshake, 1, hs));
    SaslAuthenticateRequest auth;
    const std::string first = "n,,n=alice,r=fuzznonce";
    auth.authBytes.assign(first.begin(), first.end());
    seed("broker_request", requestFrame(ApiKey::SaslAuthenticate, 2, auth));
    const std::string plain = std::string("\0alice\0alice-secret", 19);
    seed("broker_request", plain);
    seed("broker_request", first);
}

void recordSeeds() {
    for (int c = 0; c < 5; ++c) {
        const auto codec = static_cast<CompressionType>(c);
        for (int n : {1, 4}) {
            Buf s{static_cast<uint8_t>(c), 0};
            const Buf b = batch(codec, n, n == 4 ? 42 : -1);
            s.insert(s.end(), b.begin(), b.end());
            seed("record_batch", s);
        }
        const std::string text = "the quick brown fox jumps over the lazy dog, the quick fox";
        Buf stream{static_cast<uint8_t>(c), 1};
        bs::UninitBytes packed;
        (void)compress(codec, defaultCompressionLevel(codec),
                       Bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size()), packed);
        stream.insert(stream.end(), packed.begin(), packed.end());
        seed("record_batch", stream);
    }
}

Buf readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Buf(std::istreambuf_iterator<char>(in), {});
}

void logSeeds() {
    const fs::path dir = fs::temp_directory_path() / "bs-make-seeds-log";
    fs::remove_all(dir);
    MockClock clock;
    broker::LogConfig config;
    config.indexIntervalBytes = 64;
    {
        auto log = broker::Log::open(dir.string(), config, clock).value();
        for (int i = 0; i < 4; ++i) {
            Buf b = batch(static_cast<CompressionType>(i % 5), 2);
            (void)log->append(b);
            clock.sleepMs(10);
        }
        (void)log->close();
    }
    auto pack = [](Buf& out, uint8_t id, const Buf& bytes) {
        out.push_back(id);
        out.push_back(static_cast<uint8_t>(bytes.size() >> 8));
        out.push_back(static_cast<uint8_t>(bytes.size()));
        out.insert(out.end(), bytes.begin(), bytes.end());
    };
    const Buf log0 = readFile(dir / broker::LogSegment::fileName(0, ".log"));
    const Buf index0 = readFile(dir / broker::LogSegment::fileName(0, ".index"));
    const Buf time0 = readFile(dir / broker::LogSegment::fileName(0, ".timeindex"));
    // A second segment at offset 100: the same batches renumbered.
    Buf log100;
    RecordBatchReader reader(log0);
    int64_t next = 100;
    while (reader.nextBatch()) {
        const auto& h = reader.batch();
        Buf b(log0.begin() + static_cast<ptrdiff_t>(log100.size()),
              log0.begin() + static_cast<ptrdiff_t>(log100.size() + h.sizeInBytes()));
        setBaseOffset(b, next);
        next += h.lastOffsetDelta + 1;
        log100.insert(log100.end(), b.begin(), b.end());
    }
    for (uint8_t flags : {0, 1}) {
        Buf s{flags};
        pack(s, 0, log0);
        pack(s, 1, index0);
        pack(s, 2, time0);
        seed("log_recovery", s);
        pack(s, 3, log100);
        seed("log_recovery", s);
    }
    Buf onlyLog{1};
    pack(onlyLog, 0, log0);
    seed("log_recovery", onlyLog);
    fs::remove_all(dir);
}

void textSeeds() {
    seed("properties",
         "# producer\nbootstrap.servers=localhost:9092\nacks=all\nlinger.ms : 5\n"
         "compression.type gzip\nbatch.size=16384\n");
    seed("properties",
         "key\\ with\\ spaces=value\\\n    continued\r\n! comment\nunicode=\\u00e9\\uD83D\\uDE00\n"
         "tab=\\t\\n\\r\\f\ntrailing\\\\\n");
    seed("properties",
         "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\n"
         "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
         "  username=\"alice\" password=\"secret\";\nenable.idempotence=true\n");
    seed("jaas_config",
         "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" "
         "password=\"alice-secret\";");
    seed("jaas_config",
         "org.apache.kafka.common.security.plain.PlainLoginModule required /* c */ "
         "username=bob // line\n password='p\\'w\\\\d';");
    seed("jaas_config", "a.B optional;");
    seed("json",
         "{\"id\": 1, \"name\": \"caf\\u00e9\", \"tags\": [true, false, null], "
         "\"x\": -1.5e10, \"nested\": {\"a\": [[]]}}");
    seed("json", "[1, 2.0, \"\\ud83d\\ude00\", {}]");
    seed("json", "\"just a string\"");
    seed("json", std::string(40, '[') + std::string(40, ']'));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds <corpus dir>\n");
        return 2;
    }
    spdlog::set_level(spdlog::level::off);
    root = argv[1];
    protocolSeeds();
    recordSeeds();
    logSeeds();
    textSeeds();
    std::printf("%d seeds written under %s\n", counter, root.c_str());
    return 0;
}
