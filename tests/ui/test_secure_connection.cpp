// The connection dialog's Security section and a secured session, through the real window:
// - the dialog names what is missing (password, CA file) before it lets Connect or Test run, and
//   Test connection against a SASL_SSL cluster reports the failing step (a wrong password:
//   SASL) or every step passed (with the broker's certificate);
// - the embedded cluster started SASL_SSL from the settings the dialog gives takes a record from
//   the composer and the topic inspector reads it back over the same security settings;
// - the password shows nowhere in the window (any label, text, table cell or tooltip) and is not
//   in the saved settings file; a saved connection without its password is refused with a
//   message naming the password.
#include <QAbstractItemView>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include "dialogs/connection_dialog.h"
#include "models/deliveries_model.h"
#include "models/inspector_model.h"
#include "session/inspector_reader.h"
#include "support/secure_cluster.h"
#include "ui_harness.h"
#include "widgets/record_composer.h"

using namespace bs;
using namespace bs::ui;

namespace {

const QString kPassword = QStringLiteral("gui-pw-never-shown-5c1e");

// Every text a user can see or hover in `root`'s widgets and their item views.
QStringList visibleTexts(const QWidget* root) {
    QStringList out;
    for (const QWidget* w : root->findChildren<QWidget*>()) {
        out << w->toolTip() << w->windowTitle();
        if (auto* l = qobject_cast<const QLabel*>(w)) out << l->text();
        if (auto* e = qobject_cast<const QLineEdit*>(w)) out << e->text();
        if (auto* p = qobject_cast<const QPlainTextEdit*>(w)) out << p->toPlainText();
        if (auto* v = qobject_cast<const QAbstractItemView*>(w); v && v->model()) {
            const QAbstractItemModel* m = v->model();
            for (int r = 0; r < m->rowCount(); ++r)
                for (int c = 0; c < m->columnCount(); ++c)
                    for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                        out << m->index(r, c).data(role).toString();
        }
    }
    return out;
}

}  // namespace

class TestSecureConnection : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

  private Q_SLOTS:
    void dialogValidatesAndTestsTheConnection() {
        auto started =
            bs::test::startSecureCluster((dir_.path() + "/external").toStdString(), {"127.0.0.1"},
                                         "alice", kPassword.toStdString());
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        broker::EmbeddedCluster* cluster = started->cluster.get();

        ConnectionDialog dlg(ConnectionSettings{});
        dlg.show();
        auto* error = child<QLabel>(&dlg, "connectionError");
        auto* test = child<QPushButton>(&dlg, "testConnection");
        child<QRadioButton>(&dlg, "external")->setChecked(true);
        child<QLineEdit>(&dlg, "bootstrapServers")
            ->setText(QString::fromStdString(cluster->bootstrapServers()));
        QVERIFY(!child<QLineEdit>(&dlg, "saslUser")->isEnabled());  // PLAINTEXT: no SASL
        child<QComboBox>(&dlg, "securityProtocol")->setCurrentText(QStringLiteral("SASL_SSL"));
        child<QComboBox>(&dlg, "saslMechanism")->setCurrentText(QStringLiteral("SCRAM-SHA-256"));
        QVERIFY(child<QLineEdit>(&dlg, "saslUser")->isEnabled());
        QCOMPARE(child<QLineEdit>(&dlg, "saslPassword")->echoMode(), QLineEdit::Password);
        QVERIFY2(error->text().contains(QStringLiteral("SASL user")), qPrintable(error->text()));
        child<QLineEdit>(&dlg, "saslUser")->setText(QStringLiteral("alice"));
        QVERIFY2(error->text().contains(QStringLiteral("SASL password")),
                 qPrintable(error->text()));
        QVERIFY(!test->isEnabled());
        child<QLineEdit>(&dlg, "saslPassword")->setText(QStringLiteral("wrong-password"));
        const QString missing = dir_.path() + QStringLiteral("/no-such-ca.pem");
        child<QLineEdit>(&dlg, "caFile")->setText(missing);
        QVERIFY2(
            error->text().contains(QStringLiteral("CA file")) && error->text().contains(missing),
            qPrintable(error->text()));
        QVERIFY(!test->isEnabled());
        child<QLineEdit>(&dlg, "caFile")->setText(QString::fromStdString(started->certFile));
        QVERIFY2(error->text().isEmpty(), qPrintable(error->text()));

        QSignalSpy finished(&dlg, &ConnectionDialog::testFinished);
        QVERIFY(test->isEnabled());
        test->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QString report = finished.at(0).at(1).toString();
        QVERIFY2(report.contains(QStringLiteral("✓ TLS handshake")) &&
                     report.contains(QStringLiteral("✗ SASL authentication (SCRAM-SHA-256)")) &&
                     report.contains(QStringLiteral("alice")),
                 qPrintable(report));
        QCOMPARE(child<QLabel>(&dlg, "testResult")->text(), report);

        child<QLineEdit>(&dlg, "saslPassword")->setText(kPassword);
        test->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 20000);
        report = finished.at(1).at(1).toString();
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("CN=localhost")), qPrintable(report));
        QVERIFY(!report.contains(kPassword));
        const ConnectionSettings s = dlg.settings();
        QCOMPARE(s.saslPassword, kPassword);
        QVERIFY(s.securityProblem().isEmpty());
        (void)cluster->stop();
    }

    void embeddedClusterRunsSecured() {
        bs::ui::test::Harness h;
        QVERIFY(h.waitConnected());
        ClusterSession& session = h.controller->session();
        ConnectionSettings s;
        s.dataDir = dir_.path() + QStringLiteral("/embedded");
        s.nodes = 2;
        s.securityProtocol = QStringLiteral("SASL_SSL");
        s.saslMechanism = QStringLiteral("SCRAM-SHA-512");
        s.saslUsername = QStringLiteral("bob");
        s.saslPassword = kPassword;
        QSignalSpy connected(&session, &ClusterSession::connected);
        QSignalSpy failed(&session, &ClusterSession::connectionFailed);
        session.connectTo(s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty() || !failed.isEmpty(), 30000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY2(connected.at(0).at(0).toString().contains(QStringLiteral("SASL_SSL")),
                 qPrintable(connected.at(0).at(0).toString()));
        const PropertyMap client = session.clientProperties();
        QCOMPARE(client.at("security.protocol"), std::string("SASL_SSL"));
        QCOMPARE(client.at("sasl.mechanism"), std::string("SCRAM-SHA-512"));
        QVERIFY(client.count("ssl.truststore.certificates"));
        // The producer shows its settings with the secret hidden.
        std::string shownJaas;
        for (const auto& [k, v] : session.config().values())
            if (k == "sasl.jaas.config") shownJaas = v;
        QCOMPARE(shownJaas, std::string("[hidden]"));

        RecordComposer* c = h.window->findChild<RecordComposer*>();
        child<QComboBox>(c, "valueSerializer")->setCurrentText(QStringLiteral("string"));
        child<QPlainTextEdit>(c, "value")->setPlainText(QStringLiteral("over SASL_SSL"));
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(c, "send")->isEnabled(), 10000);
        DeliveriesModel* m = h.window->findChild<DeliveriesModel*>();
        const qint64 before = m->totalAdded();
        child<QPushButton>(c, "send")->click();
        QTRY_COMPARE_WITH_TIMEOUT(m->totalAdded(), before + 1, 30000);
        Delivery d;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->at(r).value == QLatin1String("over SASL_SSL")) d = m->at(r);
        QVERIFY2(d.ok() && d.offset >= 0, qPrintable(d.error));

        // Another client of the cluster (the inspector's consumer) reads it over SASL_SSL.
        InspectorReader reader;
        reader.setConnection(client);
        InspectorModel page(nullptr, InspectorModel::kPageSize);
        connect(&reader, &InspectorReader::pageReady, &page,
                [&](const std::shared_ptr<const InspectorPage>& p) { page.applyPage(*p); });
        const InspectorQuery q{d.topic, d.partition, InspectorStart::Offset, d.offset, d.offset};
        page.start(q);
        reader.open(q, InspectorModel::kPageSize);
        QTRY_COMPARE_WITH_TIMEOUT(page.rowCount(), 1, 30000);
        QCOMPARE(page.record(0).offset, d.offset);

        for (const QString& t : visibleTexts(h.window.get()))
            QVERIFY2(!t.contains(kPassword), qPrintable(t.left(200)));
        QSettings saved(dir_.path() + QStringLiteral("/saved.ini"), QSettings::IniFormat);
        s.save(saved);
        saved.sync();
        QFile file(saved.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray ini = file.readAll();
        QVERIFY(ini.contains("bob"));
        QVERIFY(!ini.contains(kPassword.toUtf8()));

        // Loaded again without the password (no keyring): refused, naming what is missing.
        ConnectionSettings loaded = ConnectionSettings::load(saved);
        QCOMPARE(loaded.securityProtocol, QStringLiteral("SASL_SSL"));
        QVERIFY(loaded.saslPassword.isEmpty());
        failed.clear();
        session.connectTo(loaded, {});
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("SASL password")),
                 qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(session.isConnected());  // the secured session stays in use
    }
};

QTEST_MAIN(TestSecureConnection)
#include "test_secure_connection.moc"
