// A client that pipelines requests and never reads the answers: like Kafka muting the channel,
// the broker stops reading that connection's requests while its responses back up, so what it
// queues stays bounded while the client is left blocked in send(); other clients are served.
// Real sockets against a one-node cluster in this process.
#include <fcntl.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <cerrno>
#include <thread>
#include <vector>

#include "broker/abuse_support.h"
#include "broker/raw_client.h"
#include "support/eventually.h"

using bs::broker::ClusterConfig;
using namespace bs::test;
using namespace std::chrono_literals;

class AbuseSlowReaderTest : public QObject {
    Q_OBJECT

  private slots:
    void slowReaderIsMutedNotBuffered() {
        QTemporaryDir dir;
        ClusterConfig c;
        c.topics = {{"wide", 1000}};  // Metadata answers of about 30 KB
        auto cluster = startOneNode(c, dir.path().toStdString());
        QVERIFY(cluster);
        const uint16_t port = portOf(*cluster);

        RawSocket slow = connectTo(port, 4096);
        QVERIFY(slow.ok());
        ::fcntl(slow.fd(), F_SETFL, O_NONBLOCK);
        // Up to 2 000 000 requests (50 MB, more than the sockets' buffers hold): their answers
        // would be 60 GB if the broker read them all.
        std::vector<uint8_t> burst;
        for (int i = 0; i < 1000; ++i) {
            const auto r = metadataRequest(i, "wide");
            burst.insert(burst.end(), r.begin(), r.end());
        }
        size_t bytesSent = 0;
        QElapsedTimer blockedFor;
        bool blocked = false;
        for (int round = 0; round < 2000 && !blocked;) {
            const ssize_t n = ::send(slow.fd(), burst.data(), burst.size(), MSG_NOSIGNAL);
            if (n > 0) {
                bytesSent += static_cast<size_t>(n);
                if (static_cast<size_t>(n) == burst.size())
                    ++round;
                else
                    burst.erase(burst.begin(), burst.begin() + n);  // finish this burst first
                blockedFor.invalidate();
                continue;
            }
            QVERIFY(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
            if (!blockedFor.isValid()) blockedFor.start();
            blocked = blockedFor.elapsed() > 2000;  // the broker has stopped reading
            std::this_thread::sleep_for(10ms);
        }
        QVERIFY2(blocked, "the broker read every request of a client that reads nothing");
        qInfo("the slow reader could send %zu bytes of requests", bytesSent);

        // Others are served meanwhile, and the slow reader's answers stay a few.
        QVERIFY(apiVersionsServed(port));
        QVERIFY(served(port, metadataRequest(77, "wide"), 77));
        const auto net = network(*cluster);
        QVERIFY2(net.peakQueuedResponseBytes < 1024 * 1024,
                 qPrintable(QString::number(net.peakQueuedResponseBytes)));
        QVERIFY(net.queuedResponseBytes > 0);  // it is holding some: the client read none

        slow.reset();
        QVERIFY(eventually([&] { return network(*cluster).queuedResponseBytes == 0; }));
        QVERIFY(eventually([&] { return connections(*cluster) == 0; }));
        QVERIFY(apiVersionsServed(port));
    }
};

QTEST_GUILESS_MAIN(AbuseSlowReaderTest)
#include "test_abuse_slow_reader.moc"
