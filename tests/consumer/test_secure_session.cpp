// One SASL_SSL session in process: the core producer (every observation event on) and consumer
// through the embedded cluster listening with SCRAM-SHA-256 over TLS, every log line of the
// clients and the brokers captured at trace level. The records arrive intact, and the password
// appears nowhere: not in a log line, an event, an error, nor in the producer's effective
// configuration (shown as [hidden], as Java shows a PASSWORD key).
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <sstream>
#include <string>

#include "broker/embedded_cluster.h"
#include "broker/test_certs.h"
#include "consumer/kafka_consumer.h"
#include "producer/kafka_producer.h"

using namespace bs;

namespace {

const std::string kPassword = "pw-never-shown-7f3a";

std::map<std::string, std::string> clientProps(const std::string& bootstrap, const QString& ca,
                                               const std::string& password) {
    return {{"bootstrap.servers", bootstrap},
            {"security.protocol", "SASL_SSL"},
            {"sasl.mechanism", "SCRAM-SHA-256"},
            {"sasl.jaas.config",
             "org.apache.kafka.common.security.scram.ScramLoginModule required "
             "username=\"alice\" password=\"" +
                 password + "\";"},
            {"ssl.truststore.type", "PEM"},
            {"ssl.truststore.location", ca.toStdString()}};
}

}  // namespace

class SecureSessionTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    test::TestCerts certs_;
    std::ostringstream logs_;
    std::shared_ptr<broker::EmbeddedCluster> cluster_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(certs_.create(dir_.path()));
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logs_);
        auto logger = std::make_shared<spdlog::logger>("captured", sink);
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
        broker::ClusterConfig config;
        config.nodeCount = 2;
        config.dataDir = (dir_.path() + "/data").toStdString();
        config.topics = {{"secure", 2}};
        config.security.protocol = security::SecurityProtocol::SaslSsl;
        config.security.tls.certFile = certs_.path("server.pem").toStdString();
        config.security.tls.keyFile = certs_.path("server.key").toStdString();
        config.security.saslMechanisms = {"SCRAM-SHA-256"};
        config.security.saslUsers = {{"alice", kPassword}};
        auto c = broker::EmbeddedCluster::start(config);
        QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
        cluster_ = std::move(*c);
    }

    void sessionNeverShowsThePassword() {
        const auto props =
            clientProps(cluster_->bootstrapServers(), certs_.path("ca.pem"), kPassword);
        auto producerProps = props;
        producerProps["key.serializer"] = "string";
        producerProps["value.serializer"] = "string";
        auto cfg = producer::ProducerConfig::parse(producerProps);
        QVERIFY2(cfg.ok(), cfg.ok() ? "" : cfg.error().message.c_str());
        std::string shown;
        for (const auto& [k, v] : cfg->values())
            shown += k + "=" + v + "\n";
        QVERIFY(shown.find("sasl.jaas.config=[hidden]") != std::string::npos);

        auto made = producer::KafkaProducer::create(*cfg);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        auto& producer = **made;
        producer.events().setEnabled(true);
        std::vector<producer::FutureRecordMetadata> sent;
        for (int i = 0; i < 50; ++i)
            sent.push_back(producer.send({"secure",
                                          i % 2,
                                          std::string("k") + std::to_string(i),
                                          std::string("v") + std::to_string(i),
                                          {},
                                          {}}));
        producer.flush();
        for (const auto& f : sent) {
            auto md = f.get();
            QVERIFY2(md.ok(), md.ok() ? "" : md.error().message.c_str());
        }
        std::vector<producer::Event> events;
        producer.events().poll(events);
        QVERIFY(!events.empty());
        for (const auto& e : events)
            shown += producer.events().topicName(e.topicId) + "\n";
        producer.close();

        auto ccfg = consumer::ConsumerConfig::parse(props);
        QVERIFY2(ccfg.ok(), ccfg.ok() ? "" : ccfg.error().message.c_str());
        auto consumer = consumer::KafkaConsumer::create(*ccfg);
        QVERIFY2(consumer.ok(), consumer.ok() ? "" : consumer.error().message.c_str());
        (*consumer)->assign({{"secure", 0}, {"secure", 1}});
        (*consumer)->seekToBeginning({{"secure", 0}, {"secure", 1}});
        size_t got = 0;
        QElapsedTimer t;
        t.start();
        while (got < sent.size() && t.elapsed() < 30000) {
            auto rs = (*consumer)->poll(200);
            QVERIFY2(rs.ok(), rs.ok() ? "" : rs.error().message.c_str());
            got += rs->size();
        }
        QCOMPARE(got, sent.size());

        // A wrong password: the error says the login failed, and shows no password either.
        auto bad = producer::ProducerConfig::parse(
            clientProps(cluster_->bootstrapServers(), certs_.path("ca.pem"), "wrong-" + kPassword));
        QVERIFY(bad.ok());
        auto badProducer = producer::KafkaProducer::create(*bad);
        QVERIFY(badProducer.ok());
        auto refused =
            (*badProducer)->send({"secure", 0, std::string("k"), std::string("v"), {}, {}}).get();
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("uthentication") != std::string::npos,
                 refused.error().message.c_str());
        shown += refused.error().message + "\n";
        (*badProducer)->close(std::chrono::milliseconds(0));

        spdlog::default_logger()->flush();
        shown += logs_.str();
        QVERIFY2(!logs_.str().empty(), "nothing was logged: the check below would prove nothing");
        QVERIFY2(shown.find(kPassword) == std::string::npos, "the password was shown");
    }

    void cleanupTestCase() {
        if (cluster_) QVERIFY(cluster_->stop().ok());
    }
};

QTEST_GUILESS_MAIN(SecureSessionTest)
#include "test_secure_session.moc"
