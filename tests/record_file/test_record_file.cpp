// The record file codec (docs/RECORD_FILES.md): each format reads what its writer wrote back
// unchanged, accepts the documented spellings, and names the line and the column or field of
// every bad input; the reader streams (a bad line does not stop it).
#include <QtTest>

#include <sstream>
#include <string>
#include <vector>

#include "record_file/base64.h"
#include "record_file/reader.h"
#include "record_file/writer.h"

using namespace bs::recordfile;

namespace {

std::vector<ReadEntry> readAll(const std::string& text, Format f, std::string sep = {}) {
    std::istringstream in(text);
    RecordFileReader reader(in, ReadOptions{f, std::move(sep)});
    std::vector<ReadEntry> out;
    ReadEntry e;
    while (reader.next(e))
        out.push_back(e);
    return out;
}

// JSON written with ' for " (moc cannot read raw string literals holding quotes).
std::string J(std::string s) {
    for (char& c : s)
        if (c == 0x27) c = 0x22;  // ' -> "
    return s;
}

Bytes b(std::string_view s) {
    return bytesOf(s);
}

// Records that exercise every corner: null and empty keys/values, binary bytes, JSON text,
// repeated and null headers, binary header values, partitions and timestamps.
std::vector<FileRecord> corners() {
    std::vector<FileRecord> v;
    FileRecord r;
    r.key = b("k1");
    r.value = b("hello, \"world\"\nsecond line");
    r.headers = {{"h1", b("v1")}, {"h2", b("")}};
    r.partition = 3;
    r.timestamp = 1700000000123;
    v.push_back(r);
    r = {};
    r.value = b("");  // empty, not null
    v.push_back(r);
    r = {};
    r.key = b("");
    r.value = std::nullopt;  // tombstone
    r.headers = {{"dup", b("a")}, {"dup", std::nullopt}, {"x", b("c")}};
    v.push_back(r);
    r = {};
    r.key = Bytes{0x00, 0xff, 0x10};
    r.value = Bytes{0xc3, 0x28};  // invalid UTF-8
    r.headers = {{"bin", Bytes{0x80}}, {"text", b("t")}};
    r.partition = 0;
    v.push_back(r);
    r = {};
    r.key = b("{\"not\": \"parsed\"}");
    r.value = b(" leading and trailing spaces ");
    r.topic = "orders";
    r.offset = 42;
    r.timestamp = 0;
    v.push_back(r);
    r = {};
    r.key = b(std::string("nul\0inside", 10));
    r.value = b("ünïcødé ✓");
    v.push_back(r);
    return v;
}

std::string write(Format f, const std::vector<FileRecord>& rs) {
    std::string out = fileStart(f);
    for (const auto& r : rs)
        out += encodeRecord(f, r);
    return out;
}

void expectError(const std::vector<ReadEntry>& es, size_t i, int64_t line,
                 const std::string& contains) {
    QVERIFY2(i < es.size(), "too few entries");
    QVERIFY2(!es[i].ok(), ("entry " + std::to_string(i) + " is not an error").c_str());
    QCOMPARE(es[i].line, line);
    QVERIFY2(es[i].error.find(contains) != std::string::npos,
             (es[i].error + "  does not contain  " + contains).c_str());
}

}  // namespace

class RecordFileTest : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void base64Strict() {
        QCOMPARE(base64Encode(b("any carnal pleas")), std::string("YW55IGNhcm5hbCBwbGVhcw=="));
        QCOMPARE(*base64Decode("YW55IGNhcm5hbCBwbGVhcw=="), b("any carnal pleas"));
        QCOMPARE(*base64Decode(""), Bytes{});
        QCOMPARE(*base64Decode("AP8Q"), (Bytes{0x00, 0xff, 0x10}));
        auto bad = base64Decode("YW5!IGNh");
        QVERIFY(!bad);
        QCOMPARE(bad.error().message, std::string("not base64: character 4 is '!'"));
        QVERIFY(!base64Decode("YW55I"));      // not a multiple of 4
        QVERIFY(!base64Decode("YW=5"));       // padding in the middle
        QVERIFY(!base64Decode("YW55 IGNh"));  // whitespace
    }

    void formatNames() {
        QCOMPARE(*parseFormat("jsonl"), Format::JsonLines);
        QCOMPARE(*parseFormat("csv"), Format::Csv);
        QCOMPARE(*parseFormat("lines"), Format::Lines);
        auto bad = parseFormat("xml");
        QVERIFY(!bad);
        QVERIFY(bad.error().message.find("'xml'") != std::string::npos);
    }

    // Every corner case reads back unchanged, in both formats.
    void roundTrip_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("jsonl") << static_cast<int>(Format::JsonLines);
        QTest::newRow("csv") << static_cast<int>(Format::Csv);
    }
    void roundTrip() {
        QFETCH(int, format);
        const Format f = static_cast<Format>(format);
        const auto recs = corners();
        const auto es = readAll(write(f, recs), f);
        QCOMPARE(es.size(), recs.size());
        for (size_t i = 0; i < recs.size(); ++i) {
            QVERIFY2(es[i].ok(), es[i].error.c_str());
            QVERIFY2(*es[i].record == recs[i], ("record " + std::to_string(i)).c_str());
        }
        // CSV rows with an embedded newline span two lines; the next row's line says so.
        if (f == Format::Csv) {
            QCOMPARE(es[0].line, int64_t(2));
            QCOMPARE(es[1].line, int64_t(4));
        } else {
            QCOMPARE(es[1].line, int64_t(2));
        }
    }

    // The exact text written: binary bytes are base64 with an encoding field, repeated header
    // names make a list of pairs.
    void jsonLinesText() {
        const auto recs = corners();
        QCOMPARE(encodeRecord(Format::JsonLines, recs[0]),
                 std::string(J("{'partition':3,'timestamp':1700000000123,'key':'k1',"
                               "'value':'hello, \\'world\\'\\nsecond line',"
                               "'headers':{'h1':'v1','h2':''}}"
                               "\n")));
        QCOMPARE(encodeRecord(Format::JsonLines, recs[2]),
                 std::string(J("{'key':'','value':null,'headers':[['dup','a'],['dup',null],"
                               "['x','c']]}"
                               "\n")));
        QCOMPARE(encodeRecord(Format::JsonLines, recs[3]),
                 std::string(J("{'partition':0,'key':'AP8Q','keyEncoding':'base64',"
                               "'value':'wyg=','valueEncoding':'base64',"
                               "'headers':{'bin':'gA==','text':'dA=='},'headersEncoding':'base64'}"
                               "\n")));
    }

    // What people write by hand: JSON values, absent fields, explicit encodings.
    void jsonLinesSpellings() {
        const auto es =
            readAll(J("{'value': {'order': {'id': 42}, 'items': [1, 2]}, 'key': 7}"
                      "\n"
                      "\n"  // a blank line holds no record
                      "{'value': 'plain'}"
                      "\n"
                      "{'key': '\\'quoted\\'', 'keyEncoding': 'json', 'value': 'aGk=', "
                      "'valueEncoding': 'base64'}"
                      "\n"
                      "{'headers': [['a', '1'], ['a', '2']], 'value': null, 'partition': null}"
                      "\n"),
                    Format::JsonLines);
        QCOMPARE(es.size(), size_t(4));
        for (const auto& e : es)
            QVERIFY2(e.ok(), e.error.c_str());
        QCOMPARE(*es[0].record->value, b(J("{'order':{'id':42},'items':[1,2]}")));
        QCOMPARE(*es[0].record->key, b("7"));
        QCOMPARE(es[1].line, int64_t(3));
        QVERIFY(!es[1].record->key);
        QCOMPARE(*es[1].record->value, b("plain"));
        QCOMPARE(*es[2].record->key, b(J("'\\'quoted\\''")));
        QCOMPARE(*es[2].record->value, b("hi"));
        QCOMPARE(es[3].record->headers.size(), size_t(2));
        QCOMPARE(es[3].record->headers[1].name, std::string("a"));
        QCOMPARE(*es[3].record->headers[1].value, b("2"));
        QVERIFY(!es[3].record->value);
        QVERIFY(!es[3].record->partition);
    }

    // Each bad line is an error naming its line and what is wrong; the good lines around it
    // are still read.
    void jsonLinesErrors() {
        const auto es = readAll(J("{'value': 'ok'}"
                                  "\n"
                                  "{'value': 'unterminated"
                                  "\n"
                                  "{'key': '!!', 'keyEncoding': 'base64'}"
                                  "\n"
                                  "{'vaule': 'typo'}"
                                  "\n"
                                  "{'value': 'x', 'partition': -1}"
                                  "\n"
                                  "{'value': 'x', 'partition': 2147483648}"
                                  "\n"
                                  "[1, 2]"
                                  "\n"
                                  "{'value': 1, 'valueEncoding': 'base64'}"
                                  "\n"
                                  "{'value': 'x', 'valueEncoding': 'hex'}"
                                  "\n"
                                  "{'headers': {'h': 5}}"
                                  "\n"
                                  "{'headers': [['a']]}"
                                  "\n"
                                  "{'value': 'x', 'timestamp': 'yesterday'}"
                                  "\n"
                                  "{'value': 'last'}"),
                                Format::JsonLines);
        QCOMPARE(es.size(), size_t(13));
        QVERIFY(es[0].ok());
        expectError(es, 1, 2,
                    "line 2, column 24: malformed JSON: syntax error while parsing value - invalid "
                    "string: missing closing quote");
        expectError(es, 2, 3, "line 3, field 'key': not base64: character 1 is '!'");
        expectError(es, 3, 4, "line 4: unknown field 'vaule'");
        expectError(es, 4, 5,
                    "line 5, field 'partition': expected an integer from 0 to 2147483647, got -1");
        expectError(es, 5, 6, "field 'partition'");
        expectError(es, 6, 7, "line 7: expected a JSON object, got array");
        expectError(es, 7, 8,
                    "line 8, field 'value': base64 encoding needs a JSON string, got number");
        expectError(es, 8, 9, "line 9, field 'valueEncoding': unknown encoding 'hex'");
        expectError(es, 9, 10, "line 10, field 'headers': header 'h': expected a string or null");
        expectError(es, 10, 11, "line 11, field 'headers': entry 1: expected a [name, value] pair");
        expectError(es, 11, 12, "line 12, field 'timestamp'");
        QVERIFY(es[12].ok());
        QCOMPARE(es[12].line, int64_t(13));
        QCOMPARE(*es[12].record->value, b("last"));
    }

    // What nlohmann would let through or recurse on: a NUL byte, and nesting past 512 levels
    // (in a line, in a CSV json cell, in a CSV headers cell).
    void jsonLimits() {
        const std::string deep = std::string(600, '[') + std::string(600, ']');
        auto es = readAll(std::string("{\"value\":\"a\"}") + std::string(1, '\0') + "junk\n" +
                              "{\"value\":" + deep + "}\n",
                          Format::JsonLines);
        QCOMPARE(es.size(), size_t(2));
        expectError(es, 0, 1, "line 1, column 14: malformed JSON: a NUL byte");
        expectError(es, 1, 2, "line 2, column 521: JSON nested deeper than 512 levels");
        es = readAll("value,valueEncoding,headers\n" + deep + ",json,\n\"x\",,\"" + deep + "\"\n",
                     Format::Csv);
        QCOMPARE(es.size(), size_t(2));
        expectError(es, 0, 2, "line 2, column 'value': column 513: JSON nested deeper");
        expectError(es, 1, 3, "line 3, column 'headers': column 513: JSON nested deeper");
        // A number beyond a double (nlohmann throws out_of_range, not parse_error; found by
        // fuzz_record_file, corpus/record_file/regress-number-overflow).
        es = readAll("{\"value\": 1E9999}\n", Format::JsonLines);
        expectError(es, 0, 1, "line 1: malformed JSON: number overflow parsing '1E9999'");
        es = readAll("value,valueEncoding,headers\n1E9999,json,\n\"x\",,\"{\"\"h\"\":1E9999}\"\n",
                     Format::Csv);
        expectError(es, 0, 2, "line 2, column 'value': malformed JSON: a number out of range");
        expectError(es, 1, 3, "line 3, column 'headers': malformed JSON: a number out of range");
        // 512 levels are fine.
        const std::string ok = std::string(512, '[') + std::string(512, ']');
        es = readAll("{\"value\":" + ok.substr(1, ok.size() - 2) + "}\n", Format::JsonLines);
        QVERIFY2(es.size() == 1 && es[0].ok(), es[0].error.c_str());
    }

    void csvSpellings() {
        // Columns in any order and subset; unquoted empty = null, "" = empty; spaces kept;
        // CRLF line ends; a quoted field across lines.
        const auto es = readAll(
            "value,key,partition\r\n"
            "v1,k1,2\r\n"
            ",\"\",\r\n"
            " spaced , k ,\r\n"
            "\"multi\r\nline\",\"k,4\",0\r\n",
            Format::Csv);
        QCOMPARE(es.size(), size_t(4));
        for (const auto& e : es)
            QVERIFY2(e.ok(), e.error.c_str());
        QCOMPARE(*es[0].record->value, b("v1"));
        QCOMPARE(*es[0].record->key, b("k1"));
        QCOMPARE(*es[0].record->partition, 2);
        QVERIFY(!es[1].record->value);
        QCOMPARE(*es[1].record->key, b(""));
        QVERIFY(!es[1].record->partition);
        QCOMPARE(*es[2].record->value, b(" spaced "));
        QCOMPARE(*es[3].record->value, b("multi\r\nline"));
        QCOMPARE(*es[3].record->key, b("k,4"));
        QCOMPARE(es[3].line, int64_t(5));
    }

    void csvJsonAndHeaders() {
        const auto es = readAll(
            "key,value,valueEncoding,headers\n"
            "a,\"{ \"\"id\"\" : 1 }\",json,\"{\"\"h\"\":\"\"x\"\"}\"\n"
            "b,AAE=,base64,\"[[\"\"h\"\",\"\"1\"\"],[\"\"h\"\",null]]\"\n",
            Format::Csv);
        QCOMPARE(es.size(), size_t(2));
        QVERIFY2(es[0].ok(), es[0].error.c_str());
        QCOMPARE(*es[0].record->value, b(J("{'id':1}")));
        QCOMPARE(es[0].record->headers, (std::vector<FileHeader>{{"h", b("x")}}));
        QVERIFY2(es[1].ok(), es[1].error.c_str());
        QCOMPARE(*es[1].record->value, (Bytes{0x00, 0x01}));
        QCOMPARE(es[1].record->headers,
                 (std::vector<FileHeader>{{"h", b("1")}, {"h", std::nullopt}}));
    }

    void csvErrors() {
        const auto es = readAll(
            "key,value,partition,valueEncoding\n"
            "k1,v1,0,\n"
            "k2,v2\n"             // a missing column
            "k3,v3,1,2,extra\n"   // one too many
            "k4,!!!!,0,base64\n"  // not base64
            "k5,v\"5,0,\n"        // a quote inside an unquoted field
            "k6,\"v6\"x,0,\n"     // text after the closing quote
            "k7,v7,seven,\n"      // not a number
            "k8,v8,0,\n",
            Format::Csv);
        QCOMPARE(es.size(), size_t(8));
        QVERIFY(es[0].ok());
        expectError(es, 1, 3,
                    "line 3: 2 fields, the header row has 4 (missing column 'partition')");
        expectError(es, 2, 4, "line 4: 5 fields, the header row has 4");
        expectError(es, 3, 5, "line 5, column 'value': not base64: character 1 is '!'");
        expectError(es, 4, 6, "line 6, character 5: malformed CSV");
        expectError(es, 5, 7, "line 7, character 8: malformed CSV");
        expectError(es, 6, 8, "line 8, column 'partition': expected an integer");
        QVERIFY(es[7].ok());
        QCOMPARE(*es[7].record->key, b("k8"));
    }

    void csvBadHeaderIsFatal() {
        auto es = readAll("key,vaule\nk,v\n", Format::Csv);
        QCOMPARE(es.size(), size_t(1));
        expectError(es, 0, 1, "line 1, header row, field 2: unknown column 'vaule'");
        QVERIFY(es[0].fatal);
        es = readAll("partition,timestamp\n1,2\n", Format::Csv);
        QCOMPARE(es.size(), size_t(1));
        expectError(es, 0, 1, "no 'key' or 'value' column");
        es = readAll("key,key\n", Format::Csv);
        expectError(es, 0, 1, "column 'key' repeated");
        es = readAll("", Format::Csv);
        QCOMPARE(es.size(), size_t(1));
        QVERIFY(es[0].fatal);
        // A quote never closed: the error names the line the row starts on.
        es = readAll("key,value\nk,\"open\nmore\n", Format::Csv);
        QCOMPARE(es.size(), size_t(1));
        expectError(es, 0, 2, "line 2: malformed CSV: a quoted field is never closed");
    }

    void lines() {
        auto es = readAll("k1:v1\nk2:v:2\r\nnokey\n:empty key\n", Format::Lines, ":");
        QCOMPARE(es.size(), size_t(4));
        QCOMPARE(*es[0].record->key, b("k1"));
        QCOMPARE(*es[1].record->value, b("v:2"));
        expectError(es, 2, 3, "line 3: no key separator ':'");
        QCOMPARE(*es[3].record->key, b(""));
        QCOMPARE(*es[3].record->value, b("empty key"));
        // Without a separator the line is the value; an empty line is an empty value (as
        // kafka-console-producer sends it).
        es = readAll("a\tb\n\nc\n", Format::Lines);
        QCOMPARE(es.size(), size_t(3));
        QVERIFY(!es[0].record->key);
        QCOMPARE(*es[0].record->value, b("a\tb"));
        QCOMPARE(*es[1].record->value, b(""));
        // The writer is the reader's inverse for text.
        FileRecord r;
        r.key = b("k");
        r.value = b("v");
        QCOMPARE(encodeRecord(Format::Lines, r, "::"), std::string("k::v\n"));
    }

    // The reader streams: a file much larger than one line is read a line at a time, and the
    // count of lines read follows the records handed out.
    void streams() {
        std::string text;
        for (int i = 0; i < 20000; ++i)
            text += J("{'key':'k") + std::to_string(i) + J("','value':'v'}") + "\n";
        std::istringstream in(text);
        RecordFileReader reader(in, ReadOptions{Format::JsonLines, {}});
        ReadEntry e;
        QVERIFY(reader.next(e));
        QCOMPARE(reader.linesRead(), int64_t(1));
        QVERIFY(reader.next(e));
        QCOMPARE(*e.record->key, b("k1"));
        // The stream has been read only a little past the second line.
        QVERIFY(in.tellg() < static_cast<std::streamoff>(text.size() / 2));
        int n = 2;
        while (reader.next(e))
            ++n;
        QCOMPARE(n, 20000);
    }
};

QTEST_GUILESS_MAIN(RecordFileTest)
#include "test_record_file.moc"
