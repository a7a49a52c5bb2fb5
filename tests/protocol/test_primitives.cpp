#include <QtTest>

#include <climits>
#include <cstdint>
#include <vector>

#include "protocol/reader.h"
#include "protocol/writer.h"

using namespace bs::protocol;

namespace {

using Bytes = std::vector<uint8_t>;

template <class F>
Bytes written(F f) {
    Bytes out;
    Writer w(out);
    f(w);
    return out;
}

}  // namespace

class PrimitivesTest : public QObject {
    Q_OBJECT
  private slots:
    void fixedWidthIsBigEndian() {
        Bytes b = written([](Writer& w) {
            w.int8(-2);
            w.int16(0x0102);
            w.int32(0x01020304);
            w.int64(0x0102030405060708);
            w.uint32(0xfffffffe);
            w.boolean(true);
        });
        QCOMPARE(
            b, (Bytes{0xfe, 1, 2, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 0xff, 0xfe, 1}));
        Reader r(b);
        QCOMPARE(r.int8("a"), int8_t(-2));
        QCOMPARE(r.int16("b"), int16_t(0x0102));
        QCOMPARE(r.int32("c"), int32_t(0x01020304));
        QCOMPARE(r.int64("d"), int64_t(0x0102030405060708));
        QCOMPARE(r.uint32("e"), 0xfffffffeu);
        QCOMPARE(r.boolean("f"), true);
        QVERIFY(r.ok());
        QVERIFY(r.atEnd());
    }

    void extremesRoundTrip() {
        Bytes b = written([](Writer& w) {
            w.int16(INT16_MIN);
            w.int32(INT32_MIN);
            w.int64(INT64_MIN);
            w.int64(INT64_MAX);
            w.float64(-1.5);
        });
        QCOMPARE(b.size(), size_t(2 + 4 + 8 + 8 + 8));
        QCOMPARE(b[0], uint8_t(0x80));
        Reader r(b);
        QCOMPARE(r.int16("a"), int16_t(INT16_MIN));
        QCOMPARE(r.int32("b"), INT32_MIN);
        QCOMPARE(r.int64("c"), INT64_MIN);
        QCOMPARE(r.int64("d"), INT64_MAX);
        QCOMPARE(r.float64("e"), -1.5);
        QVERIFY(r.ok());
    }

    void unsignedVarintBoundaries() {
        QCOMPARE(written([](Writer& w) { w.uvarint(0); }), (Bytes{0x00}));
        QCOMPARE(written([](Writer& w) { w.uvarint(127); }), (Bytes{0x7f}));
        QCOMPARE(written([](Writer& w) { w.uvarint(128); }), (Bytes{0x80, 0x01}));
        QCOMPARE(written([](Writer& w) { w.uvarint(300); }), (Bytes{0xac, 0x02}));
        QCOMPARE(written([](Writer& w) { w.uvarint(16383); }), (Bytes{0xff, 0x7f}));
        QCOMPARE(written([](Writer& w) { w.uvarint(16384); }), (Bytes{0x80, 0x80, 0x01}));
        QCOMPARE(written([](Writer& w) { w.uvarint(UINT32_MAX); }),
                 (Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}));
        for (uint32_t v : {0u, 1u, 127u, 128u, 255u, 16383u, 16384u, 2097151u, 2097152u, 268435455u,
                           268435456u, UINT32_MAX}) {
            Bytes b = written([&](Writer& w) { w.uvarint(v); });
            Reader r(b);
            QCOMPARE(r.uvarint("v"), v);
            QVERIFY(r.ok() && r.atEnd());
        }
    }

    void zigZagVarintEdges() {
        // Zig-zag: 0->0, -1->1, 1->2, -64->127, 64->128 (the one/two byte boundary).
        QCOMPARE(written([](Writer& w) { w.varint(0); }), (Bytes{0x00}));
        QCOMPARE(written([](Writer& w) { w.varint(-1); }), (Bytes{0x01}));
        QCOMPARE(written([](Writer& w) { w.varint(1); }), (Bytes{0x02}));
        QCOMPARE(written([](Writer& w) { w.varint(-64); }), (Bytes{0x7f}));
        QCOMPARE(written([](Writer& w) { w.varint(64); }), (Bytes{0x80, 0x01}));
        QCOMPARE(written([](Writer& w) { w.varint(INT32_MAX); }),
                 (Bytes{0xfe, 0xff, 0xff, 0xff, 0x0f}));
        QCOMPARE(written([](Writer& w) { w.varint(INT32_MIN); }),
                 (Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}));
        for (int32_t v :
             {0, -1, 1, 63, -64, 64, -65, 127, 128, INT32_MAX, INT32_MIN, INT32_MIN + 1}) {
            Bytes b = written([&](Writer& w) { w.varint(v); });
            Reader r(b);
            QCOMPARE(r.varint("v"), v);
            QVERIFY(r.ok() && r.atEnd());
        }
    }

    void zigZagVarlongEdges() {
        QCOMPARE(written([](Writer& w) { w.varlong(-1); }), (Bytes{0x01}));
        Bytes maxBytes = written([](Writer& w) { w.varlong(INT64_MAX); });
        QCOMPARE(maxBytes.size(), size_t(10));
        QCOMPARE(maxBytes.back(), uint8_t(0x01));
        QCOMPARE(maxBytes.front(), uint8_t(0xfe));
        QCOMPARE(written([](Writer& w) { w.varlong(INT64_MIN); }).front(), uint8_t(0xff));
        for (int64_t v :
             {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-64}, int64_t{64}, int64_t{INT32_MAX},
              int64_t{INT32_MIN}, int64_t{1} << 40, INT64_MAX, INT64_MIN, INT64_MIN + 1}) {
            Bytes b = written([&](Writer& w) { w.varlong(v); });
            Reader r(b);
            QCOMPARE(r.varlong("v"), v);
            QVERIFY(r.ok() && r.atEnd());
        }
    }

    void overlongVarintsAreErrors() {
        Bytes sixBytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
        Reader r(sixBytes);
        (void)r.uvarint("count");
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("count") != std::string::npos);

        Bytes above32{0xff, 0xff, 0xff, 0xff, 0x1f};
        Reader r2(above32);
        (void)r2.uvarint("n");
        QVERIFY(!r2.ok());

        Bytes elevenBytes(10, 0x80);
        elevenBytes.push_back(0x01);
        Reader r3(elevenBytes);
        (void)r3.varlong("delta");
        QVERIFY(!r3.ok());

        Bytes unterminated{0x80, 0x80};
        Reader r4(unterminated);
        (void)r4.varint("len");
        QVERIFY(!r4.ok());
    }

    void classicStringsAndBytes() {
        std::vector<uint8_t> payload{9, 8, 7};
        Bytes b = written([&](Writer& w) {
            w.string("hi");
            w.nullableString(std::nullopt);
            w.nullableString(std::string());
            w.bytes(payload);
            w.nullableBytes({}, true);
        });
        QCOMPARE(b, (Bytes{0, 2, 'h', 'i', 0xff, 0xff, 0, 0, 0, 0, 0, 3, 9, 8, 7, 0xff, 0xff, 0xff,
                           0xff}));
        Reader r(b);
        QCOMPARE(r.string("a"), std::string("hi"));
        QVERIFY(!r.nullableString("b").has_value());
        QCOMPARE(r.nullableString("c"), std::optional<std::string>(""));
        auto bytes = r.bytes("d");
        QCOMPARE(Bytes(bytes.begin(), bytes.end()), payload);
        QVERIFY(bytes.data() == b.data() + 12);  // a view, not a copy
        QVERIFY(r.nullableBytes("e").isNull);
        QVERIFY(r.ok() && r.atEnd());
    }

    void compactStringsAndBytes() {
        std::vector<uint8_t> payload{1, 2};
        Bytes b = written([&](Writer& w) {
            w.compactString("abc");
            w.compactNullableString(std::nullopt);
            w.compactNullableString(std::string());
            w.compactBytes(payload);
            w.compactNullableBytes({}, true);
            w.compactArrayLength(-1);
            w.compactArrayLength(2);
            w.emptyTaggedFields();
        });
        QCOMPARE(b, (Bytes{4, 'a', 'b', 'c', 0, 1, 3, 1, 2, 0, 0, 3, 0}));
        Reader r(b);
        QCOMPARE(r.compactString("a"), std::string("abc"));
        QVERIFY(!r.compactNullableString("b"));
        QCOMPARE(r.compactNullableString("c"), std::optional<std::string>(""));
        auto bytes = r.compactBytes("d");
        QCOMPARE(Bytes(bytes.begin(), bytes.end()), payload);
        QVERIFY(r.compactNullableBytes("e").isNull);
        QCOMPARE(r.compactArrayLength("f", true), -1);
        // Count 2, but only the tag byte remains: two elements cannot fit.
        QCOMPARE(r.compactArrayLength("g", false), 0);
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("g at offset 11") != std::string::npos);
    }

    void arrayCountsAreBoundedByRemainingBytes() {
        Bytes b{0x7f, 0xff, 0xff, 0xff};
        Reader r(b);
        QCOMPARE(r.arrayLength("topics", false), 0);
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("topics") != std::string::npos);
        QVERIFY(r.error().find("2147483647") != std::string::npos);

        Bytes nullArray{0xff, 0xff, 0xff, 0xff};
        Reader r2(nullArray);
        QCOMPARE(r2.arrayLength("topics", true), -1);
        QVERIFY(r2.ok());
        Reader r3(nullArray);
        (void)r3.arrayLength("partitions", false);  // null where null is not allowed
        QVERIFY(!r3.ok());

        Bytes negative{0xff, 0xff, 0xff, 0xfe};
        Reader r4(negative);
        (void)r4.arrayLength("topics", true);
        QVERIFY(!r4.ok());
        QVERIFY(r4.error().find("-2") != std::string::npos);
    }

    void lengthsBeyondTheBufferAreErrorsWithOffsets() {
        Bytes b{0, 0, 0, 5, 1, 2};  // int32 length 5, only 2 bytes follow
        Reader r(b);
        (void)r.bytes("records");
        QVERIFY(!r.ok());
        QVERIFY(r.error().find("records") != std::string::npos);
        QCOMPARE(r.error(),
                 std::string("records at offset 0: length 5 exceeds the 2 remaining bytes"));

        Bytes s{0xff, 0xfe};  // string length -2
        Reader r2(s);
        (void)r2.nullableString("clientId");
        QVERIFY(!r2.ok());
    }

    void errorsAreSticky() {
        Bytes b{0, 1};
        Reader r(b);
        (void)r.int32("first");
        QVERIFY(!r.ok());
        std::string first = r.error();
        QCOMPARE(r.int16("second"), int16_t(0));  // would fit, but the reader has failed
        QCOMPARE(r.error(), first);
        QVERIFY(first.find("first at offset 0") != std::string::npos);
        QVERIFY(!r.status().ok());
        QCOMPARE(r.status().message(), first);
    }

    void uuidAndTaggedFieldSkipping() {
        Uuid u;
        for (int i = 0; i < 16; ++i)
            u.bytes[i] = static_cast<uint8_t>(i + 1);
        QVERIFY(!u.isZero());
        QVERIFY(Uuid{}.isZero());
        Bytes b = written([&](Writer& w) {
            w.uuid(u);
            w.uvarint(2);  // two tagged fields: tag 5 (3 bytes) and tag 300 (0 bytes)
            w.uvarint(5);
            w.uvarint(3);
            w.raw(std::vector<uint8_t>{1, 2, 3});
            w.uvarint(300);
            w.uvarint(0);
            w.int8(42);
        });
        Reader r(b);
        QVERIFY(r.uuid("topicId") == u);
        r.skipTaggedFields("tags");
        QCOMPARE(r.int8("after"), int8_t(42));
        QVERIFY(r.ok() && r.atEnd());

        Bytes bad{1, 0, 9, 1};  // one tag claiming 9 bytes, 1 present
        Reader r2(bad);
        r2.skipTaggedFields("tags");
        QVERIFY(!r2.ok());
    }

    void overlongStringsAreCutToKafkasLimit() {
        std::string huge(40000, 'x');
        Bytes b = written([&](Writer& w) {
            w.string(huge);
            w.compactString(huge);
        });
        Reader r(b);
        QCOMPARE(r.string("a").size(), Writer::kMaxStringLength);
        QCOMPARE(r.compactString("b").size(), Writer::kMaxStringLength);
        QVERIFY(r.ok() && r.atEnd());
    }

    void patchedSizePrefix() {
        Bytes out;
        Writer w(out);
        size_t pos = w.reserveInt32();
        w.int16(7);
        w.patchInt32(pos, static_cast<int32_t>(w.position() - pos - 4));
        QCOMPARE(out, (Bytes{0, 0, 0, 2, 0, 7}));
    }
};

QTEST_GUILESS_MAIN(PrimitivesTest)
#include "test_primitives.moc"
