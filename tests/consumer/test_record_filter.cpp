// The inspector's search conditions (core/consumer/record_filter.h): key exact and substring,
// value substring and regular expression, header name and value, JSON path, timestamp range,
// all ANDed; bad regexes and JSON paths are errors naming the expression and the column.

#include <QtTest>
#include <string>

#include "consumer/record_filter.h"

using namespace bs;
using namespace bs::consumer;

namespace {

Bytes bytes(const std::string& s) {
    return Bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// A record viewing strings that outlive it.
struct Rec {
    using Headers = std::vector<std::pair<std::string, std::optional<std::string>>>;
    Rec(std::optional<std::string> k, std::optional<std::string> v, Headers h = {})
        : key(std::move(k)), value(std::move(v)), headers(std::move(h)) {}
    std::optional<std::string> key, value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    int64_t timestamp = 1000;
    std::vector<Header> views;
    ConsumerRecord get() {
        views.clear();
        for (const auto& [k, v] : headers)
            views.push_back({k, v ? std::optional(bytes(*v)) : std::nullopt});
        ConsumerRecord r;
        r.timestamp = timestamp;
        if (key) r.key = bytes(*key);
        if (value) r.value = bytes(*value);
        r.headers = views;
        return r;
    }
};

template <class F>
RecordFilterSpec with(F set) {
    RecordFilterSpec s;
    set(s);
    return s;
}

bool match(const RecordFilterSpec& spec, Rec rec) {
    auto f = RecordFilter::create(spec);
    if (!f) qFatal("%s", f.error().message.c_str());
    return f->matches(rec.get());
}

bool path(const std::string& expr, const std::string& json) {
    auto p = JsonPath::parse(expr);
    if (!p) qFatal("%s", p.error().message.c_str());
    return p->matches(json);
}

std::string pathError(const std::string& expr) {
    auto p = JsonPath::parse(expr);
    return p ? std::string() : p.error().message;
}

}  // namespace

class TestRecordFilter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void keyExactAndSubstring() {
        RecordFilterSpec s;
        s.keyEquals = "order-42";
        QVERIFY(match(s, {"order-42", "v"}));
        QVERIFY(!match(s, {"order-421", "v"}));
        QVERIFY(!match(s, {std::nullopt, "v"}));
        s = {};
        s.keyContains = "der-4";
        QVERIFY(match(s, {"order-42", "v"}));
        QVERIFY(!match(s, {"user-4", "v"}));
        QVERIFY(match(RecordFilterSpec{}, {std::nullopt, std::nullopt}));  // empty spec: all
    }

    void valueSubstringAndRegex() {
        RecordFilterSpec s;
        s.valueContains = "needle";
        QVERIFY(match(s, {"k", "hay needle hay"}));
        QVERIFY(!match(s, {"k", "hay"}));
        QVERIFY(!match(s, {"k", std::nullopt}));
        s = {};
        s.valueRegex = R"(^id=\d{3}-[a-z]+$)";
        QVERIFY(match(s, {"k", "id=123-abc"}));
        QVERIFY(!match(s, {"k", "id=12-abc"}));
        // Binary bytes around ASCII text still match.
        QVERIFY(match(with([](RecordFilterSpec& s) { s.valueRegex = "x[0-9]"; }),
                      {"k", std::string("\xff\x00x7", 4)}));
        // A megabyte of text: no recursion per character.
        QVERIFY(match(with([](RecordFilterSpec& s) { s.valueRegex = "a.*b$"; }),
                      {"k", std::string(1 << 20, 'a') + "b"}));
    }

    void headersByNameAndValue() {
        Rec r{"k", "v", {{"trace", "abc-1"}, {"src", std::nullopt}, {"tenant", "blue"}}};
        QVERIFY(match(with([](RecordFilterSpec& s) { s.headerName = "src"; }), r));
        QVERIFY(!match(with([](RecordFilterSpec& s) { s.headerName = "nope"; }), r));
        QVERIFY(match(with([](RecordFilterSpec& s) {
                          s.headerName = "trace";
                          s.headerValue = "bc-";
                      }),
                      r));
        QVERIFY(!match(with([](RecordFilterSpec& s) {
                           s.headerName = "trace";
                           s.headerValue = "blue";
                       }),
                       r));
        QVERIFY(match(with([](RecordFilterSpec& s) { s.headerValue = "blue"; }), r));  // any header
        QVERIFY(!match(with([](RecordFilterSpec& s) { s.headerValue = "green"; }), r));
    }

    void timestampRangeIsInclusive() {
        RecordFilterSpec s;
        s.timestampFrom = 100;
        s.timestampTo = 200;
        Rec r{"k", "v"};
        for (auto [ts, want] : {std::pair{99, false}, {100, true}, {200, true}, {201, false}}) {
            r.timestamp = ts;
            QCOMPARE(match(s, r), want);
        }
        QVERIFY(!RecordFilter::create(with([](RecordFilterSpec& s) {
            s.timestampFrom = 5;
            s.timestampTo = 4;
        })));
    }

    void conditionsAreAnded() {
        RecordFilterSpec s;
        s.keyContains = "order";
        s.jsonPath = "$.qty > 2";
        QVERIFY(match(s, {"order-1", R"({"qty": 3})"}));
        QVERIFY(!match(s, {"order-1", R"({"qty": 1})"}));
        QVERIFY(!match(s, {"user-1", R"({"qty": 3})"}));
    }

    void jsonPathSubset() {
        const std::string doc =
            R"({"order": {"id": 42, "items": [{"sku": "a-1"}, {"sku": "b-2"}], "note": "rush order",
                "tags": ["x", 7], "price": 9.5, "gift": false, "by": null, "a.b": 1}})";
        QVERIFY(path("$.order.id == 42", doc));
        QVERIFY(path("$.order.id == 42.0", doc));
        QVERIFY(!path("$.order.id == \"42\"", doc));
        QVERIFY(path("$.order.id != 41", doc));
        QVERIFY(path("$.order.items[1].sku == \"b-2\"", doc));
        QVERIFY(!path("$.order.items[2].sku == \"b-2\"", doc));
        QVERIFY(path("$.order.items[2].sku != \"b-2\"", doc));  // missing: only != holds
        QVERIFY(path("$.order.price < 10", doc));
        QVERIFY(path("$.order.price <= 9.5", doc));
        QVERIFY(!path("$.order.price > 9.5", doc));
        QVERIFY(path("$.order.price >= 9.5", doc));
        QVERIFY(!path("$.order.note < 5", doc));  // string vs number: no order
        QVERIFY(path("$.order.note contains \"rush\"", doc));
        QVERIFY(path("$.order.tags contains 7", doc));
        QVERIFY(!path("$.order.tags contains \"y\"", doc));
        QVERIFY(path("$.order.gift == false", doc));
        QVERIFY(path("$.order.by == null", doc));
        QVERIFY(path("$.order[\"a.b\"] == 1", doc));
        QVERIFY(path("$.order.id", doc));   // exists
        QVERIFY(!path("$.order.by", doc));  // null: not there
        QVERIFY(!path("$.order.zip", doc));
        QVERIFY(!path("$.order.id == 42", "not json"));
        QVERIFY(path("$[0] == 1", "[1, 2]"));
    }

    void badExpressionsNameThemselves() {
        QCOMPARE(
            pathError("order.id == 42"),
            std::string("JSON path 'order.id == 42': expected '$' (the document) at column 1"));
        QCOMPARE(
            pathError("$.order. == 1"),
            std::string("JSON path '$.order. == 1': expected a field name after '.' at column 9"));
        QCOMPARE(pathError("$.a[x]"), std::string("JSON path '$.a[x]': expected an array index (0, "
                                                  "1, ...) or a \"name\" at column 5"));
        QCOMPARE(pathError("$.a = 1"),
                 std::string("JSON path '$.a = 1': expected '.', '[' or an operator (== != < <= > "
                             ">= contains) at column 5"));
        QVERIFY(pathError("$.a == ").find("expected a JSON value") != std::string::npos);
        QVERIFY(pathError("$.a == {\"x\":1}").find("expected a JSON value") != std::string::npos);
        QVERIFY(pathError("$.a[1").find("expected ']'") != std::string::npos);

        auto bad =
            RecordFilter::create(with([](RecordFilterSpec& s) { s.valueRegex = "(unclosed"; }));
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.starts_with("regular expression '(unclosed': "),
                 bad.error().message.c_str());
        auto badPath =
            RecordFilter::create(with([](RecordFilterSpec& s) { s.jsonPath = "$.x ==="; }));
        QVERIFY(!badPath);
        QVERIFY(badPath.error().message.starts_with("JSON path '$.x ===': "));
    }
};

QTEST_MAIN(TestRecordFilter)
#include "test_record_filter.moc"
