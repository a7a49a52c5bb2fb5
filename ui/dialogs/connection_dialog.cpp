#include "dialogs/connection_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "broker/cluster_config.h"
#include "client/connection_probe.h"
#include "job_queue.h"
#include "saved_clusters.h"

namespace bs::ui {

ConnectionDialog::ConnectionDialog(const ConnectionSettings& current, QWidget* parent)
    : QDialog(parent),
      cancelProbe_(std::make_shared<std::atomic<bool>>(false)),
      probeQueue_(std::make_unique<JobQueue>("bs-probe")) {
    setWindowTitle(tr("Connection"));
    embedded_ = new QRadioButton(tr("Embedded cluster (in this process)"), this);
    embedded_->setObjectName(QStringLiteral("embedded"));
    external_ = new QRadioButton(tr("External Kafka cluster"), this);
    external_->setObjectName(QStringLiteral("external"));
    nodes_ = new QSpinBox(this);
    nodes_->setRange(1, 9);
    nodes_->setValue(current.nodes);
    partitions_ = new QSpinBox(this);
    partitions_->setRange(1, 1000);
    partitions_->setValue(current.partitions);
    topic_ = new QLineEdit(current.topic, this);
    dataDir_ = new QLineEdit(current.dataDir, this);
    dataDir_->setPlaceholderText(QString::fromStdString(broker::defaultClusterDataDir().string()));
    autoCreate_ = new QCheckBox(tr("auto.create.topics.enable"), this);
    autoCreate_->setChecked(current.autoCreateTopics);
    bootstrap_ = new QLineEdit(current.bootstrapServers, this);
    bootstrap_->setObjectName(QStringLiteral("bootstrapServers"));
    bootstrap_->setPlaceholderText(QStringLiteral("host1:9092,host2:9092"));
    registryUrl_ = new QLineEdit(current.schemaRegistryUrl, this);
    registryUrl_->setObjectName(QStringLiteral("schemaRegistryUrl"));
    registryUrl_->setPlaceholderText(QStringLiteral("http://registry:8081 (optional)"));
    registryUrl_->setToolTip(
        tr("The cluster's Schema Registry, for Avro records in the composer and the inspector "
           "(the embedded cluster brings its own)"));

    protocol_ = new QComboBox(this);
    protocol_->setObjectName(QStringLiteral("securityProtocol"));
    protocol_->addItems({QStringLiteral("PLAINTEXT"), QStringLiteral("SSL"),
                         QStringLiteral("SASL_PLAINTEXT"), QStringLiteral("SASL_SSL")});
    protocol_->setCurrentText(current.securityProtocol);
    mechanism_ = new QComboBox(this);
    mechanism_->setObjectName(QStringLiteral("saslMechanism"));
    mechanism_->addItems({QStringLiteral("PLAIN"), QStringLiteral("SCRAM-SHA-256"),
                          QStringLiteral("SCRAM-SHA-512")});
    mechanism_->setCurrentText(current.saslMechanism);
    user_ = new QLineEdit(current.saslUsername, this);
    user_->setObjectName(QStringLiteral("saslUser"));
    password_ = new QLineEdit(current.saslPassword, this);
    password_->setObjectName(QStringLiteral("saslPassword"));
    password_->setEchoMode(QLineEdit::Password);
    caFile_ = new QLineEdit(current.caFile, this);
    caFile_->setObjectName(QStringLiteral("caFile"));
    caFile_->setPlaceholderText(tr("the system's CAs"));
    caFile_->setToolTip(
        tr("ssl.truststore.location: PEM file of the CA certificates that sign "
           "the brokers' certificates"));
    clientCert_ = new QLineEdit(current.clientCertFile, this);
    clientCert_->setObjectName(QStringLiteral("clientCertificate"));
    clientCert_->setPlaceholderText(tr("none (no mutual TLS)"));
    clientCert_->setToolTip(
        tr("ssl.keystore.location: PEM file with this client's private key "
           "and certificate chain, for brokers that require mutual TLS"));
    verifyHost_ = new QCheckBox(tr("Check the broker's host name"), this);
    verifyHost_->setToolTip(tr("ssl.endpoint.identification.algorithm=https (unchecked: empty)"));
    verifyHost_->setChecked(current.verifyHostName);
    securityHint_ = new QLabel(this);
    securityHint_->setWordWrap(true);
    test_ = new QPushButton(tr("Test connection"), this);
    test_->setObjectName(QStringLiteral("testConnection"));
    testResult_ = new QLabel(this);
    testResult_->setObjectName(QStringLiteral("testResult"));
    testResult_->setWordWrap(true);
    testResult_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testResult_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Room for the four steps (one wrapped) from the start: the dialog does not grow past a
    // short screen when the report arrives.
    testResult_->setMinimumHeight(testResult_->fontMetrics().lineSpacing() * 5);
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("connectionError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color:#d63333"));

    auto* emb = new QGroupBox(this);
    auto* ef = new QFormLayout(emb);
    ef->addRow(tr("Nodes"), nodes_);
    ef->addRow(tr("Default partitions"), partitions_);
    ef->addRow(tr("Initial topic"), topic_);
    ef->addRow(tr("Data directory"), dataDir_);
    ef->addRow(QString(), autoCreate_);
    auto* ext = new QGroupBox(this);
    auto* xf = new QFormLayout(ext);
    xf->addRow(tr("bootstrap.servers"), bootstrap_);
    xf->addRow(tr("schema.registry.url"), registryUrl_);

    auto* sec = new QGroupBox(tr("Security"), this);
    auto* sf = new QFormLayout(sec);
    sf->addRow(tr("security.protocol"), protocol_);
    sf->addRow(tr("sasl.mechanism"), mechanism_);
    sf->addRow(tr("User"), user_);
    sf->addRow(tr("Password"), password_);
    sf->addRow(tr("CA file (PEM)"), fileField(caFile_, tr("CA certificates (PEM)")));
    sf->addRow(tr("Client certificate"), fileField(clientCert_, tr("Client key and certificate")));
    sf->addRow(QString(), verifyHost_);
    sf->addRow(securityHint_);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(test_);
    testRow->addStretch(1);
    sf->addRow(testRow);
    sf->addRow(testResult_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("Connect"));
    // Saved clusters: a named list to choose from, save to and delete from.
    clusters_ = new QComboBox(this);
    clusters_->setObjectName(QStringLiteral("savedClusters"));
    clusters_->setToolTip(
        tr("Clusters saved with their settings (passwords stay in the "
           "system keyring); choosing one fills the fields"));
    auto* saveCluster = new QToolButton(this);
    saveCluster->setObjectName(QStringLiteral("saveCluster"));
    saveCluster->setText(tr("Save as…"));
    auto* deleteCluster = new QToolButton(this);
    deleteCluster->setObjectName(QStringLiteral("deleteCluster"));
    deleteCluster->setText(tr("Delete"));
    auto* clusterRow = new QHBoxLayout;
    clusterRow->addWidget(new QLabel(tr("Saved clusters"), this));
    clusterRow->addWidget(clusters_, 1);
    clusterRow->addWidget(saveCluster);
    clusterRow->addWidget(deleteCluster);
    refreshClusters({});
    connect(clusters_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) chooseCluster(clusters_->itemText(index));
    });
    connect(saveCluster, &QToolButton::clicked, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(
            this, tr("Save cluster"), tr("Name:"), QLineEdit::Normal,
            chosenCluster().isEmpty() ? settings().describe() : chosenCluster(), &ok);
        if (ok && !name.trimmed().isEmpty()) this->saveCluster(name.trimmed());
    });
    connect(deleteCluster, &QToolButton::clicked, this, [this] {
        if (!chosenCluster().isEmpty()) this->deleteCluster(chosenCluster());
    });

    auto* col = new QVBoxLayout(this);
    col->addLayout(clusterRow);
    col->addWidget(embedded_);
    col->addWidget(emb);
    col->addWidget(external_);
    col->addWidget(ext);
    col->addWidget(sec);
    col->addWidget(error_);
    col->addWidget(buttons);
    (current.mode == ConnectionSettings::Mode::External ? external_ : embedded_)->setChecked(true);
    auto toggle = [emb, ext, this] {
        emb->setEnabled(embedded_->isChecked());
        ext->setEnabled(external_->isChecked());
        updateSecurityFields();
    };
    connect(embedded_, &QRadioButton::toggled, this, toggle);
    for (QLineEdit* e : {bootstrap_, registryUrl_, topic_, user_, password_, caFile_, clientCert_})
        connect(e, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(protocol_, &QComboBox::currentTextChanged, this,
            &ConnectionDialog::updateSecurityFields);
    connect(mechanism_, &QComboBox::currentTextChanged, this, &ConnectionDialog::validate);
    connect(test_, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    toggle();
}

void ConnectionDialog::setFields(const ConnectionSettings& c) {
    (c.mode == ConnectionSettings::Mode::External ? external_ : embedded_)->setChecked(true);
    nodes_->setValue(c.nodes);
    partitions_->setValue(c.partitions);
    topic_->setText(c.topic);
    dataDir_->setText(c.dataDir);
    autoCreate_->setChecked(c.autoCreateTopics);
    bootstrap_->setText(c.bootstrapServers);
    registryUrl_->setText(c.schemaRegistryUrl);
    protocol_->setCurrentText(c.securityProtocol);
    mechanism_->setCurrentText(c.saslMechanism);
    user_->setText(c.saslUsername);
    password_->setText(c.saslPassword);
    caFile_->setText(c.caFile);
    clientCert_->setText(c.clientCertFile);
    verifyHost_->setChecked(c.verifyHostName);
    updateSecurityFields();
}

void ConnectionDialog::refreshClusters(const QString& select) {
    QSettings s;
    const QSignalBlocker block(clusters_);
    clusters_->clear();
    clusters_->addItem(tr("(not saved)"));
    clusters_->addItems(saved_clusters::names(s));
    const int at = clusters_->findText(select);
    clusters_->setCurrentIndex(at > 0 ? at : 0);
}

QString ConnectionDialog::chosenCluster() const {
    return clusters_->currentIndex() > 0 ? clusters_->currentText() : QString();
}

bool ConnectionDialog::chooseCluster(const QString& name) {
    QSettings s;
    const auto c = saved_clusters::load(s, name);
    if (!c) return false;
    setFields(*c);
    refreshClusters(name);
    if (c->usesSasl() && passwordLookup_) {
        // The dialog may be gone, or another cluster chosen, when the keyring answers.
        passwordLookup_(c->passwordAccount(),
                        [self = QPointer<ConnectionDialog>(this), name](const QString& pw) {
                            if (self && self->chosenCluster() == name && !pw.isEmpty())
                                self->password_->setText(pw);
                        });
    }
    return true;
}

void ConnectionDialog::saveCluster(const QString& name) {
    QSettings s;
    saved_clusters::save(s, name, settings());
    refreshClusters(name);
}

void ConnectionDialog::deleteCluster(const QString& name) {
    QSettings s;
    saved_clusters::remove(s, name);
    refreshClusters({});
}

ConnectionDialog::~ConnectionDialog() {
    cancelProbe_->store(true);
    probeQueue_.reset();  // the probe sees the flag within ~50 ms
}

QWidget* ConnectionDialog::fileField(QLineEdit* edit, const QString& title) {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QToolButton(box);
    browse->setText(tr("Browse…"));
    row->addWidget(edit, 1);
    row->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this, edit, title] {
        const QString f = QFileDialog::getOpenFileName(
            this, title, edit->text(), tr("PEM files (*.pem *.crt *.key);;All (*)"));
        if (!f.isEmpty()) edit->setText(f);
    });
    return box;
}

void ConnectionDialog::updateSecurityFields() {
    const ConnectionSettings s = settings();
    const bool external = s.mode == ConnectionSettings::Mode::External;
    for (QWidget* w : {static_cast<QWidget*>(mechanism_), static_cast<QWidget*>(user_),
                       static_cast<QWidget*>(password_)})
        w->setEnabled(s.usesSasl());
    for (QWidget* w :
         {caFile_->parentWidget(), clientCert_->parentWidget(), static_cast<QWidget*>(verifyHost_)})
        w->setEnabled(s.usesTls() && external);
    QStringList hint;
    if (!external && s.usesTls())
        hint << tr(
            "The embedded cluster listens with TLS, using a certificate made when it "
            "starts (self-signed, for localhost and 127.0.0.1) that Batchscope trusts.");
    if (!external && s.usesSasl())
        hint << tr(
            "It accepts the user and password above with PLAIN, SCRAM-SHA-256 and "
            "SCRAM-SHA-512.");
    if (external && s.securityProtocol == QLatin1String("PLAINTEXT"))
        hint << tr(
            "PLAINTEXT keeps any security settings of the producer properties "
            "(--config).");
    securityHint_->setText(hint.join(QLatin1Char(' ')));
    securityHint_->setVisible(!hint.isEmpty());
    validate();
}

void ConnectionDialog::validate() {
    QString err;
    if (external_->isChecked()) {
        const QStringList servers = bootstrap_->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (servers.isEmpty()) err = tr("bootstrap.servers: give at least one host:port");
        for (const QString& s : servers) {
            bool ok = false;
            const int port = s.trimmed().section(QLatin1Char(':'), -1).toInt(&ok);
            if (!s.contains(QLatin1Char(':')) || !ok || port <= 0 || port > 65535)
                err = tr("bootstrap.servers: '%1' is not host:port").arg(s.trimmed());
        }
    } else if (!topic_->text().isEmpty()) {
        if (auto st = broker::validateTopicName(topic_->text().toStdString()); !st)
            err = QString::fromStdString(st.message());
    }
    if (err.isEmpty()) err = settings().securityProblem();
    error_->setText(err);
    ok_->setEnabled(err.isEmpty());
    test_->setEnabled(err.isEmpty() && external_->isChecked());
    test_->setToolTip(external_->isChecked()
                          ? tr("Connects to the first bootstrap server as the producer will "
                               "and reports each step")
                          : tr("For an external cluster (the embedded one is started on Connect)"));
}

void ConnectionDialog::testConnection() {
    const ConnectionSettings s = settings();
    std::map<std::string, std::string> props = s.securityProperties();
    props["bootstrap.servers"] = s.bootstrapServers.toStdString();
    test_->setEnabled(false);
    testResult_->setStyleSheet(QString());
    testResult_->setText(
        tr("Connecting to %1…").arg(s.bootstrapServers.section(QLatin1Char(','), 0, 0)));
    QPointer<ConnectionDialog> self(this);
    probeQueue_->post([self, props = std::move(props), cancel = cancelProbe_] {
        const client::ProbeReport report =
            client::probeConnection(props, kTestTimeoutMs, cancel.get());
        const bool ok = report.ok();
        const QString text = QString::fromStdString(report.text());
        if (cancel->load()) return;  // the dialog is closing: nothing to show
        // The dialog outlives this job (its destructor joins the queue).
        QMetaObject::invokeMethod(self.data(), [self, ok, text] {
            if (!self) return;
            self->testResult_->setStyleSheet(ok ? QStringLiteral("color:#2e8b57")
                                                : QStringLiteral("color:#d63333"));
            self->testResult_->setText(text);
            self->validate();
            Q_EMIT self->testFinished(ok, text);
        });
    });
}

ConnectionSettings ConnectionDialog::settings() const {
    ConnectionSettings s;
    s.mode = external_->isChecked() ? ConnectionSettings::Mode::External
                                    : ConnectionSettings::Mode::Embedded;
    s.bootstrapServers = bootstrap_->text().trimmed();
    s.schemaRegistryUrl = registryUrl_->text().trimmed();
    s.nodes = nodes_->value();
    s.partitions = partitions_->value();
    s.topic = topic_->text().trimmed();
    s.dataDir = dataDir_->text().trimmed();
    s.autoCreateTopics = autoCreate_->isChecked();
    s.securityProtocol = protocol_->currentText();
    s.saslMechanism = mechanism_->currentText();
    s.saslUsername = user_->text().trimmed();
    s.saslPassword = password_->text();
    s.caFile = caFile_->text().trimmed();
    s.clientCertFile = clientCert_->text().trimmed();
    s.verifyHostName = verifyHost_->isChecked();
    return s;
}

}  // namespace bs::ui
