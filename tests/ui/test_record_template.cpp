// The composer's templates: each expression expands as documented (ui/record_template.h), per
// record; a bad expression is an error naming it and nothing is built from the draft.

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <set>

#include "record_draft.h"
#include "record_template.h"

using namespace bs::ui;

namespace {
constexpr qint64 kNow = 1796558400123;  // 2026-12-06T12:00:00.123Z

QString expand(const QString& text, qint64 n = 7, QRandomGenerator* rng = nullptr) {
    auto r = expandTemplates(text, TemplateContext{n, kNow, rng});
    return r ? *r : QStringLiteral("ERROR ") + QString::fromStdString(r.error().message);
}

QString error(const QString& text) {
    auto r = expandTemplates(text, TemplateContext{1, kNow, nullptr});
    return r ? QString() : QString::fromStdString(r.error().message);
}
}  // namespace

class TestRecordTemplate : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void existingTemplatesExpand() {
        QCOMPARE(expand(QStringLiteral("user-${n}")), QStringLiteral("user-7"));
        QCOMPARE(expand(QStringLiteral("${time}")), QString::number(kNow));
        const QString u = expand(QStringLiteral("${uuid} ${uuid}"));
        const QRegularExpression uuid(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
        const QStringList parts = u.split(QLatin1Char(' '));
        QCOMPARE(parts.size(), 2);
        QVERIFY2(uuid.match(parts[0]).hasMatch(), qPrintable(u));
        QVERIFY(parts[0] != parts[1]);  // each occurrence its own
        QCOMPARE(expand(QStringLiteral("no templates, $5 and {braces}")),
                 QStringLiteral("no templates, $5 and {braces}"));
        QCOMPARE(expand(QStringLiteral("literal $${n} and ${n}")),
                 QStringLiteral("literal ${n} and 7"));
    }

    void nowIsoIsUtcWithMilliseconds() {
        QCOMPARE(expand(QStringLiteral("at ${now.iso}")),
                 QStringLiteral("at 2026-12-06T12:00:00.123Z"));
    }

    void randomIntStaysInItsBoundsAndCoversThem() {
        QRandomGenerator rng(42);
        std::set<int> seen;
        for (int i = 0; i < 2000; ++i) {
            bool ok = false;
            const int v = expand(QStringLiteral("${random.int(-2, 3)}"), 1, &rng).toInt(&ok);
            QVERIFY(ok);
            QVERIFY(v >= -2 && v <= 3);
            seen.insert(v);
        }
        QCOMPARE(seen.size(), size_t(6));
        QCOMPARE(expand(QStringLiteral("${random.int(5,5)}")), QStringLiteral("5"));
        // The whole 64-bit range is allowed.
        bool ok = false;
        expand(QStringLiteral("${random.int(-9223372036854775808,9223372036854775807)}"))
            .toLongLong(&ok);
        QVERIFY(ok);
    }

    void randomChoicePicksEachAlternative() {
        QRandomGenerator rng(7);
        std::set<QString> seen;
        for (int i = 0; i < 300; ++i) {
            const QString v =
                expand(QStringLiteral("${random.choice(red|green|blue sky)}"), 1, &rng);
            QVERIFY2(v == QLatin1String("red") || v == QLatin1String("green") ||
                         v == QLatin1String("blue sky"),
                     qPrintable(v));
            seen.insert(v);
        }
        QCOMPARE(seen.size(), size_t(3));
    }

    void badTemplatesNameTheExpression() {
        QVERIFY(error(QStringLiteral("${random.int(5,1)}"))
                    .startsWith(QStringLiteral("${random.int(5,1)}: a (5) must not exceed b (1)")));
        QVERIFY(error(QStringLiteral("x ${foo} y")).startsWith(QStringLiteral("${foo}: unknown")));
        QVERIFY(error(QStringLiteral("${random.int(1)}"))
                    .startsWith(QStringLiteral("${random.int(1)}:")));
        QVERIFY(error(QStringLiteral("${random.int(a,2)}"))
                    .contains(QStringLiteral("'a' is not an integer")));
        QVERIFY(error(QStringLiteral("${random.choice()}")).contains(QStringLiteral("no choices")));
        QVERIFY(error(QStringLiteral("ok ${n} then ${n")).contains(QStringLiteral("closing '}'")));
        QCOMPARE(templateProblem(QStringLiteral("${random.int(5,1)}")),
                 error(QStringLiteral("${random.int(5,1)}")));
        QVERIFY(templateProblem(QStringLiteral("${n} ${random.choice(a|b)}")).isEmpty());
    }

    void draftWithBadTemplateBuildsNoRecord() {
        RecordDraft d;
        d.topic = QStringLiteral("demo");
        d.keyText = QStringLiteral("k-${n}");
        d.valueSerializer = QStringLiteral("string");
        d.valueText = QStringLiteral("v ${random.int(5,1)}");
        auto r = toRecord(d, 1, kNow);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("value: ${random.int(5,1)}"),
                 r.error().message.c_str());
        d.valueText = QStringLiteral("v");
        d.headers = {{QStringLiteral("h"), QStringLiteral("${bad}"), false}};
        r = toRecord(d, 1, kNow);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("header 'h': ${bad}"), r.error().message.c_str());
    }

    void draftExpandsPerRecordAndKeepsHexHeaderBytes() {
        RecordDraft d;
        d.topic = QStringLiteral("demo");
        d.keyText = QStringLiteral("k-${n}");
        d.valueSerializer = QStringLiteral("json");
        d.valueText = QStringLiteral("{\"n\": ${n}, \"at\": \"${now.iso}\"}");
        d.headers = {{QStringLiteral("raw"), QStringLiteral("ff 00 c3 28"), true},
                     {QStringLiteral("txt"), QStringLiteral("n=${n}"), false}};
        auto r = toRecord(d, 3, kNow);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const auto& key = std::get<std::vector<uint8_t>>(r->key);
        const auto& value = std::get<std::vector<uint8_t>>(r->value);
        QCOMPARE(std::string(key.begin(), key.end()), std::string("k-3"));
        QCOMPARE(std::string(value.begin(), value.end()),
                 std::string("{\"n\": 3, \"at\": \"2026-12-06T12:00:00.123Z\"}"));
        QCOMPARE(r->headers.size(), size_t(2));
        QCOMPARE(*r->headers[0].value, (std::vector<uint8_t>{0xff, 0x00, 0xc3, 0x28}));
        QCOMPARE(std::string(r->headers[1].value->begin(), r->headers[1].value->end()),
                 std::string("n=3"));
        d.headers[0].value = QStringLiteral("zz");
        r = toRecord(d, 1, kNow);
        QVERIFY(!r);
        QVERIFY2(r.error().message.starts_with("header 'raw': hex"), r.error().message.c_str());
    }
};

QTEST_MAIN(TestRecordTemplate)
#include "test_record_template.moc"
