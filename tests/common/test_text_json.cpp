// The byte-text helpers (common/text.h) and the JSON validator (common/json.h) that the
// serializers, deserializers, CLI and GUI share.

#include <QtTest>

#include <string>
#include <vector>

#include "common/json.h"
#include "common/text.h"

using Bytes = std::vector<uint8_t>;

class TextJsonTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void hexRoundTripsAndNamesTheBadOffset() {
        QCOMPARE(bs::toHex(Bytes{0x00, 0xab, 0x10}), std::string("00ab10"));
        QCOMPARE(*bs::parseHex(" 0x00ff 10"), (Bytes{0x00, 0xff, 0x10}));
        QCOMPARE(*bs::parseHex("AbCd"), (Bytes{0xab, 0xcd}));
        QCOMPARE(*bs::parseHex(""), Bytes{});
        auto odd = bs::parseHex("abc");
        QVERIFY(!odd);
        QVERIFY2(odd.error().message.find("offset 2") != std::string::npos,
                 odd.error().message.c_str());
        auto bad = bs::parseHex("0a zz");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("'z' at offset 3") != std::string::npos,
                 bad.error().message.c_str());
    }

    void utf8ValidityNamesTheFirstBadByte() {
        QCOMPARE(bs::invalidUtf8At("plain ascii, longer than eight bytes"), std::string::npos);
        QCOMPARE(bs::invalidUtf8At("caf\xc3\xa9 \xf0\x9f\x98\x80"), std::string::npos);
        QCOMPARE(bs::invalidUtf8At("ab\xc3"), size_t{2});            // cut short
        QCOMPARE(bs::invalidUtf8At("abcdefgh\xc0\xaf"), size_t{8});  // overlong '/'
        QCOMPARE(bs::invalidUtf8At("x\xed\xa0\x80"), size_t{1});     // a surrogate
        QCOMPARE(bs::invalidUtf8At("\xf4\x90\x80\x80"), size_t{0});  // beyond U+10FFFF
        QCOMPARE(bs::invalidUtf8At("ok\xff"), size_t{2});
        // Long ASCII runs are tested many bytes at a time: a bad byte anywhere in them is named.
        // Exactly as long as the run (no terminator after it, as a fuzzer's input): nothing is
        // read past the end (ASan).
        for (size_t n : {size_t{31}, size_t{32}, size_t{33}, size_t{40}, size_t{64}}) {
            const std::vector<char> exact(n, 'a');
            QCOMPARE(bs::invalidUtf8At(std::string_view(exact.data(), exact.size())),
                     std::string::npos);
        }
        const std::string ascii(100, 'a');
        QCOMPARE(bs::invalidUtf8At(ascii), std::string::npos);
        for (size_t at = 0; at < ascii.size(); ++at) {
            std::string bad = ascii;
            bad[at] = '\xff';
            QCOMPARE(bs::invalidUtf8At(bad), at);
            std::string good = ascii;
            good.replace(at, 1, "\xc3\xa9");
            QCOMPARE(bs::invalidUtf8At(good), std::string::npos);
        }
    }

    void jsonAcceptsRfc8259Texts() {
        for (const char* good :
             {R"({"a":[1,-2.5e3,true,false,null,"x\u00e9\n"],"b":{}} )", "\"scalar\"", "0",
              "-0.5E+2", " [ ] ", "{\"\xc3\xa9\":\"\\ud83d\\ude00\"}"}) {
            const bs::Status st = bs::validateJson(good);
            QVERIFY2(st.ok(), (std::string(good) + ": " + st.message()).c_str());
        }
    }

    void jsonRejectsWhatIsNotJson() {
        for (const char* bad :
             {"{\"a\":}", "[1,2,]", "01", "\"tab\there\"", "{\"a\" 1}", "tru", "[1] 2", "\"\\x\"",
              "", "-", "1.", "1e", "{'a':1}", "[\"\\u12\"]", "NaN", "[1,", "\"open"}) {
            QVERIFY2(!bs::validateJson(bad).ok(), bad);
        }
    }

    void jsonErrorsNameTheByte() {
        const bs::Status e = bs::validateJson("[1, 2, }");
        QVERIFY2(e.message().find("byte 7") != std::string::npos, e.message().c_str());
        const bs::Status utf8 = bs::validateJson("[\"ok\", \"\xff\"]");
        QVERIFY2(utf8.message().find("invalid UTF-8 at byte 8") != std::string::npos,
                 utf8.message().c_str());
    }

    void jsonNestingIsBounded() {
        std::string fine(512, '[');
        fine += std::string(512, ']');
        QVERIFY(bs::validateJson(fine).ok());
        std::string deep(600, '[');
        deep += std::string(600, ']');
        const bs::Status st = bs::validateJson(deep);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("nesting") != std::string::npos, st.message().c_str());
    }

    // Found by fuzzing (tests/fuzz/corpus/json/regress-nul-byte): nlohmann stops at a NUL byte
    // as at the end of input, so "0\0garbage" passed.
    void jsonRefusesNulBytes() {
        const bs::Status st = bs::validateJson(std::string_view("0\0@{{", 5));
        QVERIFY(!st.ok());
        QCOMPARE(st.message(), std::string("invalid JSON at byte 1: NUL byte"));
        QVERIFY(!bs::validateJson(std::string_view("\"a\0\"", 4)).ok());
    }
};

QTEST_GUILESS_MAIN(TextJsonTest)
#include "test_text_json.moc"
