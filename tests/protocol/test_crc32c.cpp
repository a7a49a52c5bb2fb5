#include <QtTest>

#include <cstring>
#include <random>
#include <vector>

#include "protocol/record/crc32c.h"

using namespace bs::protocol;

namespace {
using CrcFn = uint32_t (*)(const void*, size_t, uint32_t);

// The iSCSI SCSI Read (10) command PDU of RFC 3720 appendix B.4.
std::vector<uint8_t> iscsiReadCommand() {
    std::vector<uint8_t> pdu = {0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
                                0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    return pdu;
}
}  // namespace

class Crc32cTest : public QObject {
    Q_OBJECT
  private slots:
    void rfc3720Vectors_data() {
        QTest::addColumn<bool>("hardware");
        QTest::newRow("portable") << false;
        if (crc32cHardwareAvailable()) QTest::newRow("sse4.2") << true;
    }
    void rfc3720Vectors() {
        QFETCH(bool, hardware);
        const CrcFn crc = hardware ? crc32cHardware : crc32cPortable;
        uint8_t buf[32];
        std::memset(buf, 0, sizeof buf);
        QCOMPARE(crc(buf, 32, 0), 0x8A9136AAu);
        std::memset(buf, 0xff, sizeof buf);
        QCOMPARE(crc(buf, 32, 0), 0x62A8AB43u);
        for (int i = 0; i < 32; ++i)
            buf[i] = static_cast<uint8_t>(i);
        QCOMPARE(crc(buf, 32, 0), 0x46DD794Eu);
        for (int i = 0; i < 32; ++i)
            buf[i] = static_cast<uint8_t>(31 - i);
        QCOMPARE(crc(buf, 32, 0), 0x113FDB5Cu);
        const auto pdu = iscsiReadCommand();
        QCOMPARE(pdu.size(), size_t{48});
        QCOMPARE(crc(pdu.data(), pdu.size(), 0), 0xD9963A56u);
        // The check value of the CRC-32C catalogue entry.
        QCOMPARE(crc("123456789", 9, 0), 0xE3069283u);
        QCOMPARE(crc(nullptr, 0, 0), 0u);
    }

    void dispatchMatchesVectors() {
        const auto pdu = iscsiReadCommand();
        QCOMPARE(crc32c(pdu.data(), pdu.size()), 0xD9963A56u);
    }

    // Every length 0..300 at every start alignment 0..7: both paths, and chaining, agree.
    void pathsAgreeOnRandomBuffers() {
        std::mt19937 rng(3720);
        std::vector<uint8_t> data(300 + 8);
        for (auto& b : data)
            b = static_cast<uint8_t>(rng());
        for (size_t offset = 0; offset < 8; ++offset) {
            for (size_t len = 0; len <= 300; ++len) {
                const uint8_t* p = data.data() + offset;
                const uint32_t portable = crc32cPortable(p, len);
                QCOMPARE(crc32cHardware(p, len), portable);
                QCOMPARE(crc32c(p, len), portable);
                const size_t split = len / 3;
                QCOMPARE(crc32cPortable(p + split, len - split, crc32cPortable(p, split)),
                         portable);
                QCOMPARE(crc32cHardware(p + split, len - split, crc32cHardware(p, split)),
                         portable);
            }
        }
    }

    // Long buffers (the hardware path interleaves three 1 KiB stripes): around the stripe
    // boundaries, misaligned, chained.
    void pathsAgreeOnLongBuffers() {
        std::mt19937 rng(4096);
        std::vector<uint8_t> data(70'000);
        for (auto& b : data)
            b = static_cast<uint8_t>(rng());
        for (size_t len : {3071u, 3072u, 3073u, 3079u, 6144u, 6151u, 9216u, 65536u, 69'990u}) {
            for (size_t offset : {0u, 1u, 5u, 7u}) {
                const uint8_t* p = data.data() + offset;
                const uint32_t portable = crc32cPortable(p, len);
                QCOMPARE(crc32cHardware(p, len), portable);
                QCOMPARE(crc32cHardware(p + 100, len - 100, crc32cHardware(p, 100)), portable);
            }
        }
    }

    void detectsSingleBitFlips() {
        std::vector<uint8_t> data(1024, 0x5a);
        const uint32_t base = crc32c(data.data(), data.size());
        for (size_t bit = 0; bit < data.size() * 8; bit += 97) {
            data[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
            QVERIFY(crc32c(data.data(), data.size()) != base);
            QVERIFY(crc32cPortable(data.data(), data.size()) != base);
            data[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        }
    }
};

QTEST_GUILESS_MAIN(Crc32cTest)
#include "test_crc32c.moc"
