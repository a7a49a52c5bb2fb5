// Our registry client (libcurl) and the Avro serializer against the embedded Schema Registry
// (in-process, real HTTP), beside confluent-kafka-python's SchemaRegistryClient: both get the
// same ids for the same schema; errors come back worded as the registry words them; an
// unreachable registry is a clear error; subject name strategies and auto.register.schemas /
// use.latest.version pick the schema as the Java serializer does.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "broker/broker_process.h"
#include "registry/registry_server.h"
#include "serde/schema_registry_client.h"
#include "serde/schema_serde.h"
#include "serde/wire_format.h"

using bs::registry::RegistryServer;
using bs::serde::SchemaRegistryClient;
using bs::serde::SchemaRegistryClientConfig;
using bs::serde::SchemaSerializer;
using bs::test::runTool;
using nlohmann::json;

namespace {

const char* kUser =
    R"({"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"}]})";
const char* kUser2 =
    R"({"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]})";

const char* kPython = R"(
import sys
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
c = SchemaRegistryClient({'url': sys.argv[1]})
if sys.argv[2] == 'register':
    print(c.register_schema(sys.argv[3], Schema(sys.argv[4], 'AVRO')))
else:
    print(c.get_schema(int(sys.argv[3])).schema_str)
)";

// The same for any schemaType: "register" SUBJECT SCHEMA TYPE prints the id, "get" ID prints
// the type, a space and the schema text.
const char* kPythonTyped = R"(
import sys
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema
c = SchemaRegistryClient({'url': sys.argv[1]})
if sys.argv[2] == 'register':
    print(c.register_schema(sys.argv[3], Schema(sys.argv[4], sys.argv[5])))
else:
    s = c.get_schema(int(sys.argv[3]))
    print(s.schema_type, s.schema_str)
)";

const char* kProto = "syntax = \"proto3\";\npackage demo;\nmessage Ping {\n  string id = 1;\n}\n";
const char* kJsonSchema =
    "{\"title\": \"demo.Ping\", \"type\": \"object\", \"properties\": {\"id\": {\"type\": "
    "\"string\"}}, \"required\": [\"id\"]}";

std::unique_ptr<RegistryServer> startRegistry(const QTemporaryDir& dir) {
    bs::registry::RegistryServerConfig c;
    c.file = (dir.path() + "/schemas.json").toStdString();
    auto r = RegistryServer::start(c);
    if (!r) qFatal("%s", r.error().message.c_str());
    return std::move(*r);
}

std::shared_ptr<SchemaRegistryClient> client(const std::string& url) {
    auto config = SchemaRegistryClientConfig::fromProperties({{"schema.registry.url", url}});
    if (!config) qFatal("%s", config.error().message.c_str());
    return std::make_shared<SchemaRegistryClient>(*config);
}

}  // namespace

class SchemaRegistryClientTest : public QObject {
    Q_OBJECT

  private slots:
    void sameIdsAsConfluentsClient() {
        QTemporaryDir dir;
        auto server = startRegistry(dir);
        auto ours = client(server->url());
        // Python registers first; we register the same schema in another subject.
        auto py = runTool("/usr/bin/python3", {"-c", kPython, QString::fromStdString(server->url()),
                                               "register", "py-value", kUser});
        QVERIFY2(py.exitCode == 0, py.err.constData());
        auto id = ours->registerSchema("ours-value", kUser);
        QVERIFY2(id, id ? "" : id.error().message.c_str());
        QCOMPARE(QByteArray::number(*id), py.out.trimmed());
        // We register a new one; Python reads it by our id.
        auto id2 = ours->registerSchema("ours-value", kUser2);
        QVERIFY(id2);
        QCOMPARE(*id2, *id + 1);
        py = runTool("/usr/bin/python3", {"-c", kPython, QString::fromStdString(server->url()),
                                          "get", QString::number(*id2)});
        QCOMPARE(json::parse(py.out.trimmed().toStdString()), json::parse(kUser2));
        // Python registers our second schema under its subject: the same id again.
        py = runTool("/usr/bin/python3", {"-c", kPython, QString::fromStdString(server->url()),
                                          "register", "py-value", kUser2});
        QCOMPARE(py.out.trimmed(), QByteArray::number(*id2));

        auto subjects = ours->subjects();
        QVERIFY(subjects);
        QCOMPARE(*subjects, (std::vector<std::string>{"ours-value", "py-value"}));
        auto versions = ours->versions("ours-value");
        QVERIFY(versions);
        QCOMPARE(*versions, (std::vector<int32_t>{1, 2}));
        auto latest = ours->version("ours-value", -1);
        QVERIFY(latest);
        QCOMPARE(latest->version, 2);
        QCOMPARE(latest->id, *id2);
        auto byId = ours->schemaById(*id);
        QVERIFY(byId);
        QCOMPARE(json::parse(byId->schema), json::parse(kUser));
        QCOMPARE(byId->schemaType, std::string("AVRO"));
        auto found = ours->lookup("py-value", kUser);
        QVERIFY(found);
        QCOMPARE(found->version, 1);
    }

    void protobufAndJsonSchemaIdsAsConfluentsClient() {
        QTemporaryDir dir;
        auto server = startRegistry(dir);
        const QString url = QString::fromStdString(server->url());
        auto py = [&](const QStringList& args) {
            auto r = runTool("/usr/bin/python3", QStringList{"-c", kPythonTyped, url} + args);
            if (r.exitCode != 0) qWarning("python: %s", r.err.constData());
            return r.out.trimmed();
        };
        for (const auto& [format, text, type] :
             {std::tuple{bs::serde::SchemaFormat::Protobuf, kProto, "PROTOBUF"},
              std::tuple{bs::serde::SchemaFormat::JsonSchema, kJsonSchema, "JSON"}}) {
            // Python registers first, under its subject.
            const QByteArray pyId = py({"register", QString("py-") + type, text, type});
            QVERIFY(!pyId.isEmpty());
            // Our serializer registers the same schema under the topic's subject: the same id.
            auto s = SchemaSerializer::create(
                format, {{"schema.registry.url", server->url()}, {"value.schema", text}}, false,
                std::string("pings-") + type, client(server->url()));
            QVERIFY2(s, s ? "" : s.error().message.c_str());
            QCOMPARE(QByteArray::number((*s)->schemaId()), pyId);
            // Python fetches it back by that id, with its type.
            const QByteArray got = py({"get", QString::fromLatin1(pyId)});
            QVERIFY2(got.startsWith(QByteArray(type) + " "), got.constData());
            const std::string schemaText = got.mid(int(strlen(type)) + 1).toStdString();
            if (std::string(type) == "JSON") {
                QCOMPARE(json::parse(schemaText), json::parse(kJsonSchema));
            } else {
                QCOMPARE(QByteArray::fromStdString(schemaText), QByteArray(kProto).trimmed());
            }
            // Python registering ours again: still the same id.
            QCOMPARE(py({"register", QString("again-") + type, text, type}), pyId);
        }
        // Our client reads the types back; the subject's type cannot change.
        auto ours = client(server->url());
        auto latest = ours->version("pings-PROTOBUF-value", -1);
        QVERIFY(latest);
        QCOMPARE(latest->schemaType, std::string("PROTOBUF"));
        auto mismatch = ours->registerSchema("py-PROTOBUF", kJsonSchema, "JSON");
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().message.find("TYPE_MISMATCH") != std::string::npos,
                 mismatch.error().message.c_str());
        // An unparsable .proto is refused as Confluent's registry refuses it.
        auto invalid = ours->registerSchema("bad-value", "message {", "PROTOBUF");
        QVERIFY(!invalid);
        QVERIFY2(invalid.error().message.ends_with("; error code: 42201"),
                 invalid.error().message.c_str());
    }

    void errorsAsTheRegistryWordsThem() {
        QTemporaryDir dir;
        auto server = startRegistry(dir);
        auto ours = client(server->url());
        auto missing = ours->versions("nobody");
        QVERIFY(!missing);
        QCOMPARE(missing.error().message,
                 std::string("schema registry: Subject 'nobody' not found.; error code: 40401"));
        QVERIFY(ours->registerSchema("u-value", kUser));
        auto incompatible = ours->registerSchema(
            "u-value",
            R"({"type":"record","name":"User","namespace":"demo","fields":[{"name":"name","type":"string"},{"name":"email","type":"string"}]})");
        QVERIFY(!incompatible);
        QVERIFY2(incompatible.error().message.starts_with(
                     "schema registry: Schema being registered is incompatible with an earlier "
                     "schema for subject \"u-value\""),
                 incompatible.error().message.c_str());
        QVERIFY(incompatible.error().message.ends_with("; error code: 409"));
        auto unknownId = ours->schemaById(999);
        QVERIFY(!unknownId);
        QCOMPARE(unknownId.error().message,
                 std::string("schema registry: Schema 999 not found; error code: 40403"));

        QVERIFY(ours->schemaById(1));  // now cached
        // A registry that is not there.
        const std::string url = server->url();
        server->stop();
        auto gone = client(url)->subjects();
        QVERIFY(!gone);
        QVERIFY2(gone.error().message.starts_with("schema registry " + url + " unreachable: "),
                 gone.error().message.c_str());
        // The id cached before is still served (ids never change their schema).
        QVERIFY(ours->schemaById(1));
    }

    void configurationErrorsNameTheKey() {
        using C = SchemaRegistryClientConfig;
        QCOMPARE(C::fromProperties({}).error().message,
                 std::string("schema.registry.url is required by the Schema Registry serializers"));
        QVERIFY(!C::fromProperties({{"schema.registry.url", "localhost:8081"}}));
        auto source = C::fromProperties({{"schema.registry.url", "http://h:1"},
                                         {"basic.auth.credentials.source", "SASL_INHERIT"}});
        QVERIFY(!source);
        QVERIFY(source.error().message.starts_with("basic.auth.credentials.source"));
        QVERIFY(!C::fromProperties({{"schema.registry.url", "http://h:1"},
                                    {"basic.auth.credentials.source", "USER_INFO"}}));
        auto ok = C::fromProperties({{"schema.registry.url", "http://h:1/,http://h:2"},
                                     {"basic.auth.credentials.source", "USER_INFO"},
                                     {"basic.auth.user.info", "fred:letmein"}});
        QVERIFY(ok);
        QCOMPARE(ok->url, std::string("http://h:1"));
    }

    // basic.auth.user.info reaches the registry as HTTP Basic authentication (a Python HTTP
    // server stands in for a secured registry and answers with what it was sent).
    void basicAuthUserInfo() {
        const char* server = R"(
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps([self.headers.get('Authorization', 'none')]).encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.handle_request()
)";
        QProcess p;
        p.start("/usr/bin/python3", {"-c", server});
        QVERIFY(p.waitForStarted(10000));
        QVERIFY(p.waitForReadyRead(20000));
        const QByteArray port = p.readLine().trimmed();
        auto config = SchemaRegistryClientConfig::fromProperties(
            {{"schema.registry.url", "http://127.0.0.1:" + port.toStdString()},
             {"basic.auth.credentials.source", "USER_INFO"},
             {"basic.auth.user.info", "fred:letmein"}});
        QVERIFY(config);
        auto subjects = SchemaRegistryClient(*config).subjects();
        QVERIFY2(subjects, subjects ? "" : subjects.error().message.c_str());
        // base64("fred:letmein")
        QCOMPARE(subjects->front(), std::string("Basic ZnJlZDpsZXRtZWlu"));
        QVERIFY(p.waitForFinished(10000));
    }

    void serializerSubjectsAndSchemaChoice() {
        QTemporaryDir dir;
        auto server = startRegistry(dir);
        auto registry = client(server->url());
        using Props = std::map<std::string, std::string>;
        const auto format = bs::serde::SchemaFormat::Avro;
        // TopicNameStrategy: orders-value, auto-registered.
        auto s = SchemaSerializer::create(format, Props{{"value.schema", kUser}}, false, "orders",
                                          registry);
        QVERIFY2(s, s ? "" : s.error().message.c_str());
        QCOMPARE((*s)->subject(), std::string("orders-value"));
        auto bytes = (*s)->serialize(R"({"name": "ann"})");
        QVERIFY(bytes);
        auto framed = bs::serde::unframe(bytes->data(), bytes->size());
        QVERIFY(framed);
        QCOMPARE(framed->schemaId, (*s)->schemaId());
        // RecordNameStrategy and TopicRecordNameStrategy (class names too); key subjects.
        s = SchemaSerializer::create(
            format,
            Props{{"key.schema", kUser},
                  {"key.subject.name.strategy",
                   "io.confluent.kafka.serializers.subject.RecordNameStrategy"}},
            true, "orders", registry);
        QVERIFY(s);
        QCOMPARE((*s)->subject(), std::string("demo.User"));
        s = SchemaSerializer::create(
            format,
            Props{{"value.schema", kUser},
                  {"value.subject.name.strategy", "TopicRecordNameStrategy"}},
            false, "orders", registry);
        QVERIFY(s);
        QCOMPARE((*s)->subject(), std::string("orders-demo.User"));
        // auto.register.schemas=false: a schema the subject lacks is refused by the lookup.
        s = SchemaSerializer::create(
            format, Props{{"value.schema", kUser2}, {"auto.register.schemas", "false"}}, false,
            "orders", registry);
        QVERIFY(!s);
        QCOMPARE(s.error().message,
                 std::string("schema registry: Schema not found; error code: 40403"));
        // use.latest.version: the subject's latest schema, whatever value.schema says.
        QVERIFY(registry->registerSchema("orders-value", kUser2));
        s = SchemaSerializer::create(format,
                                     Props{{"value.schema", kUser},
                                           {"auto.register.schemas", "false"},
                                           {"use.latest.version", "true"}},
                                     false, "orders", registry);
        QVERIFY(s);
        auto latest = registry->version("orders-value", -1);
        QCOMPARE((*s)->schemaId(), latest->id);
        // value.schema.id: that schema, fetched by id; an unknown id is refused.
        s = SchemaSerializer::create(format, Props{{"value.schema.id", std::to_string(latest->id)}},
                                     false, "orders", registry);
        QVERIFY(s);
        QVERIFY((*s)->serialize(R"({"name": "bo", "age": 3})"));
        s = SchemaSerializer::create(format, Props{{"value.schema.id", "4242"}}, false, "orders",
                                     registry);
        QVERIFY(!s);
        QVERIFY(s.error().message.find("Schema 4242 not found") != std::string::npos);
        s = SchemaSerializer::create(format, Props{}, false, "orders", registry);
        QVERIFY(!s);
        QVERIFY(s.error().message.find("value.schema") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(SchemaRegistryClientTest)
#include "test_schema_registry_client.moc"
