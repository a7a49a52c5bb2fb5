// Saved messages: the composer's record saved under a name as a readable JSON file in the
// user's data dir, listed, renamed, deleted, exported and imported as a collection; a new window
// (a new store reading the files) loads it and sends it with its templates evaluated, and the
// record read back by the topic inspector holds what was saved. A bad template sends nothing.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "models/deliveries_model.h"
#include "models/inspector_model.h"
#include "models/saved_messages.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"
#include "widgets/saved_messages_panel.h"
#include "widgets/topic_inspector.h"

using namespace bs::ui;

namespace {

constexpr int kWaitMs = 30000;

SavedMessage sample(const QString& name) {
    SavedMessage m;
    m.name = name;
    m.draft.topic = QStringLiteral("demo");
    m.draft.partition = 3;
    m.draft.keySerializer = QStringLiteral("string");
    m.draft.keyText = QStringLiteral("order-${n}");
    m.draft.valueSerializer = QStringLiteral("json");
    m.draft.valueText = QStringLiteral(
        "{\"qty\": ${random.int(40,42)}, \"colour\": \"${random.choice(red|blue)}\"}");
    m.draft.headers = {{QStringLiteral("trace"), QStringLiteral("t-${n}"), false},
                       {QStringLiteral("raw"), QStringLiteral("ff00c328"), true}};
    m.repeat = RepeatSettings{7, 2.5, true};
    return m;
}

std::string str(const std::optional<bs::consumer::Bytes>& b) {
    return b ? std::string(b->begin(), b->end()) : std::string("<null>");
}

}  // namespace

class TestSavedMessages : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QDir(SavedMessageStore::defaultDir()).removeRecursively();
    }
    void cleanupTestCase() { QDir(SavedMessageStore::defaultDir()).removeRecursively(); }

    void storeKeepsReadableFilesAndRoundTripsACollection() {
        QTemporaryDir dir;
        SavedMessageStore store(dir.path() + QStringLiteral("/a"));
        QVERIFY(store.save(sample(QStringLiteral("order"))));
        QVERIFY(store.save(sample(QStringLiteral("slash/and:colon"))));
        // A readable file per message, named after it.
        QFile f(store.fileOf(QStringLiteral("order")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("order"));
        QCOMPARE(o.value(QStringLiteral("key")).toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("order-${n}"));
        QVERIFY(QFileInfo(f).fileName() == QStringLiteral("order.json"));

        // Another store on the same folder sees the same messages, equal field by field.
        SavedMessageStore again(store.dir());
        const auto all = again.list();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0], sample(QStringLiteral("order")));
        QCOMPARE(all[1].name, QStringLiteral("slash/and:colon"));

        QVERIFY(again.rename(QStringLiteral("order"), QStringLiteral("order v2")));
        QVERIFY(!again.rename(QStringLiteral("order v2"), QStringLiteral("slash/and:colon")));
        QVERIFY(again.remove(QStringLiteral("slash/and:colon")));
        QCOMPARE(store.list().size(), 1);
        QCOMPARE(store.list()[0].name, QStringLiteral("order v2"));

        // Export, then import into an empty folder: the same messages.
        const QString collection = dir.path() + QStringLiteral("/collection.json");
        QVERIFY(store.save(sample(QStringLiteral("second"))));
        QVERIFY(store.exportTo(collection));
        SavedMessageStore other(dir.path() + QStringLiteral("/b"));
        auto names = other.importFrom(collection);
        QVERIFY2(names, names ? "" : names.error().message.c_str());
        QCOMPARE(*names, (QStringList{QStringLiteral("order v2"), QStringLiteral("second")}));
        QCOMPARE(other.list(), store.list());

        // A bad entry names itself, and nothing of the file is imported.
        QFile bad(dir.path() + QStringLiteral("/bad.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        QJsonObject broken = toJson(sample(QStringLiteral("broken")));
        broken.insert(QStringLiteral("value"),
                      QJsonObject{{QStringLiteral("serializer"), QStringLiteral("nope")}});
        bad.write(
            QJsonDocument(QJsonObject{{QStringLiteral("format"),
                                       QStringLiteral("batchscope.saved-messages/1")},
                                      {QStringLiteral("messages"),
                                       QJsonArray{toJson(sample(QStringLiteral("fine"))), broken}}})
                .toJson());
        bad.close();
        SavedMessageStore third(dir.path() + QStringLiteral("/c"));
        auto refused = third.importFrom(bad.fileName());
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error().message)
                     .contains(QStringLiteral(
                         "messages[1]: value.'serializer': unknown serializer 'nope'")),
                 refused.error().message.c_str());
        QVERIFY(third.list().isEmpty());
    }

    void savedInOneWindowIsSentFromTheNext() {
        const SavedMessage saved = sample(QStringLiteral("order"));
        {
            test::Harness h;
            auto* composer = h.window->findChild<RecordComposer*>();
            auto* panel = h.window->findChild<SavedMessagesPanel*>();
            QVERIFY(composer && panel);
            composer->setDraft(saved.draft);
            composer->setRepeatSettings(saved.repeat);
            child<QLineEdit>(panel, "savedName")->setText(QStringLiteral("order"));
            child<QToolButton>(panel, "saveMessage")->click();
            QCOMPARE(panel->names(), QStringList{QStringLiteral("order")});
            QVERIFY(QFile::exists(SavedMessageStore::defaultDir() + QStringLiteral("/order.json")));
        }

        // A new window: the list comes from the files.
        test::Harness h;
        QVERIFY(h.waitConnected());
        auto* composer = h.window->findChild<RecordComposer*>();
        auto* panel = h.window->findChild<SavedMessagesPanel*>();
        QCOMPARE(panel->names(), QStringList{QStringLiteral("order")});
        QVERIFY(panel->loadMessage(QStringLiteral("order")));
        QCOMPARE(composer->draft(), saved.draft);
        QCOMPARE(composer->repeatSettings(), saved.repeat);

        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(composer, "send")->isEnabled(), kWaitMs);
        child<QPushButton>(composer, "send")->click();
        DeliveriesModel* deliveries = h.window->findChild<DeliveriesModel*>();
        QTRY_COMPARE_WITH_TIMEOUT(deliveries->rowCount(), 1, kWaitMs);
        const Delivery d = deliveries->at(0);
        QVERIFY2(d.ok(), qPrintable(d.error));
        QCOMPARE(d.partition, 3);
        QCOMPARE(d.key, QStringLiteral("order-1"));

        // Read back: templates evaluated, the hex header's bytes as saved.
        auto* ti = h.window->findChild<TopicInspector*>();
        ti->showRecord(QStringLiteral("demo"), 3, d.offset);
        InspectorModel* m = ti->findChild<InspectorModel*>();
        QTRY_VERIFY_WITH_TIMEOUT(m->rowOf(3, d.offset) >= 0, kWaitMs);
        const auto rec = m->record(m->rowOf(3, d.offset));
        QCOMPARE(str(rec.key), std::string("order-1"));
        const QJsonObject value =
            QJsonDocument::fromJson(QByteArray::fromStdString(str(rec.value))).object();
        const int qty = value.value(QStringLiteral("qty")).toInt();
        QVERIFY2(qty >= 40 && qty <= 42, str(rec.value).c_str());
        const QString colour = value.value(QStringLiteral("colour")).toString();
        QVERIFY2(colour == QLatin1String("red") || colour == QLatin1String("blue"),
                 str(rec.value).c_str());
        QCOMPARE(rec.headers.size(), size_t(2));
        QCOMPARE(std::string(rec.headers[0].key), std::string("trace"));
        QCOMPARE(str(rec.headers[0].value), std::string("t-1"));
        QCOMPARE(std::string(rec.headers[1].key), std::string("raw"));
        QCOMPARE(str(rec.headers[1].value), std::string("\xff\x00\xc3\x28", 4));

        // Rename and delete through the panel; the files follow.
        QVERIFY(panel->renameMessage(QStringLiteral("order"), QStringLiteral("order 2")));
        QVERIFY(QFile::exists(SavedMessageStore::defaultDir() + QStringLiteral("/order 2.json")));
        QVERIFY(!QFile::exists(SavedMessageStore::defaultDir() + QStringLiteral("/order.json")));
        QVERIFY(panel->deleteMessage(QStringLiteral("order 2")));
        QVERIFY(panel->names().isEmpty());

        // A bad template: the field says which expression, Send is off, and a send anyway is
        // refused with the expression named; nothing more is delivered.
        RecordDraft bad = saved.draft;
        bad.valueSerializer = QStringLiteral("string");
        bad.valueText = QStringLiteral("qty ${random.int(5,1)}");
        composer->setDraft(bad);
        QVERIFY(!child<QPushButton>(composer, "send")->isEnabled());
        QVERIFY(child<QLabel>(composer, "valueError")
                    ->text()
                    .startsWith(QStringLiteral("${random.int(5,1)}")));
        QSignalSpy failed(&h.controller->sends(), &SendService::sendFailed);
        h.controller->sends().send(bad);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kWaitMs);
        QVERIFY2(
            failed.at(0).at(0).toString().startsWith(QStringLiteral("value: ${random.int(5,1)}")),
            qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(h.controller->sends().sentCount(), 1);
    }
};

QTEST_MAIN(TestSavedMessages)
#include "test_saved_messages.moc"
