#include "dialogs/connection_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "broker/cluster_config.h"

namespace bs::ui {

ConnectionDialog::ConnectionDialog(const ConnectionSettings& current, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Connection"));
    embedded_ = new QRadioButton(tr("Embedded cluster (in this process)"), this);
    external_ = new QRadioButton(tr("External Kafka cluster"), this);
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
    bootstrap_->setPlaceholderText(QStringLiteral("host1:9092,host2:9092"));
    error_ = new QLabel(this);
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

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("Connect"));
    auto* col = new QVBoxLayout(this);
    col->addWidget(embedded_);
    col->addWidget(emb);
    col->addWidget(external_);
    col->addWidget(ext);
    col->addWidget(error_);
    col->addWidget(buttons);
    (current.mode == ConnectionSettings::Mode::External ? external_ : embedded_)->setChecked(true);
    auto toggle = [emb, ext, this] {
        emb->setEnabled(embedded_->isChecked());
        ext->setEnabled(external_->isChecked());
        validate();
    };
    connect(embedded_, &QRadioButton::toggled, this, toggle);
    connect(bootstrap_, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(topic_, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    toggle();
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
    error_->setText(err);
    ok_->setEnabled(err.isEmpty());
}

ConnectionSettings ConnectionDialog::settings() const {
    ConnectionSettings s;
    s.mode = external_->isChecked() ? ConnectionSettings::Mode::External
                                    : ConnectionSettings::Mode::Embedded;
    s.bootstrapServers = bootstrap_->text().trimmed();
    s.nodes = nodes_->value();
    s.partitions = partitions_->value();
    s.topic = topic_->text().trimmed();
    s.dataDir = dataDir_->text().trimmed();
    s.autoCreateTopics = autoCreate_->isChecked();
    return s;
}

}  // namespace bs::ui
