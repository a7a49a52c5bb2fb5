#include <QtTest>

#include <random>
#include <vector>

#include "message_samples.h"
#include "protocol/api_keys.h"
#include "protocol/reader.h"
#include "protocol/writer.h"

using namespace bs::protocol;
using Bytes = std::vector<uint8_t>;

using samples::encoded;

namespace {

// Oldest, newest and the flexible boundary versions of an API.
std::vector<int16_t> interestingVersions(ApiKey api) {
    auto r = *supportedRange(api);
    std::vector<int16_t> vs{r.minVersion, r.maxVersion};
    if (r.firstFlexibleVersion > r.minVersion && r.firstFlexibleVersion <= r.maxVersion) {
        vs.push_back(static_cast<int16_t>(r.firstFlexibleVersion - 1));
        vs.push_back(r.firstFlexibleVersion);
    }
    return vs;
}

// Whatever decodes successfully must survive a re-encode/decode unchanged: the decoder never
// produces a value the encoder cannot represent.
template <class T>
bool decodeIsStable(std::span<const uint8_t> input, int16_t v, bool& decodedOk) {
    Reader r(input);
    T m;
    decodedOk = decode(m, v, r).ok();
    if (!decodedOk) return true;
    Bytes again = encoded(m, v);
    Reader r2(again);
    T m2;
    return decode(m2, v, r2).ok() && r2.atEnd() && m2 == m;
}

}  // namespace

class MessagesMalformedTest : public QObject {
    Q_OBJECT
  private slots:
    void truncationAtEveryOffsetIsACleanError() {
        size_t prefixes = 0;
        samples::forEachMessageType([&](auto proto) {
            using T = typename decltype(proto)::type;
            auto range = *supportedRange(T::kApiKey);
            for (int16_t v = range.minVersion; v <= range.maxVersion; ++v) {
                Bytes full = encoded(samples::sample<T>(v), v);
                for (size_t n = 0; n < full.size(); ++n) {
                    Bytes cut(full.begin(), full.begin() + static_cast<ptrdiff_t>(n));
                    Reader r(cut);
                    T m;
                    bs::Status s = decode(m, v, r);
                    QVERIFY2(!s.ok(), qPrintable(QString("%1 v%2 truncated at %3 decoded")
                                                     .arg(samples::kName<T>)
                                                     .arg(v)
                                                     .arg(n)));
                    QVERIFY(!s.message().empty());
                    ++prefixes;
                }
            }
        });
        qInfo("truncated encodings checked: %zu", prefixes);
        QVERIFY(prefixes > 5000);
    }

    void errorsNameTheMessageFieldAndOffset() {
        Bytes full = encoded(samples::sample<ProduceRequest>(3), 3);
        full.resize(21);  // txn id 0-6, acks 7-8, timeout 9-12, count 13-16, name 17-
        Reader r(full);
        ProduceRequest m;
        bs::Status s = decode(m, 3, r);
        QVERIFY(!s.ok());
        QCOMPARE(s.message(),
                 std::string("ProduceRequest v3: name at offset 17: length 6 exceeds the 2 "
                             "remaining bytes"));
    }

    void hostileCountsDoNotAllocate() {
        // Produce v3: null txn id, acks, timeout, then a topic count of INT32_MAX.
        Bytes b{0xff, 0xff, 0, 1, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 1, 't'};
        Reader r(b);
        ProduceRequest m;
        bs::Status s = decode(m, 3, r);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.message()).contains("topicData"));
        QVERIFY(m.topicData.capacity() < 1000);

        // Flexible Metadata v12 response: a broker count that fits the buffer, elements that
        // do not: decoding stops at the first broken element.
        Bytes f{0, 0, 0, 0, 0x0a, 0, 0, 0, 1, 5, 'h', 'o', 's', 't'};
        Reader r2(f);
        MetadataResponse mr;
        QVERIFY(!decode(mr, 12, r2).ok());
        QVERIFY(mr.brokers.size() <= 1);
    }

    void randomBytesNeverCrash() {
        std::mt19937 rng(20261125);
        int accepted = 0;
        samples::forEachMessageType([&](auto proto) {
            using T = typename decltype(proto)::type;
            for (int16_t v : interestingVersions(T::kApiKey)) {
                for (int i = 0; i < 2000; ++i) {
                    Bytes b(rng() % 96);
                    for (auto& x : b)
                        x = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
                    bool ok = false;
                    QVERIFY(decodeIsStable<T>(b, v, ok));
                    accepted += ok;
                }
            }
        });
        qInfo("random inputs that happened to decode: %d", accepted);
    }

    void mutatedMessagesNeverCrash() {
        std::mt19937 rng(7);
        samples::forEachMessageType([&](auto proto) {
            using T = typename decltype(proto)::type;
            for (int16_t v : interestingVersions(T::kApiKey)) {
                const Bytes full = encoded(samples::sample<T>(v), v);
                if (full.empty()) continue;  // ApiVersions v0-2 requests have no body
                for (int i = 0; i < 500; ++i) {
                    Bytes b = full;
                    int flips = 1 + static_cast<int>(rng() % 3);
                    for (int k = 0; k < flips; ++k)
                        b[rng() % b.size()] = static_cast<uint8_t>(rng());
                    bool ok = false;
                    QVERIFY(decodeIsStable<T>(b, v, ok));
                }
            }
        });
    }
};

QTEST_GUILESS_MAIN(MessagesMalformedTest)
#include "test_messages_malformed.moc"
