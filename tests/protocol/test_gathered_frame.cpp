#include <QtTest>

#include <cstdint>
#include <vector>

#include "protocol/api_keys.h"
#include "protocol/frame.h"
#include "protocol/messages/metadata.h"
#include "protocol/messages/produce.h"

// The gathered (zero-copy) request frame the network client writes must be byte for byte the
// contiguous frame: same size prefix, header and body, with the batches spliced in place.

using namespace bs::protocol;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes pattern(size_t n, uint8_t seed) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i)
        b[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 7));
    return b;
}

// Two topics, five partitions: batches above and below Writer::kMinSpliceBytes, an empty and
// a null records field.
struct Sample {
    std::vector<Bytes> batches{pattern(16384, 1), pattern(40, 2), pattern(1000, 3),
                               pattern(Writer::kMinSpliceBytes, 4), Bytes{}};
    ProduceRequest request() const {
        ProduceRequest m;
        m.transactionalId = "tx-1";
        m.acks = -1;
        m.timeoutMs = 1234;
        m.topicData.push_back({"orders", {}});
        m.topicData.push_back({"payments-with-a-longer-name", {}});
        for (size_t i = 0; i < batches.size(); ++i) {
            m.topicData[i % 2].partitionData.push_back(
                {static_cast<int32_t>(i), RecordsView{batches[i], false}});
        }
        m.topicData[1].partitionData.push_back({9, RecordsView{{}, true}});
        return m;
    }
};

}  // namespace

class GatheredFrameTest : public QObject {
    Q_OBJECT
  private slots:
    void produceFrameEqualsTheContiguousOneInEveryVersion() {
        const Sample sample;
        const ProduceRequest m = sample.request();
        const auto range = supportedRange(ApiKey::Produce);
        QVERIFY(range.has_value());
        QVERIFY(range->minVersion <= 3 && range->maxVersion >= 11);
        for (int16_t v = 3; v <= 11; ++v) {
            const RequestHeader h{ApiKey::Produce, v, 77 + v, "client-a"};
            const Bytes contiguous = encodeRequestFrame(h, m);
            const GatheredFrame gathered = encodeGatheredRequestFrame(h, m);
            QCOMPARE(gathered.size(), contiguous.size());
            QCOMPARE(gathered.assemble(), contiguous);
            // Segment by segment, as the socket write sees them.
            Bytes joined;
            size_t segments = 0;
            gathered.forEachSegment([&](std::span<const uint8_t> s) {
                QVERIFY(!s.empty());
                joined.insert(joined.end(), s.begin(), s.end());
                ++segments;
            });
            QCOMPARE(joined, contiguous);
            // The three batches of at least kMinSpliceBytes are not copied: the splices point at
            // the callers' bytes; the 40-byte and the empty batch are copied into the head.
            QCOMPARE(gathered.splices.size(), size_t{3});
            QCOMPARE(gathered.splices[0].bytes.data(), sample.batches[0].data());
            QCOMPARE(gathered.splices[1].bytes.data(), sample.batches[2].data());
            QCOMPARE(gathered.splices[2].bytes.data(), sample.batches[3].data());
            QCOMPARE(segments, size_t{7});  // head, 3 x (batch, fields in between), tail
            const size_t batchBytes = 16384 + 1000 + Writer::kMinSpliceBytes;
            QCOMPARE(gathered.owned.size(), contiguous.size() - batchBytes);
            // And it decodes back to the request.
            auto parsed = parseRequestFrame(std::span<const uint8_t>(contiguous).subspan(4));
            QVERIFY(parsed.ok());
            ProduceRequest back;
            QVERIFY(decodeBody(back, v, parsed->body).ok());
            QCOMPARE(back, m);
        }
    }

    void requestWithoutRecordsStaysOneOwnedRun() {
        MetadataRequest m;
        m.topics = std::vector<MetadataRequest::MetadataRequestTopic>{};
        const RequestHeader h{ApiKey::Metadata, 9, 5, "client-b"};
        const GatheredFrame gathered = encodeGatheredRequestFrame(h, m);
        QVERIFY(gathered.splices.empty());
        QCOMPARE(gathered.owned, encodeRequestFrame(h, m));
    }
};

QTEST_GUILESS_MAIN(GatheredFrameTest)
#include "test_gathered_frame.moc"
