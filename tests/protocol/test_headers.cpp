#include <QtTest>

#include <random>

#include "golden.h"
#include "protocol/frame.h"
#include "protocol/headers.h"
#include "protocol/messages/init_producer_id.h"

using namespace bs::protocol;
using golden::Bytes;
using golden::cat;

class HeadersTest : public QObject {
    Q_OBJECT

    static Bytes encoded(const RequestHeader& h, int16_t hv) {
        Bytes out;
        Writer w(out);
        encode(h, hv, w);
        return out;
    }

  private slots:
    void requestHeaderVersions() {
        RequestHeader h{ApiKey::Produce, 9, 0x01020304, std::string("c")};
        QCOMPARE(encoded(h, 0), (Bytes{0, 0, 0, 9, 1, 2, 3, 4}));
        QCOMPARE(encoded(h, 1), (Bytes{0, 0, 0, 9, 1, 2, 3, 4, 0, 1, 'c'}));
        QCOMPARE(encoded(h, 2), (Bytes{0, 0, 0, 9, 1, 2, 3, 4, 0, 1, 'c', 0}));
        for (int16_t hv = 0; hv <= 2; ++hv) {
            Bytes b = encoded(h, hv);
            Reader r(b);
            RequestHeader back;
            QVERIFY(decode(back, hv, r).ok());
            QVERIFY(r.atEnd());
            QCOMPARE(back.correlationId, h.correlationId);
            QCOMPARE(back.clientId, hv >= 1 ? h.clientId : std::nullopt);
        }
    }

    void brokerPicksHeaderVersionFromKeyAndVersion() {
        // Produce v9 is flexible: header v2 with a tags section (here one unknown tag).
        Bytes flexible = cat(Bytes{0, 0, 0, 9, 0, 0, 0, 1, 0xff, 0xff}, Bytes{1, 4, 1, 0xee});
        Reader r(flexible);
        RequestHeader h;
        QVERIFY(decodeRequestHeader(h, r).ok());
        QVERIFY(r.atEnd());
        QVERIFY(h.apiKey == ApiKey::Produce);
        QCOMPARE(h.apiVersion, int16_t(9));
        QVERIFY(!h.clientId);

        // An API we do not speak (key 50) still parses (header v1), so the broker can reply.
        Bytes unknown = cat(Bytes{0, 50, 0, 0, 0, 0, 0, 3, 0, 1}, "x");
        Reader r2(unknown);
        QVERIFY(decodeRequestHeader(h, r2).ok());
        QCOMPARE(static_cast<int16_t>(h.apiKey), int16_t(50));
        QCOMPARE(h.clientId, std::optional<std::string>("x"));

        // A newer ApiVersions (v4) than we support is still flexible: header v2.
        QCOMPARE(requestHeaderVersion(ApiKey::ApiVersions, 4), int16_t(2));
    }

    void truncatedHeadersAreErrors() {
        Bytes full = encoded({ApiKey::Fetch, 12, 5, std::string("client")}, 2);
        for (size_t n = 0; n < full.size(); ++n) {
            Reader r(std::span<const uint8_t>(full).first(n));
            RequestHeader h;
            bs::Status s = decodeRequestHeader(h, r);
            QVERIFY2(!s.ok(), qPrintable(QString("prefix %1").arg(n)));
            QVERIFY(QString::fromStdString(s.message()).startsWith("request header"));
        }
    }

    void randomFramesNeverCrash() {
        std::mt19937 rng(99);
        int parsed = 0;
        for (int i = 0; i < 5000; ++i) {
            Bytes b(rng() % 40);
            for (auto& x : b)
                x = static_cast<uint8_t>(rng() % 3 == 0 ? 0 : rng());
            auto f = parseRequestFrame(b);
            if (!f.ok()) continue;
            ++parsed;
            QVERIFY(f->body.data() >= b.data() && f->body.size() <= b.size());
        }
        QVERIFY(parsed > 0);
    }

    void responseHeaderVersions() {
        Bytes out;
        Writer w(out);
        encode(ResponseHeader{7}, 0, w);
        encode(ResponseHeader{8}, 1, w);
        QCOMPARE(out, (Bytes{0, 0, 0, 7, 0, 0, 0, 8, 0}));
        Reader r(out);
        ResponseHeader a, b;
        QVERIFY(decode(a, 0, r).ok());
        QVERIFY(decode(b, 1, r).ok());
        QCOMPARE(a.correlationId, 7);
        QCOMPARE(b.correlationId, 8);
        QVERIFY(r.atEnd());
    }

    void frameSizePrefix() {
        const uint8_t ok[4] = {0, 0, 1, 0};
        auto size = readFrameSize(std::span<const uint8_t, 4>(ok));
        QVERIFY(size.ok());
        QCOMPARE(*size, 256);
        const uint8_t negative[4] = {0xff, 0xff, 0xff, 0xf0};
        auto neg = readFrameSize(std::span<const uint8_t, 4>(negative));
        QVERIFY(!neg.ok());
        QVERIFY(QString::fromStdString(neg.error().message).contains("-16"));
        auto big = readFrameSize(std::span<const uint8_t, 4>(ok), 255);
        QVERIFY(!big.ok());
        QVERIFY(QString::fromStdString(big.error().message).contains("exceeds"));
        const uint8_t huge[4] = {0x7f, 0xff, 0xff, 0xff};
        QVERIFY(!readFrameSize(std::span<const uint8_t, 4>(huge)).ok());
    }

    void framesRoundTripAndRejectTrailingBytes() {
        InitProducerIdRequest m;
        m.transactionTimeoutMs = 100;
        RequestHeader h{ApiKey::InitProducerId, 4, 77, std::string("p")};
        Bytes frame;
        appendRequestFrame(frame, h, m);
        appendRequestFrame(frame, h, m);  // appends: two frames back to back
        const uint8_t* p = frame.data();
        auto size = readFrameSize(std::span<const uint8_t, 4>(p, 4));
        QVERIFY(size.ok());
        QCOMPARE(static_cast<size_t>(*size) * 2 + 8, frame.size());
        auto parsed = parseRequestFrame(std::span(frame).subspan(4, static_cast<size_t>(*size)));
        QVERIFY(parsed.ok());
        QVERIFY(parsed->header == h);
        InitProducerIdRequest back;
        QVERIFY(decodeBody(back, 4, parsed->body).ok());
        QVERIFY(back == m);

        Bytes extra(parsed->body.begin(), parsed->body.end());
        extra.push_back(0);
        bs::Status s = decodeBody(back, 4, extra);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.message()).contains("trailing"));
    }
};

QTEST_GUILESS_MAIN(HeadersTest)
#include "test_headers.moc"
