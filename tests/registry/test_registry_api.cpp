// The embedded Schema Registry's REST API on its store, without sockets: ids shared across
// subjects, versions, lookup, soft and permanent delete, compatibility levels and the errors
// worded as Confluent's registry words them, persistence across a reopen, and bad requests.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "registry/registry_api.h"
#include "registry/schema_store.h"

using bs::registry::handleRegistryRequest;
using bs::registry::RestResponse;
using bs::registry::SchemaStore;
using nlohmann::json;

namespace {

const char* kUserV1 =
    R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"}]})";
// Adds a field with a default: BACKWARD compatible with v1.
const char* kUserV2 = R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},)"
                      R"({"name":"age","type":"int","default":0}]})";
// Adds a field without a default: not BACKWARD compatible.
const char* kUserBad =
    R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},)"
    R"({"name":"email","type":"string"}]})";

std::string body(const char* schema) {
    return json{{"schema", schema}}.dump();
}

json parse(const RestResponse& r) {
    return json::parse(r.body);
}

}  // namespace

class RegistryApiTest : public QObject {
    Q_OBJECT

    std::unique_ptr<SchemaStore> open(const QString& dir) {
        auto s = SchemaStore::open((dir + "/schemas.json").toStdString());
        if (!s) qFatal("%s", s.error().message.c_str());
        return std::move(*s);
    }
    RestResponse call(SchemaStore& s, const char* method, const std::string& target,
                      const std::string& b = "") {
        return handleRegistryRequest(s, method, target, b);
    }

  private slots:
    void registerFetchAndLookup() {
        QTemporaryDir dir;
        auto store = open(dir.path());
        auto r = call(*store, "POST", "/subjects/users-value/versions", body(kUserV1));
        QCOMPARE(r.status, 200);
        QCOMPARE(parse(r), json({{"id", 1}}));
        // The same schema (other whitespace) in another subject: the same id, version 1 there.
        const std::string spaced =
            R"({ "type": "record", "name": "User", "fields": [ {"name": "name", "type": "string"} ] })";
        r = call(*store, "POST", "/subjects/other/versions", json{{"schema", spaced}}.dump());
        QCOMPARE(parse(r)["id"], 1);
        // Registering it again in the same subject: no new version.
        r = call(*store, "POST", "/subjects/users-value/versions", body(kUserV1));
        QCOMPARE(parse(r)["id"], 1);
        r = call(*store, "POST", "/subjects/users-value/versions", body(kUserV2));
        QCOMPARE(parse(r)["id"], 2);

        QCOMPARE(parse(call(*store, "GET", "/subjects")), json({"other", "users-value"}));
        QCOMPARE(parse(call(*store, "GET", "/subjects/users-value/versions")), json({1, 2}));
        auto latest = parse(call(*store, "GET", "/subjects/users-value/versions/latest"));
        QCOMPARE(latest["version"], 2);
        QCOMPARE(latest["id"], 2);
        QCOMPARE(latest["subject"], "users-value");
        QCOMPARE(json::parse(latest["schema"].get<std::string>()), json::parse(kUserV2));
        QVERIFY(!latest.contains("schemaType"));  // AVRO is left out, as Confluent does
        QCOMPARE(
            json::parse(parse(call(*store, "GET", "/schemas/ids/1"))["schema"].get<std::string>()),
            json::parse(kUserV1));
        auto found =
            parse(call(*store, "POST", "/subjects/other", json{{"schema", spaced}}.dump()));
        QCOMPARE(found["id"], 1);
        QCOMPARE(found["version"], 1);
        // URL-encoded subject names are decoded.
        QCOMPARE(parse(call(*store, "GET", "/subjects/users%2Dvalue/versions")), json({1, 2}));
    }

    void errorsAreWordedAsConfluents() {
        QTemporaryDir dir;
        auto store = open(dir.path());
        auto r = call(*store, "GET", "/subjects/x/versions");
        QCOMPARE(r.status, 404);
        QCOMPARE(parse(r), json({{"error_code", 40401}, {"message", "Subject 'x' not found."}}));
        r = call(*store, "GET", "/schemas/ids/42");
        QCOMPARE(parse(r), json({{"error_code", 40403}, {"message", "Schema 42 not found"}}));
        (void)call(*store, "POST", "/subjects/u/versions", body(kUserV1));
        r = call(*store, "GET", "/subjects/u/versions/7");
        QCOMPARE(parse(r), json({{"error_code", 40402}, {"message", "Version 7 not found."}}));
        r = call(*store, "GET", "/subjects/u/versions/zero");
        QCOMPARE(r.status, 422);
        QCOMPARE(parse(r)["error_code"], 42202);
        r = call(*store, "POST", "/subjects/u", body(kUserV2));
        QCOMPARE(parse(r), json({{"error_code", 40403}, {"message", "Schema not found"}}));
        // Not Avro: 42201 naming avro-c's reason.
        r = call(*store, "POST", "/subjects/u/versions",
                 body(R"({"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]})"));
        QCOMPARE(r.status, 422);
        QCOMPARE(parse(r)["error_code"], 42201);
        QVERIFY2(parse(r)["message"].get<std::string>().starts_with("Invalid schema"),
                 r.body.c_str());
        // Not JSON at all, a body too, an unknown path: 4xx, never a throw.
        r = call(*store, "POST", "/subjects/u/versions", "{not json");
        QCOMPARE(r.status, 400);
        r = call(*store, "POST", "/subjects/u/versions", "[1,2]");
        QCOMPARE(r.status, 422);
        r = call(*store, "PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
        QCOMPARE(r.status, 422);
        QCOMPARE(parse(r)["error_code"], 42203);
        QCOMPARE(call(*store, "GET", "/nowhere").status, 404);
        QCOMPARE(parse(call(*store, "GET", "/config/u"))["error_code"], 40408);
    }

    void compatibilityBackwardByDefault() {
        QTemporaryDir dir;
        auto store = open(dir.path());
        QCOMPARE(parse(call(*store, "GET", "/config")), json({{"compatibilityLevel", "BACKWARD"}}));
        (void)call(*store, "POST", "/subjects/u/versions", body(kUserV1));
        auto r = call(*store, "POST", "/subjects/u/versions", body(kUserBad));
        QCOMPARE(r.status, 409);
        QCOMPARE(parse(r)["error_code"], 409);
        const std::string message = parse(r)["message"];
        QVERIFY2(message.starts_with("Schema being registered is incompatible with an earlier "
                                     "schema for subject \"u\""),
                 message.c_str());
        QVERIFY2(message.find("READER_FIELD_MISSING_DEFAULT_VALUE") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("'email'") != std::string::npos, message.c_str());
        auto test = parse(
            call(*store, "POST", "/compatibility/subjects/u/versions/latest", body(kUserBad)));
        QCOMPARE(test["is_compatible"], false);
        // A type change that cannot be promoted (string -> int) is refused too; int -> long is
        // fine.
        const char* intAge =
            R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":1}]})";
        const char* longAge =
            R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"long","default":1}]})";
        QCOMPARE(call(*store, "POST", "/subjects/u/versions", body(intAge)).status, 200);
        QCOMPARE(call(*store, "POST", "/subjects/u/versions", body(longAge)).status, 200);
        // (long -> int is not a promotion; intAge itself is already a version, so its id comes
        // back without a check, as Confluent does.)
        const char* intAge2 =
            R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":2}]})";
        QCOMPARE(call(*store, "POST", "/subjects/u/versions", body(intAge)).status, 200);
        r = call(*store, "POST", "/subjects/u/versions", body(intAge2));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.body.find("TYPE_MISMATCH") != std::string::npos, r.body.c_str());

        // NONE on the subject lets it through; the global level stays BACKWARD.
        r = call(*store, "PUT", "/config/u", R"({"compatibility":"none"})");
        QCOMPARE(parse(r), json({{"compatibility", "NONE"}}));
        QCOMPARE(call(*store, "POST", "/subjects/u/versions", body(kUserBad)).status, 200);
        QCOMPARE(parse(call(*store, "GET", "/config"))["compatibilityLevel"], "BACKWARD");

        // Enum symbols removed: the reader lacks a writer symbol.
        (void)call(*store, "POST", "/subjects/e/versions",
                   body(R"({"type":"enum","name":"Colour","symbols":["RED","GREEN"]})"));
        r = call(*store, "POST", "/subjects/e/versions",
                 body(R"({"type":"enum","name":"Colour","symbols":["RED"]})"));
        QCOMPARE(r.status, 409);
        QVERIFY(r.body.find("MISSING_ENUM_SYMBOLS") != std::string::npos);
    }

    void protobufAndJsonSchemas() {
        QTemporaryDir dir;
        auto store = open(dir.path());
        const std::string proto = "syntax = \"proto3\";\npackage p;\nmessage M { string a = 1; }\n";
        auto typed = [](const std::string& schema, const char* type) {
            return json{{"schema", schema}, {"schemaType", type}}.dump();
        };
        auto r = call(*store, "POST", "/subjects/m-value/versions", typed(proto, "PROTOBUF"));
        QCOMPARE(r.status, 200);
        const int protoId = parse(r)["id"].get<int>();
        // Re-registering the same text: the same id, no new version.
        r = call(*store, "POST", "/subjects/m-value/versions", typed(proto, "PROTOBUF"));
        QCOMPARE(parse(r)["id"].get<int>(), protoId);
        QCOMPARE(parse(call(*store, "GET", "/subjects/m-value/versions")), json({1}));
        const char* schema = R"({"type": "object", "properties": {"a": {"type": "string"}}})";
        r = call(*store, "POST", "/subjects/j-value/versions", typed(schema, "JSON"));
        QCOMPARE(r.status, 200);
        const int jsonId = parse(r)["id"].get<int>();
        QVERIFY(jsonId != protoId);

        // schemaType is returned for both (and omitted for Avro), after a reopen too.
        store.reset();
        store = open(dir.path());
        r = call(*store, "GET", "/schemas/ids/" + std::to_string(protoId));
        QCOMPARE(parse(r), json({{"schema", proto}, {"schemaType", "PROTOBUF"}}));
        r = call(*store, "GET", "/subjects/j-value/versions/latest");
        QCOMPARE(parse(r)["schemaType"], "JSON");
        QCOMPARE(json::parse(parse(r)["schema"].get<std::string>()), json::parse(schema));
        r = call(*store, "POST", "/subjects/x-value/versions", body(kUserV1));
        QVERIFY(
            !parse(call(*store, "GET", "/schemas/ids/" + std::to_string(parse(r)["id"].get<int>())))
                 .contains("schemaType"));

        // An unparsable .proto or JSON: 42201, naming where.
        r = call(*store, "POST", "/subjects/bad-value/versions",
                 typed("syntax = \"proto3\";\nmessage M { string a = ; }", "PROTOBUF"));
        QCOMPARE(r.status, 422);
        QCOMPARE(parse(r)["error_code"], 42201);
        QVERIFY2(parse(r)["message"].get<std::string>().starts_with(
                     "Invalid schema {schemaType=PROTOBUF}, details: line 2, column"),
                 r.body.c_str());
        r = call(*store, "POST", "/subjects/bad-value/versions", typed("{\"type\": ", "JSON"));
        QCOMPARE(r.status, 422);
        QCOMPARE(parse(r)["error_code"], 42201);

        // A subject's schemaType cannot change.
        r = call(*store, "POST", "/subjects/m-value/versions", typed(schema, "JSON"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.body.find("TYPE_MISMATCH") != std::string::npos, r.body.c_str());
    }

    void deleteAndPersist() {
        QTemporaryDir dir;
        {
            auto store = open(dir.path());
            (void)call(*store, "POST", "/subjects/u/versions", body(kUserV1));
            (void)call(*store, "POST", "/subjects/u/versions", body(kUserV2));
            (void)call(*store, "PUT", "/config", R"({"compatibility":"FULL"})");
            // Permanent delete before a soft one is refused.
            QCOMPARE(parse(call(*store, "DELETE",
                                "/subjects/u/versions/1?permanent=true"))["error_code"],
                     40407);
            QCOMPARE(parse(call(*store, "DELETE", "/subjects/u/versions/1")), json(1));
        }
        auto store = open(dir.path());
        QCOMPARE(parse(call(*store, "GET", "/subjects/u/versions")), json({2}));
        QCOMPARE(parse(call(*store, "GET", "/subjects/u/versions?deleted=true")), json({1, 2}));
        QCOMPARE(parse(call(*store, "GET", "/config"))["compatibilityLevel"], "FULL");
        // A deleted version's id still resolves; new ids continue after the old ones.
        QCOMPARE(call(*store, "GET", "/schemas/ids/1").status, 200);
        auto r = call(*store, "POST", "/subjects/v/versions", body(R"("string")"));
        QCOMPARE(parse(r)["id"], 3);
        QCOMPARE(parse(call(*store, "DELETE", "/subjects/u/versions/1?permanent=true")), json(1));
        QCOMPARE(parse(call(*store, "GET", "/subjects/u/versions?deleted=true")), json({2}));
    }

    void corruptFileIsAnError() {
        QTemporaryDir dir;
        QFile f(dir.path() + "/schemas.json");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"nextId\": ");
        f.close();
        auto s = SchemaStore::open((dir.path() + "/schemas.json").toStdString());
        QVERIFY(!s);
        QVERIFY2(s.error().message.find("is corrupt") != std::string::npos,
                 s.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(RegistryApiTest)
#include "test_registry_api.moc"
