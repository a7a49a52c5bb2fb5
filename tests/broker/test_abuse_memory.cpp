// The embedded broker's memory under clients that announce frames they do not send: a frame's
// buffer grows with the bytes that arrive, charged to queued.max.request.bytes; the charge never
// passes the cap, frames above socket.request.max.bytes are refused, and a well-behaved client
// is still answered. Real sockets against a one-node cluster in this process.
#include <fcntl.h>

#include <QTemporaryDir>
#include <QtTest>
#include <vector>

#include "broker/abuse_support.h"
#include "broker/raw_client.h"
#include "support/eventually.h"

using bs::broker::ClusterConfig;
using bs::broker::Refusal;
using namespace bs::test;
using namespace std::chrono_literals;

namespace {
constexpr int32_t kMaxRequestBytes = 4 * 1024 * 1024;
constexpr int64_t kPoolBytes = 8 * 1024 * 1024;

ClusterConfig limits(int64_t requestReadTimeoutMs) {
    ClusterConfig c;
    c.maxRequestBytes = kMaxRequestBytes;
    c.queuedMaxRequestBytes = kPoolBytes;
    c.requestReadTimeoutMs = requestReadTimeoutMs;
    c.topics = {{"t", 1}};
    return c;
}
}  // namespace

class AbuseMemoryTest : public QObject {
    Q_OBJECT

  private slots:
    // The attack: many connections each announce a large frame and send nothing more.
    void announcedFramesCostNothingUntilTheirBytesArrive() {
        QTemporaryDir dir;
        LogCapture log;
        auto cluster = startOneNode(limits(60'000), dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);
        std::vector<RawSocket> stalled;
        for (int i = 0; i < 1000; ++i) {
            stalled.push_back(connectTo(port));
            QVERIFY(stalled.back().ok());
            QVERIFY(sendAll(stalled.back(), announce(kMaxRequestBytes)));
        }
        QVERIFY(eventually([&] { return connections(*cluster) == 1000; }));
        QVERIFY(apiVersionsServed(port));
        QVERIFY(served(port, metadataRequest(7, "t"), 7));
        const auto net = network(*cluster);
        QCOMPARE(net.queuedMaxRequestBytes, kPoolBytes);
        // Nothing of the 1000 x 4 MiB announced is held; only the answered requests passed.
        QVERIFY2(net.peakBufferedRequestBytes < 64 * 1024,
                 qPrintable(QString::number(net.peakBufferedRequestBytes)));
        QVERIFY(eventually([&] { return network(*cluster).bufferedRequestBytes == 0; }));

        // One of them sends 100 000 bytes: it holds about that, not the 4 MiB announced.
        QVERIFY(sendAll(stalled.front(), std::vector<uint8_t>(100'000, 0)));
        QVERIFY(eventually([&] { return network(*cluster).bufferedRequestBytes >= 100'000; }));
        const size_t held = network(*cluster).bufferedRequestBytes;
        QVERIFY2(held <= 2 * 100'000 + 4096, qPrintable(QString::number(held)));
        QCOMPARE(log.warnings(""), 0);  // nothing was refused
    }

    // Clients that do send: together they would pass the cap. The charge stops at the cap
    // (their reads wait), and request.read.timeout.ms closes them, freeing the memory.
    void partialFramesNeverPassTheCap() {
        QTemporaryDir dir;
        LogCapture log;
        auto cluster = startOneNode(limits(3000), dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);
        std::vector<RawSocket> senders;
        const std::vector<uint8_t> oneMiB(1 << 20, 0);
        for (int i = 0; i < 32; ++i) {  // 32 MiB offered to an 8 MiB pool
            senders.push_back(connectTo(port));
            QVERIFY(senders.back().ok());
            QVERIFY(sendAll(senders.back(), announce(kMaxRequestBytes)));
            ::fcntl(senders.back().fd(), F_SETFL, O_NONBLOCK);
            (void)::send(senders.back().fd(), oneMiB.data(), oneMiB.size(), MSG_NOSIGNAL);
        }
        QVERIFY(eventually([&] { return network(*cluster).memoryWaits > 0; }));
        auto net = network(*cluster);
        QVERIFY2(net.peakBufferedRequestBytes <= size_t{kPoolBytes},
                 qPrintable(QString::number(net.peakBufferedRequestBytes)));
        QVERIFY(net.peakBufferedRequestBytes > size_t{kPoolBytes} / 2);

        for (auto& s : senders)
            QVERIFY(closedByPeer(s, 30s));
        QVERIFY(eventually([&] { return network(*cluster).bufferedRequestBytes == 0; }));
        QVERIFY(apiVersionsServed(port));
        net = network(*cluster);
        QVERIFY(net.peakBufferedRequestBytes <= size_t{kPoolBytes});
        QCOMPARE(net.refusals[static_cast<size_t>(Refusal::RequestReadTimeout)], uint64_t{32});
        // 32 refusals, one line (the next would come at most every 10 s).
        QCOMPARE(log.warnings("request-read-timeout"), 1);
    }

    void framesAboveSocketRequestMaxBytesAreRefusedAndLoggedOnce() {
        QTemporaryDir dir;
        LogCapture log;
        auto cluster = startOneNode(limits(60'000), dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);
        for (uint32_t size : {uint32_t{kMaxRequestBytes} + 1, 0x7fffffffu, 0x80000000u}) {
            for (int i = 0; i < 50; ++i) {
                RawSocket s = connectTo(port);
                QVERIFY(sendAll(s, announce(size)));
                QVERIFY(closedByPeer(s, 10s));
            }
        }
        QCOMPARE(refused(*cluster, Refusal::FrameSize), uint64_t{150});
        QCOMPARE(log.warnings("frame-size"), 1);
        QCOMPARE(network(*cluster).peakBufferedRequestBytes, size_t{0});
        QVERIFY(apiVersionsServed(port));
    }
};

QTEST_GUILESS_MAIN(AbuseMemoryTest)
#include "test_abuse_memory.moc"
