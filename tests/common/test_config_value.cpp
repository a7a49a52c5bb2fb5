// Java's ConfigDef.parseType and its validators as both clients' key tables use them: what a
// value must look like for its type and bounds, and the error that names the key and the value.
#include <QtTest>

#include "common/config_value.h"

using namespace bs;

namespace {

std::string errorOf(const Result<ConfigValue>& r) {
    return r.ok() ? std::string("<accepted>") : r.error().message;
}

struct Sample {
    int32_t count = 7;
    bool on = false;
    std::string name = "x";
    std::vector<std::string> servers;
};

}  // namespace

class ConfigValueTest : public QObject {
    Q_OBJECT
  private slots:
    void numbersAreParsedStrictlyWithinTheirTypeAndBounds() {
        const ConfigBounds fromOne{1, 100};
        QCOMPARE(std::get<int64_t>(*parseConfigValue("k", ConfigType::Int, fromOne, " +5 ")),
                 int64_t{5});
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Int, fromOne, "12abc")),
                 std::string("invalid value '12abc' for configuration k: expected an int"));
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Int, {}, "2147483648")),
                 std::string("invalid value '2147483648' for configuration k: out of range for an "
                             "int"));
        QCOMPARE(std::get<int64_t>(*parseConfigValue("k", ConfigType::Long, {}, "2147483648")),
                 int64_t{2147483648});
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Long, {}, "99999999999999999999")),
                 std::string("invalid value '99999999999999999999' for configuration k: out of "
                             "range for a long"));
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Int, fromOne, "0")),
                 std::string("invalid value '0' for configuration k: must be at least 1"));
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Int, fromOne, "101")),
                 std::string("invalid value '101' for configuration k: must be at most 100"));
        QCOMPARE(errorOf(parseConfigValue("k", ConfigType::Long, {}, "")),
                 std::string("invalid value '' for configuration k: expected a long"));
    }

    void booleansTextAndLists() {
        QCOMPARE(std::get<bool>(*parseConfigValue("b", ConfigType::Boolean, {}, "TRUE")), true);
        QCOMPARE(errorOf(parseConfigValue("b", ConfigType::Boolean, {}, "yes")),
                 std::string("invalid value 'yes' for configuration b: expected true or false"));
        static constexpr std::string_view kModes[] = {"all", "none"};
        QCOMPARE(std::get<std::string>(
                     *parseConfigValue("m", ConfigType::String, {.validValues = kModes}, " all")),
                 std::string("all"));
        QCOMPARE(
            errorOf(parseConfigValue("m", ConfigType::String, {.validValues = kModes}, "ALL")),
            std::string("invalid value 'ALL' for configuration m: must be one of [all, none]"));
        // A case-insensitive key answers with the table's spelling.
        QCOMPARE(std::get<std::string>(*parseConfigValue(
                     "m", ConfigType::String, {.validValues = kModes, .ignoreCase = true}, "ALL")),
                 std::string("all"));
        QCOMPARE(std::get<std::vector<std::string>>(
                     *parseConfigValue("l", ConfigType::List, {}, " a , b ")),
                 (std::vector<std::string>{"a", "b"}));
        QVERIFY(std::get<std::vector<std::string>>(*parseConfigValue("l", ConfigType::List, {}, ""))
                    .empty());
        QCOMPARE(errorOf(parseConfigValue("l", ConfigType::List, {}, "a,,b")),
                 std::string("invalid value 'a,,b' for configuration l: empty list element"));
    }

    void hostPorts() {
        QVERIFY(validateHostPort("s", "broker:9092").ok());
        QVERIFY(validateHostPort("s", "[::1]:9092").ok());
        QCOMPARE(validateHostPort("s", "broker").message(),
                 std::string("invalid value 'broker' for configuration s: expected host:port"));
        QCOMPARE(validateHostPort("s", "broker:70000").message(),
                 std::string("invalid value 'broker:70000' for configuration s: port must be a "
                             "number 0..65535"));
        QCOMPARE(validateHostPort("s", "[::1:9092").message(),
                 std::string("invalid value '[::1:9092' for configuration s: unterminated [ipv6]"));
    }

    // A field's access stores the parsed value as the field's type and renders it back in the
    // key's syntax; bootstrap.servers' checks each entry.
    void fieldAccessStoresAndRenders() {
        Sample s;
        const auto count = fieldAccess<&Sample::count>();
        QVERIFY(count.set(s, ConfigValue{int64_t{42}}).ok());
        QCOMPARE(s.count, 42);
        QCOMPARE(count.get(s), std::string("42"));
        const auto on = fieldAccess<&Sample::on>();
        QVERIFY(on.set(s, ConfigValue{true}).ok());
        QCOMPARE(on.get(s), std::string("true"));
        const auto name = fieldAccess<&Sample::name>();
        QVERIFY(name.set(s, ConfigValue{std::string("y")}).ok());
        QCOMPARE(name.get(s), std::string("y"));
        const auto servers = bootstrapServersAccess<&Sample::servers>();
        QVERIFY(servers.set(s, ConfigValue{std::vector<std::string>{"a:1", "b:2"}}).ok());
        QCOMPARE(servers.get(s), std::string("a:1,b:2"));
        QCOMPARE(servers.set(s, ConfigValue{std::vector<std::string>{"a:1", "b"}}).message(),
                 std::string("invalid value 'b' for configuration bootstrap.servers: expected "
                             "host:port"));
    }
};

QTEST_GUILESS_MAIN(ConfigValueTest)
#include "test_config_value.moc"
