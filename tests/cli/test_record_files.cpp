// Record files through batchscope-cli against the embedded cluster (a `batchscope-cli broker`
// child), checked with kcat: what `produce --input FILE --format jsonl` sends is what kcat reads
// (keys, values, headers, explicit partitions, timestamps); `consume --format jsonl|csv` of a
// topic kcat wrote imports back unchanged; a file with a bad line sends nothing unless told to
// skip bad lines.
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <sstream>

#include "broker/broker_process.h"
#include "record_file/reader.h"
#include "record_file/writer.h"

using namespace bs::recordfile;
using bs::test::runTool;

namespace {

QString cli() {
    return QStringLiteral(BS_BINARY_DIR "/app/batchscope-cli");
}

Bytes b(std::string_view s) {
    return bytesOf(s);
}

std::vector<FileRecord> parse(const QByteArray& text, Format f) {
    std::istringstream in(text.toStdString());
    RecordFileReader reader(in, ReadOptions{f, {}});
    std::vector<FileRecord> out;
    ReadEntry e;
    while (reader.next(e)) {
        if (!e.ok()) qFatal("unreadable export: %s", e.error.c_str());
        out.push_back(*e.record);
    }
    return out;
}

// What kcat read: `-f '%p %T %K %S|%k%s|%h\n'`, split by the key and value lengths (binary-safe).
struct KcatRecord {
    int32_t partition = -1;
    int64_t timestamp = -1;
    std::optional<Bytes> key, value;
    std::string headers;  // kcat's "name=value,..." (NULL for a null value)
};

std::vector<KcatRecord> kcatRead(const QString& bootstrap, const QString& topic) {
    auto r = runTool(
        "kcat", {"-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-f", "%p %T %K %S|%k%s|%h\n"});
    if (r.exitCode != 0) qFatal("kcat -C failed: %s", r.err.constData());
    std::vector<KcatRecord> out;
    const std::string s = r.out.toStdString();
    size_t pos = 0;
    while (pos < s.size()) {
        const size_t bar = s.find('|', pos);
        std::istringstream head(s.substr(pos, bar - pos));
        KcatRecord k;
        long long keyLen = 0, valueLen = 0;
        head >> k.partition >> k.timestamp >> keyLen >> valueLen;
        pos = bar + 1;
        if (keyLen >= 0) k.key = b(s.substr(pos, static_cast<size_t>(keyLen)));
        pos += static_cast<size_t>(std::max(keyLen, 0LL));
        if (valueLen >= 0) k.value = b(s.substr(pos, static_cast<size_t>(valueLen)));
        pos += static_cast<size_t>(std::max(valueLen, 0LL));
        if (s[pos] != '|') qFatal("kcat output out of step at %zu", pos);
        const size_t nl = s.find('\n', pos);
        k.headers = s.substr(pos + 1, nl - pos - 1);
        pos = nl + 1;
        out.push_back(std::move(k));
    }
    return out;
}

std::string kcatHeaders(const std::vector<FileHeader>& hs) {
    std::string s;
    for (const auto& h : hs)
        s += (s.empty() ? "" : ",") + h.name + "=" +
             (h.value ? std::string(textOf(*h.value)) : std::string("NULL"));
    return s;
}

// Groups by partition, keeping each partition's order.
template <class R, class P>
std::map<int32_t, std::vector<R>> byPartition(const std::vector<R>& rs, P partitionOf) {
    std::map<int32_t, std::vector<R>> m;
    for (const auto& r : rs)
        m[partitionOf(r)].push_back(r);
    return m;
}

QByteArray withoutTopic(QByteArray text, const QByteArray& topic) {
    return text.replace("\"topic\":\"" + topic + "\",", "");
}

QList<QByteArray> sortedLines(const QByteArray& text) {
    auto lines = text.split('\n');
    std::sort(lines.begin(), lines.end());
    return lines;
}

}  // namespace

class RecordFilesCliTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    bs::test::BrokerProcess broker_;
    QString bootstrap_;

    QString file(const QString& name, const QByteArray& text) {
        const QString path = dir_.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }
    bs::test::ToolResult produce(const QString& topic, const QString& path, const QString& format,
                                 QStringList extra = {}) {
        return runTool(cli(), QStringList{"produce", "--bootstrap-server", bootstrap_, "--topic",
                                          topic, "--input", path, "--format", format} +
                                  extra);
    }
    QByteArray consume(const QString& topic, int n, const QString& format) {
        auto r = runTool(cli(), {"consume", "--bootstrap-server", bootstrap_, "--topic", topic,
                                 "--from-beginning", "--max-messages", QString::number(n),
                                 "--timeout-ms", "20000", "--format", format});
        if (r.exitCode != 0) qFatal("consume failed: %s", r.err.constData());
        return r.out;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.filePath("data"),
                              {"--topic", "sent:3", "--topic", "fromkcat:3", "--topic",
                               "reimport:3", "--topic", "csvback:3", "--topic", "bad:1"}));
        bootstrap_ = broker_.bootstrap();
    }

    void kcatReadsWhatProduceSent() {
        std::vector<FileRecord> recs;
        for (int i = 0; i < 30; ++i) {
            FileRecord r;
            r.partition = i % 3;
            r.timestamp = 1700000000000 + i;
            switch (i % 6) {
                case 0:
                    r.key = b("key-" + std::to_string(i));
                    r.value = b("plain value " + std::to_string(i));
                    r.headers = {{"trace", b("t" + std::to_string(i))}};
                    break;
                case 1:
                    r.key = Bytes{0x00, 0xff, static_cast<uint8_t>(i)};  // binary: base64
                    r.value = b("line one\nline two, \"quoted\"");
                    break;
                case 2:
                    r.value = b("ünïcødé ✓ " + std::to_string(i));  // null key
                    r.headers = {{"dup", b("1")}, {"dup", b("2")}, {"none", std::nullopt}};
                    break;
                case 3:
                    r.key = b("k" + std::to_string(i));
                    r.value = b("");  // empty, not null
                    break;
                case 4:
                    r.key = b("tombstone" + std::to_string(i));  // null value
                    break;
                default:
                    r.key = b("k" + std::to_string(i));
                    r.value = Bytes{0xc3, 0x28, 0x00, 0x80};  // not UTF-8
                    r.headers = {{"bin", Bytes{0xfe}}};
                    break;
            }
            recs.push_back(r);
        }
        QByteArray text;
        for (const auto& r : recs)
            text += QByteArray::fromStdString(encodeRecord(Format::JsonLines, r));
        // Two lines as people write them: a JSON value and explicit encodings.
        text += R"({"key":"json-key","value":{"order":{"id":42}},"partition":1,"timestamp":5})"
                "\n";
        FileRecord json;
        json.key = b("json-key");
        json.value = b(R"({"order":{"id":42}})");
        json.partition = 1;
        json.timestamp = 5;
        recs.push_back(json);

        auto r = produce("sent", file("sent.jsonl", text), "jsonl", {"--report"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out.count('\n'), qsizetype(recs.size()));
        QVERIFY2(r.err.contains("sent 31, failed 0"), r.err.constData());

        const auto got = byPartition(kcatRead(bootstrap_, "sent"),
                                     [](const KcatRecord& k) { return k.partition; });
        const auto want =
            byPartition(recs, [](const FileRecord& f) { return f.partition.value_or(-1); });
        QCOMPARE(got.size(), want.size());
        for (const auto& [p, ws] : want) {
            const auto& gs = got.at(p);
            QCOMPARE(gs.size(), ws.size());
            for (size_t i = 0; i < ws.size(); ++i) {
                const QByteArray where = QByteArray("partition ") + QByteArray::number(p) +
                                         " record " + QByteArray::number(qsizetype(i));
                QVERIFY2(gs[i].key == ws[i].key, where);
                QVERIFY2(gs[i].value == ws[i].value, where);
                QVERIFY2(gs[i].timestamp == *ws[i].timestamp, where);
                QCOMPARE(gs[i].headers, kcatHeaders(ws[i].headers));
            }
        }
    }

    void consumeOfKcatTopicImportsBackUnchanged() {
        // kcat writes: key:value lines with -Z (empty = null), headers, binary bytes.
        struct Line {
            int partition;
            QByteArray text;
        };
        const std::vector<Line> lines = {
            {0, "k1:v1"},        {0, ":null key"},         {1, "k3:"},
            {1, "k4:a,b \"c\""}, {2, "\xff\xfe:\x80\x81"}, {2, "k6:{\"json\": true}"}};
        for (int p = 0; p < 3; ++p) {
            QByteArray in;
            for (const auto& l : lines)
                if (l.partition == p) in += l.text + "\n";
            auto r = runTool("kcat",
                             {"-P", "-b", bootstrap_, "-t", "fromkcat", "-p", QString::number(p),
                              "-K:", "-Z", "-H", "h1=v1", "-H", "h1=v2", "-H", "h2=x"},
                             in);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const QByteArray exported = consume("fromkcat", 6, "jsonl");
        const auto recs = parse(exported, Format::JsonLines);
        QCOMPARE(recs.size(), size_t(6));
        // The export holds what kcat sent.
        const auto byP = byPartition(recs, [](const FileRecord& f) { return *f.partition; });
        for (int p = 0; p < 3; ++p) {
            size_t i = 0;
            for (const auto& l : lines) {
                if (l.partition != p) continue;
                const FileRecord& f = byP.at(p).at(i++);
                const int colon = l.text.indexOf(':');
                const QByteArray k = l.text.left(colon), v = l.text.mid(colon + 1);
                QCOMPARE(f.key.has_value(), !k.isEmpty());
                if (f.key) QCOMPARE(QByteArray(textOf(*f.key).data(), f.key->size()), k);
                QCOMPARE(f.value.has_value(), !v.isEmpty());
                if (f.value) QCOMPARE(QByteArray(textOf(*f.value).data(), f.value->size()), v);
                QCOMPARE(f.headers, (std::vector<FileHeader>{
                                        {"h1", b("v1")}, {"h1", b("v2")}, {"h2", b("x")}}));
                QCOMPARE(*f.offset, int64_t(i - 1));
            }
        }
        QVERIFY(exported.contains("\"keyEncoding\":\"base64\""));

        // Imported into a fresh topic and exported again: the same text, record for record
        // (partitions, offsets, timestamps, keys, values, headers), but for the topic's name.
        auto r = produce("reimport", file("fromkcat.jsonl", exported), "jsonl");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray again = consume("reimport", 6, "jsonl");
        QCOMPARE(sortedLines(withoutTopic(again, "reimport")),
                 sortedLines(withoutTopic(exported, "fromkcat")));

        // The same through CSV.
        const QByteArray csv = consume("fromkcat", 6, "csv");
        QVERIFY(csv.startsWith("topic,partition,offset,timestamp,key,"));
        r = produce("csvback", file("fromkcat.csv", csv), "csv");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(sortedLines(withoutTopic(consume("csvback", 6, "jsonl"), "csvback")),
                 sortedLines(withoutTopic(exported, "fromkcat")));
    }

    // A bad line anywhere: the error names it and nothing of the file is sent; with
    // --skip-bad-lines the others are.
    void badFilesSendNothing() {
        struct Case {
            const char* name;
            const char* format;
            QByteArray text;
            const char* error;
        };
        const std::vector<Case> cases = {
            {"malformed.jsonl", "jsonl", "{\"value\":\"ok\"}\n{\"value\": \"x\"\n",
             "line 2, column 14: malformed JSON"},
            {"base64.jsonl", "jsonl",
             "{\"value\":\"ok\"}\n{\"value\":\"ok\"}\n{\"value\":\"%%\",\"valueEncoding\":"
             "\"base64\"}\n",
             "line 3, field 'value': not base64: character 1 is '%'"},
            {"missing.csv", "csv", "key,value,partition\nk,v,0\nk2,v2\n",
             "line 3: 2 fields, the header row has 3 (missing column 'partition')"},
            {"nosep.lines", "lines", "a:1\nb2\n", "line 2: no key separator ':'"},
        };
        for (const auto& c : cases) {
            QStringList extra;
            if (QByteArray(c.format) == "lines")
                extra = {"--property", "parse.key=true", "--property", "key.separator=:"};
            auto r = produce("bad", file(c.name, c.text), c.format, extra);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(c.error), r.err.constData());
            QVERIFY2(r.err.contains("nothing sent"), r.err.constData());
        }
        QCOMPARE(kcatRead(bootstrap_, "bad").size(), size_t(0));

        auto r = produce("bad", dir_.filePath("base64.jsonl"), "jsonl", {"--skip-bad-lines"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("line 3, field 'value'"), r.err.constData());
        QVERIFY2(r.err.contains("sent 2, failed 0, bad lines skipped 1"), r.err.constData());
        QCOMPARE(kcatRead(bootstrap_, "bad").size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(RecordFilesCliTest)
#include "test_record_files.moc"
