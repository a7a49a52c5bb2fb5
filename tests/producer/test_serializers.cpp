#include <QtTest>

#include "producer/serializers.h"

using namespace bs::producer;
using Bytes = std::vector<uint8_t>;

namespace {

// Serializes with the named serializer; the bytes, or the error message prefixed by "ERROR: ".
struct Out {
    bool ok = false;
    bool isNull = false;
    Bytes bytes;
    std::string error;
};

Out run(std::string_view serializer, const FieldValue& v) {
    auto s = createSerializer(serializer);
    if (!s) return {false, false, {}, s.error().message};
    Out out;
    auto st = (*s)->serialize("topic", v, out.bytes, out.isNull);
    out.ok = st.ok();
    out.error = st.message();
    return out;
}

Bytes bytesOf(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

}  // namespace

class SerializersTest : public QObject {
    Q_OBJECT
  private slots:
    void namesAndJavaClasses() {
        QCOMPARE(*canonicalSerializerName("org.apache.kafka.common.serialization.StringSerializer"),
                 std::string("string"));
        QCOMPARE(*canonicalSerializerName("IntegerSerializer"), std::string("int"));
        QCOMPARE(*canonicalSerializerName("org.apache.kafka.common.serialization.BytesSerializer"),
                 std::string("bytes"));
        QCOMPARE(*canonicalSerializerName("UUIDSerializer"), std::string("uuid"));
        QCOMPARE(*canonicalSerializerName("org.apache.kafka.common.serialization.VoidSerializer"),
                 std::string("null"));
        QCOMPARE(*canonicalSerializerName(" json "), std::string("json"));
        auto bad = canonicalSerializerName("avro");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("'avro'") != std::string::npos);
        for (const auto& info : knownSerializers()) {
            auto s = createSerializer(info.javaClassName);
            QVERIFY(s.ok());
            QCOMPARE((*s)->name(), info.name);
        }
    }

    void stringIsUtf8() {
        auto o = run("string", std::string("h\xc3\xa9llo"));
        QVERIFY(o.ok);
        QCOMPARE(o.bytes, bytesOf("h\xc3\xa9llo"));
        auto bad = run("string", std::string("ab\xc3"));  // truncated sequence
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.find("UTF-8 at byte 2") != std::string::npos, bad.error.c_str());
        QVERIFY(!run("string", std::string("\xed\xa0\x80")).ok);  // a surrogate
        QVERIFY(!run("string", std::string("\xc0\xaf")).ok);      // overlong '/'
        QVERIFY(!run("string", int32_t{5}).ok);
        // Past the eight-byte ASCII runs the checker skips, the offset is still exact.
        auto late = run("string", std::string("0123456789abcdef01234\xff"));
        QVERIFY2(late.error.find("UTF-8 at byte 21") != std::string::npos, late.error.c_str());
        QVERIFY(run("string", std::string("0123456789abcdef\xe2\x82\xac and more ASCII")).ok);
    }

    // send() uses the record's own bytes when serializing would not change them.
    void serializedViewIsTheInputWhenUnchanged() {
        auto made = createSerializer("string");
        QVERIFY(made.ok());
        const auto& str = *made;
        const std::string text = "0123456789 h\xc3\xa9llo";
        const FieldValue v = text;
        auto view = str->serializedView(v);
        QVERIFY(view.has_value());
        QCOMPARE(static_cast<const void*>(view->data()),
                 static_cast<const void*>(std::get<std::string>(v).data()));
        QCOMPARE(Bytes(view->begin(), view->end()), run("string", v).bytes);
        QVERIFY(!str->serializedView(std::string("bad \xc3")).has_value());  // serialize() says why
        QVERIFY(!str->serializedView(nullptr).has_value());                  // Kafka null
        auto madeBytes = createSerializer("bytes");
        QVERIFY(madeBytes.ok());
        const auto& bytes = *madeBytes;
        const FieldValue raw = Bytes{1, 2, 3};
        QVERIFY(bytes->serializedView(raw).has_value());
        QVERIFY(!bytes->serializedView(std::string("0a0b")).has_value());  // hex text is parsed
        QVERIFY(!(*createSerializer("int"))->serializedView(int32_t{1}).has_value());
    }

    // Java's ShortSerializer ... DoubleSerializer write big-endian two's complement / IEEE 754.
    void numbersAreBigEndianAsJava() {
        QCOMPARE(run("short", int16_t{0x1234}).bytes, (Bytes{0x12, 0x34}));
        QCOMPARE(run("short", std::string("-2")).bytes, (Bytes{0xff, 0xfe}));
        QCOMPARE(run("int", int32_t{258}).bytes, (Bytes{0, 0, 1, 2}));
        QCOMPARE(run("int", int32_t{-1}).bytes, (Bytes{0xff, 0xff, 0xff, 0xff}));
        QCOMPARE(run("int", std::string("2147483647")).bytes, (Bytes{0x7f, 0xff, 0xff, 0xff}));
        QCOMPARE(run("long", int64_t{1}).bytes, (Bytes{0, 0, 0, 0, 0, 0, 0, 1}));
        QCOMPARE(run("long", std::string("-9223372036854775808")).bytes,
                 (Bytes{0x80, 0, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(run("float", 1.0f).bytes, (Bytes{0x3f, 0x80, 0, 0}));
        QCOMPARE(run("float", std::string("2.5")).bytes, (Bytes{0x40, 0x20, 0, 0}));
        QCOMPARE(run("double", 1.0).bytes, (Bytes{0x3f, 0xf0, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(run("double", -0.0).bytes, (Bytes{0x80, 0, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(run("double", std::string("0.1")).bytes,
                 (Bytes{0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a}));
        QCOMPARE(run("double", int32_t{2}).bytes, (Bytes{0x40, 0, 0, 0, 0, 0, 0, 0}));
    }

    void badNumbersFailWithReason() {
        auto o = run("int", std::string("4x2"));
        QVERIFY(!o.ok);
        QVERIFY2(o.error.find("serializer int") != std::string::npos &&
                     o.error.find("'4x2' is not an integer") != std::string::npos,
                 o.error.c_str());
        QVERIFY(run("short", int32_t{40000}).error.find("out of range") != std::string::npos);
        QVERIFY(run("int", std::string("99999999999")).error.find("out of range") !=
                std::string::npos);
        QVERIFY(!run("long", std::string("")).ok);
        QVERIFY(!run("double", std::string("1.5.2")).ok);
        QVERIFY(!run("float", Bytes{1}).ok);
    }

    void bytesAndHex() {
        QCOMPARE(run("bytes", Bytes{1, 2, 3}).bytes, (Bytes{1, 2, 3}));
        QCOMPARE(run("bytes", std::string("0x00ff 10")).bytes, (Bytes{0x00, 0xff, 0x10}));
        QCOMPARE(run("bytes", std::string("")).bytes, Bytes{});
        auto odd = run("bytes", std::string("abc"));
        QVERIFY(!odd.ok);
        QVERIFY(odd.error.find("odd number") != std::string::npos);
        auto bad = run("bytes", std::string("zz"));
        QVERIFY(bad.error.find("offset 0") != std::string::npos);
    }

    // Kafka's UUIDSerializer writes uuid.toString() as UTF-8, not 16 raw bytes.
    void uuidWritesItsText() {
        auto o = run("uuid", std::string("123E4567-E89B-12D3-A456-426614174000"));
        QVERIFY(o.ok);
        QCOMPARE(o.bytes, bytesOf("123e4567-e89b-12d3-a456-426614174000"));
        QCOMPARE(o.bytes.size(), size_t{36});
        QVERIFY(!run("uuid", std::string("123e4567e89b12d3a456426614174000")).ok);
        QVERIFY(!run("uuid", std::string("123e4567-e89b-12d3-a456-42661417400g")).ok);
    }

    void jsonIsValidated() {
        const std::string good = R"({"a":[1,-2.5e3,true,false,null,"x\u00e9\n"],"b":{}} )";
        auto o = run("json", good);
        QVERIFY2(o.ok, o.error.c_str());
        QCOMPARE(o.bytes, bytesOf(good));
        QCOMPARE(run("json", int32_t{42}).bytes, bytesOf("42"));
        QCOMPARE(run("json", 0.5).bytes, bytesOf("0.5"));
        QVERIFY(!run("json", std::nan("")).ok);
        // The validator itself: tests/common/test_text_json.cpp.
        QVERIFY(!run("json", std::string("[1, 2, }")).ok);
    }

    void nullPassesThroughEverySerializer() {
        for (const auto& info : knownSerializers()) {
            auto o = run(info.name, nullptr);
            QVERIFY(o.ok);
            QVERIFY(o.isNull);
            QVERIFY(o.bytes.empty());
        }
        auto v = run("null", std::string("x"));
        QVERIFY(!v.ok);
        QVERIFY(v.error.find("only null") != std::string::npos);
    }

    void outputBufferIsReused() {
        auto s = createSerializer("long");
        Bytes out;
        out.reserve(64);
        const auto* data = out.data();
        bool isNull = false;
        QVERIFY((*s)->serialize("t", int64_t{7}, out, isNull).ok());
        QVERIFY((*s)->serialize("t", int64_t{8}, out, isNull).ok());
        QCOMPARE(out.size(), size_t{8});
        QCOMPARE(out.back(), uint8_t{8});
        QCOMPARE(out.data(), data);
    }
};

QTEST_GUILESS_MAIN(SerializersTest)
#include "test_serializers.moc"
