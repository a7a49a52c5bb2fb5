#include <QtTest>

#include <snappy.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/record/compression.h"

using namespace bs::protocol;

Q_DECLARE_METATYPE(CompressionType)

namespace {

std::vector<uint8_t> randomBytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<uint8_t> v(n);
    for (auto& b : v)
        b = static_cast<uint8_t>(rng());
    return v;
}

// Text-like data: repeated words with some variation, compresses well.
std::vector<uint8_t> compressibleBytes(size_t n) {
    static const char* words[] = {"kafka ", "producer ", "batch ", "linger ", "record ", "acks "};
    std::mt19937 rng(7);
    std::vector<uint8_t> v;
    v.reserve(n);
    while (v.size() < n) {
        const std::string w = words[rng() % 6] + std::to_string(rng() % 100);
        for (char c : w) {
            if (v.size() < n) v.push_back(static_cast<uint8_t>(c));
        }
    }
    return v;
}

std::vector<uint8_t> compressed(CompressionType type, std::span<const uint8_t> in,
                                int level = kDefaultCompressionLevel) {
    bs::UninitBytes out;
    const bs::Status s = compress(type, level, in, out);
    if (!s) qFatal("compress failed: %s", s.message().c_str());
    return {out.begin(), out.end()};
}

// xxHash32 (seed 0) for the LZ4 frame header checksum: only inputs < 16 bytes are needed.
uint32_t xxh32Short(const uint8_t* p, size_t len) {
    constexpr uint32_t P1 = 2654435761u, P2 = 2246822519u, P3 = 3266489917u, P4 = 668265263u,
                       P5 = 374761393u;
    auto rotl = [](uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
    uint32_t h = P5 + static_cast<uint32_t>(len);
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        const uint32_t k = p[i] | (p[i + 1] << 8) | (p[i + 2] << 16) | (uint32_t{p[i + 3]} << 24);
        h = rotl(h + k * P3, 17) * P4;
    }
    for (; i < len; ++i)
        h = rotl(h + p[i] * P5, 11) * P1;
    h ^= h >> 15;
    h *= P2;
    h ^= h >> 13;
    h *= P3;
    h ^= h >> 16;
    return h;
}

uint32_t be32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

class CompressionTest : public QObject {
    Q_OBJECT
  private:
    static void codecRows(bool withNone = true) {
        QTest::addColumn<CompressionType>("type");
        if (withNone) QTest::newRow("none") << CompressionType::None;
        QTest::newRow("gzip") << CompressionType::Gzip;
        QTest::newRow("snappy") << CompressionType::Snappy;
        QTest::newRow("lz4") << CompressionType::Lz4;
        QTest::newRow("zstd") << CompressionType::Zstd;
    }

  private slots:
    void names() {
        QCOMPARE(compressionName(CompressionType::Zstd), std::string_view("zstd"));
        QCOMPARE(*parseCompressionType("GZip"), CompressionType::Gzip);
        QCOMPARE(*parseCompressionType("none"), CompressionType::None);
        const auto bad = parseCompressionType("brotli");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("brotli") != std::string::npos);
        QCOMPARE(defaultCompressionLevel(CompressionType::Gzip), -1);
        QCOMPARE(defaultCompressionLevel(CompressionType::Lz4), 9);
        QCOMPARE(defaultCompressionLevel(CompressionType::Zstd), 3);
    }

    void levelValidation() {
        QVERIFY(validateCompressionLevel(CompressionType::Gzip, -1).ok());
        QVERIFY(validateCompressionLevel(CompressionType::Gzip, 9).ok());
        QVERIFY(!validateCompressionLevel(CompressionType::Gzip, 0).ok());
        QVERIFY(!validateCompressionLevel(CompressionType::Gzip, 10).ok());
        QVERIFY(validateCompressionLevel(CompressionType::Lz4, 17).ok());
        QVERIFY(!validateCompressionLevel(CompressionType::Lz4, 18).ok());
        QVERIFY(validateCompressionLevel(CompressionType::Zstd, -131072).ok());
        QVERIFY(!validateCompressionLevel(CompressionType::Zstd, 23).ok());
        bs::UninitBytes out;
        const bs::Status s = compress(CompressionType::Lz4, 0, std::vector<uint8_t>{1, 2}, out);
        QVERIFY(!s.ok());
        QVERIFY(s.message().find("level 0") != std::string::npos);
        QVERIFY(out.empty());
    }

    void roundTrip_data() { codecRows(); }
    void roundTrip() {
        QFETCH(CompressionType, type);
        const std::vector<std::vector<uint8_t>> inputs = {
            {}, {'a'}, {1, 2, 3, 4, 5}, randomBytes(1 << 20, 1), compressibleBytes(1 << 20)};
        for (const auto& in : inputs) {
            const auto c = compressed(type, in);
            std::vector<uint8_t> back;
            const bs::Status s = decompress(type, c, back, in.size());  // exactly at the limit
            QVERIFY2(s.ok(), s.message().c_str());
            QVERIFY(back == in);
        }
        const auto text = compressibleBytes(1 << 20);
        if (type != CompressionType::None) QVERIFY(compressed(type, text).size() < text.size() / 2);
    }

    void levelsRoundTrip() {
        const auto in = compressibleBytes(200'000);
        const std::pair<CompressionType, int> cases[] = {
            {CompressionType::Gzip, 1}, {CompressionType::Gzip, 9},  {CompressionType::Lz4, 1},
            {CompressionType::Lz4, 17}, {CompressionType::Zstd, -5}, {CompressionType::Zstd, 19}};
        for (const auto& [type, level] : cases) {
            const auto c = compressed(type, in, level);
            std::vector<uint8_t> back;
            QVERIFY(decompress(type, c, back, in.size()).ok());
            QVERIFY(back == in);
        }
        // Higher levels really are used: they compress at least as well.
        QVERIFY(compressed(CompressionType::Gzip, in, 9).size() <
                compressed(CompressionType::Gzip, in, 1).size());
        QVERIFY(compressed(CompressionType::Zstd, in, 19).size() <
                compressed(CompressionType::Zstd, in, -5).size());
    }

    void appendsToExistingBytes_data() { codecRows(); }
    void appendsToExistingBytes() {
        QFETCH(CompressionType, type);
        const auto in = compressibleBytes(10'000);
        bs::UninitBytes out = {9, 8, 7};
        QVERIFY(compress(type, kDefaultCompressionLevel, in, out).ok());
        QCOMPARE(out[0], uint8_t{9});
        std::vector<uint8_t> back = {1};
        QVERIFY(decompress(type, std::span(out).subspan(3), back, in.size()).ok());
        QCOMPARE(back.size(), in.size() + 1);
        QVERIFY(std::equal(in.begin(), in.end(), back.begin() + 1));
    }

    void limitIsExact_data() { codecRows(); }
    void limitIsExact() {
        QFETCH(CompressionType, type);
        const auto in = compressibleBytes(100'000);
        const auto c = compressed(type, in);
        std::vector<uint8_t> back;
        const bs::Status s = decompress(type, c, back, in.size() - 1);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find(std::to_string(in.size() - 1)) != std::string::npos,
                 s.message().c_str());
        QVERIFY(back.size() <= in.size());
    }

    // 100 MiB of zeros with a 1 MiB limit: an error, and memory stays near the limit.
    void bombIsAnError_data() { codecRows(false); }
    void bombIsAnError() {
        QFETCH(CompressionType, type);
        const std::vector<uint8_t> zeros(100u << 20, 0);
        const auto bomb = compressed(type, zeros);
        QVERIFY(bomb.size() < (5u << 20));
        std::vector<uint8_t> out;
        const bs::Status s = decompress(type, bomb, out, 1u << 20);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("exceeds the limit of 1048576") != std::string::npos,
                 s.message().c_str());
        QVERIFY(out.size() <= (1u << 20) + 1);
        QVERIFY(out.capacity() <= (4u << 20));
    }

    void corruptInputIsAnError_data() { codecRows(false); }
    void corruptInputIsAnError() {
        QFETCH(CompressionType, type);
        const auto in = compressibleBytes(100'000);
        const auto good = compressed(type, in);
        std::vector<uint8_t> out;
        // Garbage.
        const auto garbage = randomBytes(1000, 99);
        QVERIFY(!decompress(type, garbage, out, 1u << 20).ok());
        // Empty.
        out.clear();
        QVERIFY(!decompress(type, {}, out, 1u << 20).ok());
        // Truncated at several points.
        for (size_t cut : {size_t{1}, size_t{7}, good.size() / 2, good.size() - 1}) {
            out.clear();
            const bs::Status s = decompress(type, std::span(good).first(cut), out, 1u << 20);
            QVERIFY2(!s.ok(), qPrintable(QString("cut at %1").arg(cut)));
            QVERIFY(s.message().rfind(std::string(compressionName(type)) + ":", 0) == 0);
        }
        // A damaged first byte (magic / stream header / length).
        auto damaged = good;
        damaged[0] ^= 0xff;
        if (type == CompressionType::Snappy) damaged[0] = 0xff;  // raw-block length varint
        out.clear();
        QVERIFY(!decompress(type, damaged, out, 1u << 20).ok());
    }

    // Random byte mutations of valid streams: each decode ends with data or an error, never
    // beyond the limit (ASan/UBSan watch the rest).
    void mutatedStreamsStayBounded_data() { codecRows(false); }
    void mutatedStreamsStayBounded() {
        QFETCH(CompressionType, type);
        const auto in = compressibleBytes(40'000);
        const auto good = compressed(type, in);
        std::mt19937 rng(static_cast<uint32_t>(type) * 7919);
        std::vector<uint8_t> out;
        int errors = 0;
        for (int round = 0; round < 400; ++round) {
            auto bad = good;
            const int flips = 1 + static_cast<int>(rng() % 3);
            for (int f = 0; f < flips; ++f)
                bad[rng() % bad.size()] = static_cast<uint8_t>(rng());
            out.clear();
            if (!decompress(type, bad, out, 50'000).ok()) ++errors;
            QVERIFY(out.size() <= 50'001);
        }
        QVERIFY(errors > 0);
    }

    void gzipDetectsFlippedPayload() {
        const auto in = compressibleBytes(50'000);
        auto c = compressed(CompressionType::Gzip, in);
        c[c.size() / 2] ^= 0x10;
        std::vector<uint8_t> out;
        QVERIFY(!decompress(CompressionType::Gzip, c, out, 1u << 20).ok());
    }

    void gzipConcatenatedMembers() {
        const std::vector<uint8_t> a = {'a', 'b'}, b = {'c'};
        auto c = compressed(CompressionType::Gzip, a);
        const auto c2 = compressed(CompressionType::Gzip, b);
        QCOMPARE(c[0], uint8_t{0x1f});
        QCOMPARE(c[1], uint8_t{0x8b});
        c.insert(c.end(), c2.begin(), c2.end());
        std::vector<uint8_t> out;
        QVERIFY(decompress(CompressionType::Gzip, c, out, 100).ok());
        QCOMPARE(out, (std::vector<uint8_t>{'a', 'b', 'c'}));
    }

    // What snappy-java's SnappyOutputStream writes: header, then 32 KiB blocks.
    void snappyWritesXerialFraming() {
        const auto in = compressibleBytes(100'000);
        const auto c = compressed(CompressionType::Snappy, in);
        const uint8_t header[16] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
        QVERIFY(c.size() > 16);
        QVERIFY(std::equal(header, header + 16, c.begin()));
        size_t pos = 16;
        std::vector<size_t> blockSizes;
        while (pos < c.size()) {
            QVERIFY(c.size() - pos >= 4);
            const uint32_t len = be32(c.data() + pos);
            QVERIFY(len <= c.size() - pos - 4);
            std::string block;
            QVERIFY(
                snappy::Uncompress(reinterpret_cast<const char*>(c.data() + pos + 4), len, &block));
            blockSizes.push_back(block.size());
            pos += 4 + len;
        }
        QCOMPARE(blockSizes, (std::vector<size_t>{32768, 32768, 32768, 100'000 - 3 * 32768}));
        // Empty input: just the stream header, as SnappyOutputStream writes on close.
        QCOMPARE(compressed(CompressionType::Snappy, {}).size(), size_t{16});
    }

    // Raw snappy (no stream header) as some clients send it.
    void snappyReadsRawBlocks() {
        const auto in = compressibleBytes(70'000);
        std::string raw;
        snappy::Compress(reinterpret_cast<const char*>(in.data()), in.size(), &raw);
        std::vector<uint8_t> out;
        const bs::Status s =
            decompress(CompressionType::Snappy,
                       {reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}, out, 1u << 20);
        QVERIFY2(s.ok(), s.message().c_str());
        QVERIFY(out == in);
        // A raw block declaring 100 MiB is refused before anything is allocated.
        std::string bomb;
        const std::string zeros(100u << 20, '\0');
        snappy::Compress(zeros.data(), zeros.size(), &bomb);
        std::vector<uint8_t> untouched;
        QVERIFY(!decompress(CompressionType::Snappy,
                            {reinterpret_cast<const uint8_t*>(bomb.data()), bomb.size()}, untouched,
                            1u << 20)
                     .ok());
        QVERIFY(untouched.capacity() == 0);
    }

    // snappy-java reads concatenated streams (a header where a block length would be).
    void snappyReadsConcatenatedXerialStreams() {
        const std::vector<uint8_t> a = {'x', 'y'}, b = {'z'};
        auto c = compressed(CompressionType::Snappy, a);
        const auto c2 = compressed(CompressionType::Snappy, b);
        c.insert(c.end(), c2.begin(), c2.end());
        std::vector<uint8_t> out;
        QVERIFY(decompress(CompressionType::Snappy, c, out, 100).ok());
        QCOMPARE(out, (std::vector<uint8_t>{'x', 'y', 'z'}));
        // A block length running past the end is an error naming the position.
        auto bad = compressed(CompressionType::Snappy, a);
        bad[19] = 0x7f;
        out.clear();
        const bs::Status s = decompress(CompressionType::Snappy, bad, out, 100);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("at byte 16") != std::string::npos, s.message().c_str());
    }

    // Kafka's Lz4BlockOutputStream (magic >= 1): version 1, independent blocks, no checksums
    // or content size, 64 KiB blocks, and a CORRECT header checksum (xxh32(FLG,BD) >> 8).
    void lz4FrameHeaderAsKafkaWrites() {
        const auto in = compressibleBytes(1000);
        const auto c = compressed(CompressionType::Lz4, in);
        QVERIFY(c.size() > 7);
        QCOMPARE(c[0], uint8_t{0x04});
        QCOMPARE(c[1], uint8_t{0x22});
        QCOMPARE(c[2], uint8_t{0x4d});
        QCOMPARE(c[3], uint8_t{0x18});
        QCOMPARE(c[4], uint8_t{0x60});  // version 01, block independence, nothing else
        QCOMPARE(c[5], uint8_t{0x40});  // 64 KiB max block size
        QCOMPARE(c[6], static_cast<uint8_t>((xxh32Short(c.data() + 4, 2) >> 8) & 0xff));
        // Ends with the 4-byte zero end mark (no content checksum).
        QCOMPARE(be32(c.data() + c.size() - 4), 0u);
    }
};

QTEST_GUILESS_MAIN(CompressionTest)
#include "test_compression.moc"
