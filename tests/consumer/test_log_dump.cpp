// dump-log over hand-built segment and index files: Kafka's text, damage at exact positions.
#include <QtTest>

#include <QTemporaryDir>
#include <cstdio>
#include <fstream>

#include "consumer/log_dump.h"
#include "protocol/record/record_batch.h"

using namespace bs;
using namespace bs::consumer;

namespace {

std::vector<uint8_t> batch(int64_t base, int n, protocol::CompressionType c) {
    std::vector<uint8_t> buf(4096);
    protocol::RecordBatchBuilder b(buf.data(), buf.size(), c);
    b.setProducerState(9, 1, static_cast<int32_t>(base));
    for (int i = 0; i < n; ++i) {
        std::string k = "k" + std::to_string(base + i), v = "value" + std::to_string(base + i);
        protocol::Bytes kb(reinterpret_cast<const uint8_t*>(k.data()), k.size());
        protocol::Bytes vb(reinterpret_cast<const uint8_t*>(v.data()), v.size());
        std::string hk = "hk";
        protocol::RecordHeader h{hk, vb, false};
        if (!b.tryAppend(5000 + base + i, kb, vb, std::span(&h, 1))) qFatal("append");
    }
    auto done = b.close();
    std::vector<uint8_t> out(done->begin(), done->end());
    protocol::setBaseOffset(out, base);
    protocol::setPartitionLeaderEpoch(out, 4);
    return out;
}

void write(const QString& path, const std::vector<uint8_t>& bytes) {
    std::ofstream f(path.toStdString(), std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void be32(std::vector<uint8_t>& out, int32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        out.push_back(static_cast<uint8_t>(v >> s));
}

struct Dump {
    bool ok;
    std::string out, err;
};

Dump dump(const QString& path, DumpLogOptions o = {}) {
    char* ob = nullptr;
    char* eb = nullptr;
    size_t on = 0, en = 0;
    std::FILE* out = open_memstream(&ob, &on);
    std::FILE* err = open_memstream(&eb, &en);
    Dump d;
    d.ok = dumpLogFile(path.toStdString(), o, out, err);
    std::fclose(out);
    std::fclose(err);
    d.out.assign(ob, on);
    d.err.assign(eb, en);
    std::free(ob);
    std::free(eb);
    return d;
}

}  // namespace

class LogDumpTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::vector<uint8_t> b1_, b2_, log_;
    QString logPath_;

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        b1_ = batch(100, 2, protocol::CompressionType::Snappy);
        b2_ = batch(102, 1, protocol::CompressionType::None);
        log_ = b1_;
        log_.insert(log_.end(), b2_.begin(), b2_.end());
        logPath_ = dir_.path() + "/00000000000000000100.log";
        write(logPath_, log_);
    }

    void kafkaText() {
        DumpLogOptions o;
        o.printDataLog = true;
        Dump d = dump(logPath_, o);
        QVERIFY(d.ok);
        QCOMPARE(d.err, std::string());
        const std::string crc1 = std::to_string(protocol::parseBatchHeader(b1_)->crc);
        const std::string expected =
            "Dumping " + logPath_.toStdString() + "\nLog starting offset: 100\n" +
            "baseOffset: 100 lastOffset: 101 count: 2 baseSequence: 100 lastSequence: 101 "
            "producerId: 9 producerEpoch: 1 partitionLeaderEpoch: 4 isTransactional: false "
            "isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 5101 "
            "size: " +
            std::to_string(b1_.size()) + " magic: 2 compresscodec: snappy crc: " + crc1 +
            " isvalid: true\n"
            "| offset: 100 CreateTime: 5100 keySize: 4 valueSize: 8 sequence: 100 headerKeys: [hk] "
            "key: k100 payload: value100\n"
            "| offset: 101 CreateTime: 5101 keySize: 4 valueSize: 8 sequence: 101 headerKeys: [hk] "
            "key: k101 payload: value101\n";
        QCOMPARE(d.out.substr(0, expected.size()), expected);
        QVERIFY(d.out.find("position: " + std::to_string(b1_.size()) + " CreateTime: 5102") !=
                std::string::npos);
        // Shallow: batches only.
        Dump s = dump(logPath_);
        QVERIFY(s.out.find("| offset") == std::string::npos);
        QVERIFY(s.out.find("compresscodec: none") != std::string::npos);
    }

    void damageAtExactPositions() {
        // Impossible batchLength in the second batch.
        auto bad = log_;
        bad[b1_.size() + 8] = 0;
        bad[b1_.size() + 9] = 0;
        bad[b1_.size() + 10] = 0;
        bad[b1_.size() + 11] = 3;
        write(dir_.path() + "/00000000000000000001.log", bad);
        Dump d = dump(dir_.path() + "/00000000000000000001.log");
        QVERIFY(d.ok);
        QVERIFY2(d.err.find("batch at position " + std::to_string(b1_.size()) +
                            ": batchLength 3 is smaller than the minimum 49") != std::string::npos,
                 d.err.c_str());
        QVERIFY(d.out.find("Found " + std::to_string(b2_.size()) + " invalid bytes") !=
                std::string::npos);
        // Unknown magic.
        bad = log_;
        bad[protocol::kMagicOffset] = 1;
        write(dir_.path() + "/00000000000000000002.log", bad);
        d = dump(dir_.path() + "/00000000000000000002.log");
        QVERIFY(d.err.find("batch at position 0: magic 1 is not 2") != std::string::npos);
        // Flipped record byte in the first batch: reported invalid, the next batch still read.
        bad = log_;
        bad[b1_.size() - 3] ^= 1;
        write(dir_.path() + "/00000000000000000003.log", bad);
        DumpLogOptions deep;
        deep.deepIteration = true;
        d = dump(dir_.path() + "/00000000000000000003.log", deep);
        QVERIFY(d.out.find("position: 0 CreateTime: 5101 size: " + std::to_string(b1_.size())) !=
                std::string::npos);
        QVERIFY(d.out.find("isvalid: false") != std::string::npos);
        QVERIFY(d.err.find("batch at position 0: CRC mismatch") != std::string::npos);
        QVERIFY(d.out.find("| offset: 102 ") != std::string::npos);
        QVERIFY(d.out.find("| offset: 100 ") == std::string::npos);
        // Every truncation: never a crash, the tail always accounted for.
        for (size_t cut = 0; cut < log_.size(); ++cut) {
            std::vector<uint8_t> t(log_.begin(), log_.begin() + static_cast<long>(cut));
            write(dir_.path() + "/00000000000000000004.log", t);
            Dump td = dump(dir_.path() + "/00000000000000000004.log", deep);
            QVERIFY(td.ok);
            const size_t valid = cut >= b1_.size() ? b1_.size() : 0;
            if (cut > valid)
                QVERIFY2(td.out.find("Found " + std::to_string(cut - valid) + " invalid bytes") !=
                                 std::string::npos &&
                             td.err.find("batch at position " + std::to_string(valid) +
                                         ": truncated") != std::string::npos,
                         td.out.c_str());
        }
        // The zero fill a running broker keeps past the last batch ends the log without an
        // error; zeros too short to be it (under 12 bytes) or followed by data are damage.
        for (size_t zeros : {size_t{11}, size_t{12}, size_t{70000}}) {
            for (bool damaged : {false, true}) {
                std::vector<uint8_t> t = log_;
                t.resize(t.size() + zeros);
                if (damaged) t.back() = 7;
                write(dir_.path() + "/00000000000000000006.log", t);
                Dump zd = dump(dir_.path() + "/00000000000000000006.log", deep);
                QVERIFY(zd.ok);
                QVERIFY(zd.out.find("| offset: 102 ") != std::string::npos);
                if (zeros >= 12 && !damaged) {
                    QCOMPARE(zd.err, std::string());
                    QVERIFY2(
                        zd.out.find(std::to_string(zeros) +
                                    " zero bytes follow the last batch of "
                                    "00000000000000000006.log: space a running broker "
                                    "filled ahead of its appends, not data") != std::string::npos,
                        zd.out.c_str());
                } else {
                    QVERIFY(zd.out.find("Found " + std::to_string(zeros) + " invalid bytes") !=
                            std::string::npos);
                    QVERIFY(zd.err.find("batch at position " + std::to_string(log_.size())) !=
                            std::string::npos);
                }
            }
        }
        // Gaps in offsets (baseOffset is not under the CRC).
        bad = log_;
        protocol::setBaseOffset(std::span(bad).subspan(b1_.size()), 200);
        write(dir_.path() + "/00000000000000000005.log", bad);
        d = dump(dir_.path() + "/00000000000000000005.log", deep);
        QVERIFY(d.err.find("Non-consecutive offsets in") != std::string::npos);
        QVERIFY(d.err.find("  101 is followed by 200") != std::string::npos);
    }

    void indexes() {
        std::vector<uint8_t> idx;
        be32(idx, 1);  // offset 101 -> position 0 (last offset of the first batch)
        be32(idx, 0);
        be32(idx, 1);  // offset 101 at the second batch: a mismatch (its last offset is 102)
        be32(idx, static_cast<int32_t>(b1_.size()));
        idx.push_back(7);  // a torn entry
        write(dir_.path() + "/00000000000000000100.index", idx);
        Dump d = dump(dir_.path() + "/00000000000000000100.index");
        QVERIFY(d.ok);
        QCOMPARE(d.out, "Dumping " + dir_.path().toStdString() +
                            "/00000000000000000100.index\noffset: 101 position: 0\n"
                            "offset: 101 position: " +
                            std::to_string(b1_.size()) + "\n");
        QVERIFY(d.err.find("Index offset: 101, log offset: 102") != std::string::npos);
        QVERIFY(d.err.find("1 trailing bytes at position 16") != std::string::npos);

        write(dir_.path() + "/00000000000000000100.timeindex", {});
        d = dump(dir_.path() + "/00000000000000000100.timeindex");
        QVERIFY(d.out.find("00000000000000000100.timeindex is empty.") != std::string::npos);
        std::vector<uint8_t> ti = {0, 0, 0, 0, 0, 0, 0x13, 0x8d};
        be32(ti, 1);
        write(dir_.path() + "/00000000000000000100.timeindex", ti);
        d = dump(dir_.path() + "/00000000000000000100.timeindex");
        QVERIFY(d.out.find("timestamp: 5005 offset: 101\n") != std::string::npos);

        d = dump(dir_.path() + "/notes.txt");
        QVERIFY(d.ok);
        QVERIFY(d.err.find("Ignoring unknown file") != std::string::npos);
        d = dump(dir_.path() + "/missing.log");
        QVERIFY(!d.ok);
    }
};

QTEST_GUILESS_MAIN(LogDumpTest)
#include "test_log_dump.moc"
