// Malformed requests over raw TCP: truncated frames, lying sizes, random bytes. Each gets an
// error or a closed connection; the broker keeps serving and its logs do not change.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <random>

#include "broker/broker_process.h"

using bs::test::BrokerProcess;
using bs::test::runTool;

namespace {

int connectTo(const QString& hostPort) {
    const auto parts = hostPort.split(':');
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(parts[1].toInt()));
    ::inet_pton(AF_INET, parts[0].toUtf8().constData(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Sends bytes, then reads until the peer closes or `timeoutMs` passes. Returns what came back
// and whether the connection was closed by the broker.
struct Exchange {
    QByteArray received;
    bool closed = false;
};
Exchange exchange(const QString& node, const QByteArray& bytes, int timeoutMs = 3000) {
    Exchange ex;
    int fd = connectTo(node);
    if (fd < 0) return ex;
    (void)::send(fd, bytes.constData(), static_cast<size_t>(bytes.size()), MSG_NOSIGNAL);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buf[4096];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            ex.closed = true;
            break;
        }
        ex.received.append(buf, static_cast<int>(n));
    }
    ::close(fd);
    return ex;
}

QByteArray be32(int32_t v) {
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i)
        b[i] = static_cast<char>((static_cast<uint32_t>(v) >> (24 - 8 * i)) & 0xff);
    return b;
}

QByteArray frame(const QByteArray& body) {
    return be32(static_cast<int32_t>(body.size())) + body;
}

qint64 logBytes(const QString& dir) {
    qint64 total = 0;
    QDirIterator it(dir, {"*.log"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        total += QFileInfo(it.next()).size();
    return total;
}

}  // namespace

class MalformedTest : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir dir_;
    BrokerProcess broker_;

    void brokerStillServes() {
        auto md = runTool("kcat", {"-L", "-b", broker_.node(0), "-t", "t", "-m", "10"}, {}, 30000);
        QVERIFY2(md.out.contains("3 brokers"), md.err.constData());
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(broker_.start(dir_.path(), {"--topic", "t:1"}));
        QCOMPARE(
            runTool("kcat", {"-P", "-b", broker_.bootstrap(), "-t", "t"}, "a\nb\nc\n").exitCode, 0);
    }

    void negativeSizeCloses() {
        const qint64 before = logBytes(dir_.path());
        QVERIFY(exchange(broker_.node(0), be32(-5)).closed);
        QVERIFY(exchange(broker_.node(0), be32(0x7fffffff)).closed);  // above 100 MiB
        QCOMPARE(logBytes(dir_.path()), before);
        brokerStillServes();
    }

    void emptyAndTruncatedHeaderCloses() {
        QVERIFY(exchange(broker_.node(0), frame({})).closed);
        QVERIFY(exchange(broker_.node(0), frame(QByteArray::fromHex("0000"))).closed);
        brokerStillServes();
    }

    void unknownApiCloses() {
        // api key 999, version 0, correlation 7, null client id
        QVERIFY(
            exchange(broker_.node(0), frame(QByteArray::fromHex("03e700000000000707ffff"))).closed);
        brokerStillServes();
    }

    void unsupportedApiVersionsGetsV0Error() {
        // ApiVersions v99 (flexible header: client id, empty tags), correlation 42.
        const QByteArray req =
            QByteArray::fromHex("00120063") + be32(42) + QByteArray::fromHex("ffff00");
        auto answer = exchange(broker_.node(0), frame(req), 1000);
        QVERIFY(answer.received.size() >= 10);
        QCOMPARE(answer.received.mid(4, 4), be32(42));
        QCOMPARE(answer.received.mid(8, 2), QByteArray::fromHex("0023"));  // UNSUPPORTED_VERSION
    }

    void truncatedProduceBodyCloses() {
        const qint64 before = logBytes(dir_.path());
        // Produce v7 header, then a body cut short.
        QByteArray req = QByteArray::fromHex("00000007") + be32(1) + QByteArray::fromHex("ffff") +
                         QByteArray::fromHex(
                             "ffff"
                             "ffff"
                             "00007530"
                             "00000001"
                             "0001"
                             "74");
        QVERIFY(exchange(broker_.node(0), frame(req)).closed);
        QCOMPARE(logBytes(dir_.path()), before);
        brokerStillServes();
    }

    void randomBytes() {
        const qint64 before = logBytes(dir_.path());
        std::mt19937 rng(1234);
        for (int i = 0; i < 120; ++i) {
            QByteArray body(static_cast<int>(rng() % 300), 0);
            for (auto& c : body)
                c = static_cast<char>(rng());
            if (i % 2 == 0 && body.size() >= 2) {
                body[0] = 0;  // a real API key so the body parsers get fuzzed too
                body[1] = static_cast<char>(std::array<int, 7>{0, 1, 2, 3, 18, 19, 22}[rng() % 7]);
            }
            const QByteArray bytes = i % 5 == 0 ? body : frame(body);
            exchange(broker_.node(static_cast<int>(rng() % 3)), bytes, 100);
        }
        QCOMPARE(logBytes(dir_.path()), before);
        brokerStillServes();
        auto consumed = runTool(
            "kcat", {"-C", "-b", broker_.bootstrap(), "-t", "t", "-o", "beginning", "-e", "-q"});
        QCOMPARE(consumed.out, QByteArray("a\nb\nc\n"));
    }

    void cleanupTestCase() { QCOMPARE(broker_.terminate(), 0); }
};

QTEST_GUILESS_MAIN(MalformedTest)
#include "test_malformed.moc"
