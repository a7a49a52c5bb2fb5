// Request frames as TCP delivers them: joined in one segment, or split anywhere (inside a
// size prefix, between the prefix and the body, inside the body, with part of the next
// prefix). The embedded broker reads a body together with the next request's size when both
// are there, so every boundary is tried: each request is answered, in order. Real sockets
// against a one-node cluster in this process.
#include <QTemporaryDir>
#include <QtTest>
#include <thread>
#include <vector>

#include "broker/abuse_support.h"
#include "broker/raw_client.h"
#include "support/eventually.h"

using bs::broker::ClusterConfig;
using namespace bs::test;
using namespace std::chrono_literals;

namespace {

// The next answer's correlation id, or -1 on close or timeout.
int32_t readAnswer(const RawSocket& s) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    uint8_t size[4];
    if (!readExactly(s, size, sizeof size, deadline)) return -1;
    const uint32_t n =
        (uint32_t{size[0]} << 24) | (uint32_t{size[1]} << 16) | (uint32_t{size[2]} << 8) | size[3];
    if (n < 4 || n > (1u << 20)) return -1;
    std::vector<uint8_t> body(n);
    if (!readExactly(s, body.data(), n, deadline)) return -1;
    return static_cast<int32_t>((uint32_t{body[0]} << 24) | (uint32_t{body[1]} << 16) |
                                (uint32_t{body[2]} << 8) | body[3]);
}

std::vector<uint8_t> joined(const std::vector<std::vector<uint8_t>>& frames) {
    std::vector<uint8_t> out;
    for (const auto& f : frames)
        out.insert(out.end(), f.begin(), f.end());
    return out;
}

}  // namespace

class FramingTest : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        ClusterConfig c;
        c.topics = {{"t", 1}};
        cluster_ = startOneNode(c, dir_.path().toStdString());
        QVERIFY(cluster_);
        port_ = portOf(*cluster_);
    }

    // Several requests in one write: each body is read with the next one's size.
    void pipelinedRequestsInOneWriteAreAllAnswered() {
        RawSocket s = connectTo(port_);
        QVERIFY(s.ok());
        QVERIFY(sendAll(s, joined({apiVersionsRequest(1), metadataRequest(2, "t"),
                                   apiVersionsRequest(3), metadataRequest(4, "t")})));
        for (int32_t id : {1, 2, 3, 4})
            QCOMPARE(readAnswer(s), id);
    }

    // Two requests cut at every byte: the first part arrives alone, then the rest.
    void requestsSplitAtEveryByteAreAnswered() {
        const std::vector<uint8_t> stream =
            joined({metadataRequest(10, "t"), apiVersionsRequest(11)});
        for (size_t cut = 1; cut < stream.size(); ++cut) {
            RawSocket s = connectTo(port_);
            QVERIFY(s.ok());
            QVERIFY(sendAll(s, {stream.begin(), stream.begin() + static_cast<long>(cut)}));
            std::this_thread::sleep_for(15ms);  // the broker reads the first part on its own
            QVERIFY(sendAll(s, {stream.begin() + static_cast<long>(cut), stream.end()}));
            QVERIFY2(readAnswer(s) == 10, qPrintable(QString("cut at %1").arg(cut)));
            QVERIFY2(readAnswer(s) == 11, qPrintable(QString("cut at %1").arg(cut)));
        }
    }

    // Three requests, the middle one's size prefix split two bytes and two bytes across
    // writes, the third sent only after the second was answered.
    void aSizePrefixSplitAfterABodyIsJoined() {
        const auto first = apiVersionsRequest(20), second = metadataRequest(21, "t");
        RawSocket s = connectTo(port_);
        QVERIFY(s.ok());
        std::vector<uint8_t> part = first;
        part.insert(part.end(), second.begin(), second.begin() + 2);
        QVERIFY(sendAll(s, part));
        QCOMPARE(readAnswer(s), 20);
        QVERIFY(sendAll(s, {second.begin() + 2, second.end()}));
        QCOMPARE(readAnswer(s), 21);
        QVERIFY(sendAll(s, apiVersionsRequest(22)));
        QCOMPARE(readAnswer(s), 22);
    }

    // Between requests a connection that completed one waits by reading into a buffer sized
    // for two like it (4 KiB steps up to 64 KiB, charged to queued.max.request.bytes and
    // returned on close). A frame larger than that buffer, and frames that straddle its end,
    // are joined from it and the socket.
    void framesLargerThanTheWaitingReadAreJoined() {
        RawSocket s = connectTo(port_);
        QVERIFY(s.ok());
        QVERIFY(sendAll(s, apiVersionsRequest(30)));
        QCOMPARE(readAnswer(s), 30);
        QVERIFY(eventually([&] { return network(*cluster_).bufferedRequestBytes == 4096; }));
        std::vector<uint8_t> invalidTopics;  // Metadata v0 for 30 000 invalid names: 90 KB
        appendBe32(invalidTopics, 30000);
        for (int i = 0; i < 30000; ++i)
            invalidTopics.insert(invalidTopics.end(), {0, 1, '!'});
        const std::vector<uint8_t> big = requestV0(3, 31, invalidTopics);
        QVERIFY(big.size() > 64 * 1024);
        const std::vector<uint8_t> stream =
            joined({apiVersionsRequest(32), big, apiVersionsRequest(33), metadataRequest(34, "t"),
                    big, apiVersionsRequest(35)});
        for (size_t cut : {size_t{1}, size_t{4000}, size_t{4096}, size_t{5000}, stream.size() / 2,
                           stream.size() - 10}) {
            QVERIFY(sendAll(s, {stream.begin(), stream.begin() + static_cast<long>(cut)}));
            std::this_thread::sleep_for(15ms);  // the broker reads the first part on its own
            QVERIFY(sendAll(s, {stream.begin() + static_cast<long>(cut), stream.end()}));
            for (int32_t id : {32, 31, 33, 34, 31, 35})
                QVERIFY2(readAnswer(s) == id, qPrintable(QString("cut at %1").arg(cut)));
        }
        // The last frame was small: the buffer shrank back to 4 KiB. Closing returns it.
        QVERIFY(eventually([&] { return network(*cluster_).bufferedRequestBytes == 4096; }));
        s.reset();
        QVERIFY(eventually([&] { return network(*cluster_).bufferedRequestBytes == 0; }));
    }

    void cleanupTestCase() { cluster_.reset(); }

  private:
    QTemporaryDir dir_;
    std::unique_ptr<bs::broker::EmbeddedCluster> cluster_;
    uint16_t port_ = 0;
};

QTEST_GUILESS_MAIN(FramingTest)
#include "test_framing.moc"
