#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <vector>

#include "broker/storage/log_segment.h"
#include "broker/storage/offset_index.h"
#include "broker/storage/time_index.h"
#include "storage/storage_test_util.h"

using namespace bs;
using namespace bs::broker;
using namespace bs::storage_test;

class OffsetIndexTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;

    std::string path(const char* name) { return tmp_.path().toStdString() + "/" + name; }

  private slots:
    void kafkaFormatAndLookup() {
        const std::string file = path("00000000000000001000.index");
        {
            auto index = OffsetIndex::open(file, 1000, 1 << 20);
            QVERIFY(index.ok());
            QVERIFY((*index)->loadedCleanly());
            QVERIFY((*index)->append(1004, 300).ok());
            QVERIFY((*index)->append(1010, 0x12345).ok());
            // Offsets and positions must increase; offsets stay within int32 of the base.
            QVERIFY(!(*index)->append(1010, 0x20000).ok());
            QVERIFY(!(*index)->append(1011, 10).ok());
            QVERIFY(!(*index)->append(999, 0x30000).ok());
            QVERIFY(!(*index)->append(1000 + (int64_t{1} << 31), 0x30000).ok());
            QCOMPARE((*index)->entryCount(), size_t{2});

            auto e = (*index)->lookup(999);
            QCOMPARE(e.offset, int64_t{1000});
            QCOMPARE(e.position, 0);
            QCOMPARE((*index)->lookup(1003).position, 0);
            QCOMPARE((*index)->lookup(1004).position, 300);
            QCOMPARE((*index)->lookup(1009).position, 300);
            QCOMPARE((*index)->lookup(1010).position, 0x12345);
            QCOMPARE((*index)->lookup(1 << 30).offset, int64_t{1010});
        }
        // 8-byte big-endian entries: relative offset, position.
        QCOMPARE(readFile(file), (std::vector<uint8_t>{0, 0, 0, 4, 0, 0, 1, 44,  //
                                                       0, 0, 0, 10, 0, 1, 0x23, 0x45}));
        auto reopened = OffsetIndex::open(file, 1000, 1 << 20);
        QVERIFY(reopened.ok());
        QVERIFY((*reopened)->loadedCleanly());
        QCOMPARE((*reopened)->lookup(1005).position, 300);
        // Entries pointing past the end of the log are not trusted.
        auto shorter = OffsetIndex::open(file, 1000, 1000);
        QVERIFY(shorter.ok());
        QVERIFY(!(*shorter)->loadedCleanly());
        QCOMPARE((*shorter)->entryCount(), size_t{0});
    }

    void tornOrGarbageIndexIsNotLoaded() {
        const std::string torn = path("00000000000000000000.index");
        writeFile(torn, {0, 0, 0, 1, 0, 0, 0, 100, 0, 0});  // not a whole number of entries
        auto a = OffsetIndex::open(torn, 0, 1 << 20);
        QVERIFY(a.ok());
        QVERIFY(!(*a)->loadedCleanly());
        const std::string backwards = path("00000000000000000005.index");
        writeFile(backwards, {0, 0, 0, 9, 0, 0, 0, 100, 0, 0, 0, 3, 0, 0, 0, 200});
        auto b = OffsetIndex::open(backwards, 5, 1 << 20);
        QVERIFY(b.ok());
        QVERIFY(!(*b)->loadedCleanly());
        QVERIFY((*b)->reset({}).ok());
        QCOMPARE(readFile(backwards).size(), size_t{0});
    }

    void timeIndexFormatAndLookup() {
        const std::string file = path("00000000000000000100.timeindex");
        {
            auto index = TimeIndex::open(file, 100, 1000);
            QVERIFY(index.ok());
            QVERIFY((*index)->maybeAppend(5000, 103).ok());
            QVERIFY((*index)->maybeAppend(5000, 107).ok());  // not later: no entry
            QVERIFY((*index)->maybeAppend(4000, 108).ok());  // earlier: no entry
            QVERIFY((*index)->maybeAppend(0x123456789a, 110).ok());
            QVERIFY(!(*index)->maybeAppend(0x123456789b, 109).ok());  // offsets never go back
            QCOMPARE((*index)->entryCount(), size_t{2});
            QCOMPARE((*index)->lookup(4999).timestamp, int64_t{-1});
            QCOMPARE((*index)->lookup(4999).offset, int64_t{100});
            QCOMPARE((*index)->lookup(5000).offset, int64_t{103});
            QCOMPARE((*index)->lookup(0x1234567899).offset, int64_t{103});
            QCOMPARE((*index)->lookup(0x123456789a).offset, int64_t{110});
            QCOMPARE((*index)->lastEntry().timestamp, int64_t{0x123456789a});
        }
        // 12-byte big-endian entries: int64 timestamp, int32 relative offset.
        QCOMPARE(readFile(file),
                 (std::vector<uint8_t>{0, 0, 0, 0,    0,    0,    0x13, 0x88, 0, 0, 0, 3,
                                       0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0, 0, 0, 10}));
        auto reopened = TimeIndex::open(file, 100, 1000);
        QVERIFY(reopened.ok());
        QVERIFY((*reopened)->loadedCleanly());
        QCOMPARE((*reopened)->lookup(6000).offset, int64_t{103});
        // Decreasing timestamps or too many entries are not trusted.
        writeFile(file, {0, 0, 0, 0, 0, 0, 0x13, 0x88, 0, 0, 0, 3,  //
                         0, 0, 0, 0, 0, 0, 0x13, 0x87, 0, 0, 0, 4});
        QVERIFY(!(*TimeIndex::open(file, 100, 1000))->loadedCleanly());
        writeFile(file, {0, 0, 0, 0, 0, 0, 0x13, 0x88, 0, 0, 0, 3});
        QVERIFY(!(*TimeIndex::open(file, 100, 0))->loadedCleanly());
    }

    void segmentFileNames() {
        QCOMPARE(LogSegment::fileName(0, ".log"), std::string("00000000000000000000.log"));
        QCOMPARE(LogSegment::fileName(1234567, ".index"),
                 std::string("00000000000001234567.index"));
        QCOMPARE(LogSegment::parseLogFileName("00000000000001234567.log"),
                 std::optional<int64_t>(1234567));
        QVERIFY(!LogSegment::parseLogFileName("0000000000000123456.log"));  // 19 digits
        QVERIFY(!LogSegment::parseLogFileName("00000000000001234567.index"));
        QVERIFY(!LogSegment::parseLogFileName("0000000000000123456x.log"));
        QVERIFY(!LogSegment::parseLogFileName("99999999999999999999.log"));  // > INT64_MAX
    }
};

QTEST_GUILESS_MAIN(OffsetIndexTest)
#include "test_offset_index.moc"
