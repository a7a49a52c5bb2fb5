#include "widgets/schema_picker.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "schema_formats.h"
#include "schema_template.h"

namespace bs::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
// Registry calls of the picker give up after this (the Java client's default is 30 s; a picker
// that waits that long for an unreachable registry looks broken).
constexpr long kRegistryTimeoutMs = 5000;
}  // namespace

SchemaPicker::SchemaPicker(bool isKey, QWidget* parent)
    : QWidget(parent), isKey_(isKey), queue_(std::make_unique<JobQueue>("bs-registry")) {
    const QString side = isKey ? QStringLiteral("key") : QStringLiteral("value");
    subject_ = new QComboBox(this);
    subject_->setObjectName(side + QStringLiteral("Subject"));
    subject_->setToolTip(
        tr("Registry subject of the schema (TopicNameStrategy: <topic>-%1)").arg(side));
    subject_->setMinimumContentsLength(12);
    subject_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    version_ = new QComboBox(this);
    version_->setObjectName(side + QStringLiteral("Version"));
    version_->setToolTip(tr("Version of the subject (latest by default)"));
    version_->addItem(tr("latest"), -1);
    messageType_ = new QComboBox(this);
    messageType_->setObjectName(side + QStringLiteral("MessageType"));
    messageType_->setToolTip(tr("The message type of the schema to encode"));
    messageType_->hide();
    file_ = new QToolButton(this);
    file_->setObjectName(side + QStringLiteral("SchemaFile"));
    file_->setText(tr("File…"));
    file_->setToolTip(tr("Register a local schema file under <topic>-%1 and use it "
                         "(auto.register.schemas)")
                          .arg(side));
    refresh_ = new QToolButton(this);
    refresh_->setObjectName(side + QStringLiteral("SchemaRefresh"));
    refresh_->setText(QStringLiteral("⟳"));
    refresh_->setToolTip(tr("List the registry's subjects again"));
    status_ = new QLabel(this);
    status_->setObjectName(side + QStringLiteral("SchemaStatus"));
    status_->setWordWrap(true);

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(subject_, 1);
    row->addWidget(version_);
    row->addWidget(messageType_, 1);
    row->addWidget(file_);
    row->addWidget(refresh_);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(1);
    col->addLayout(row);
    col->addWidget(status_);

    connect(subject_, &QComboBox::currentTextChanged, this, [this](const QString& s) {
        wantedSubject_ = s;
        followsTopic_ = s == ownSubject(topic_);
        wantedVersion_ = -1;
        resolve();
    });
    connect(version_, &QComboBox::currentIndexChanged, this, [this] {
        wantedVersion_ = version_->currentData().toInt();
        resolve();
    });
    connect(messageType_, &QComboBox::currentTextChanged, this, [this] { resolve(); });
    connect(refresh_, &QToolButton::clicked, this, &SchemaPicker::refresh);
    connect(file_, &QToolButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Schema file to register"), QString(),
                                         tr("Schemas (*.avsc *.proto *.json);;All files (*)"));
        if (!path.isEmpty()) registerFile(path);
    });
    setProblem(tr("no Schema Registry for this connection"));
}

SchemaPicker::~SchemaPicker() {
    queue_->clear();
    queue_.reset();
}

void SchemaPicker::setProblem(const QString& problem) {
    problem_ = problem;
    if (!problem.isEmpty()) {
        serializer_.reset();
        status_->setText(problem);
        status_->setStyleSheet(QStringLiteral("color: #d63333;"));
    }
    Q_EMIT changed();
}

void SchemaPicker::setFormat(const QString& formatName) {
    if (formatName == formatName_) return;
    formatName_ = formatName;
    resolve();
}

void SchemaPicker::setRegistryUrl(const QString& url) {
    if (url == url_ && (client_ || url.isEmpty())) return;
    url_ = url;
    client_.reset();
    if (!url.isEmpty()) {
        serde::SchemaRegistryClientConfig config;
        config.url = url.toStdString();
        config.timeoutMs = kRegistryTimeoutMs;
        client_ = std::make_shared<serde::SchemaRegistryClient>(std::move(config));
    }
    refresh();
}

QString SchemaPicker::ownSubject(const QString& topic) const {
    return topic + (isKey_ ? QStringLiteral("-key") : QStringLiteral("-value"));
}

void SchemaPicker::setTopic(const QString& topic) {
    if (topic == topic_) return;
    topic_ = topic;
    const QString own = ownSubject(topic);
    if (followsTopic_ && subject_->findText(own) >= 0 && own != wantedSubject_) pick(own);
}

void SchemaPicker::pick(const QString& subject, int version) {
    wantedSubject_ = subject;
    followsTopic_ = subject == ownSubject(topic_);
    wantedVersion_ = version;
    if (subject_->findText(subject) < 0) return refresh();
    {
        const QSignalBlocker block(subject_);
        subject_->setCurrentText(subject);
    }
    resolve();
}

void SchemaPicker::refresh() {
    const quint64 gen = ++gen_;
    if (!client_) {
        const QSignalBlocker block(subject_);
        subject_->clear();
        return setProblem(
            tr("no Schema Registry for this connection (an external cluster's "
               "schema.registry.url goes in the connection settings)"));
    }
    setProblem(tr("listing the subjects of %1…").arg(url_));
    queue_->post([this, gen, client = client_] {
        auto subjects = client->subjects();
        QStringList list;
        QString error;
        if (subjects) {
            for (const std::string& s : *subjects)
                list << qs(s);
        } else {
            error = qs(subjects.error().message);
        }
        QMetaObject::invokeMethod(this, [this, gen, list, error] {
            if (gen != gen_) return;
            if (!error.isEmpty()) return setProblem(tr("Schema Registry: %1").arg(error));
            {
                const QSignalBlocker block(subject_);
                subject_->clear();
                subject_->addItems(list);
                // The topic's own (TopicNameStrategy) while the subject follows the topic, else
                // the one asked for, else the topic's own, else the first.
                const QString own = ownSubject(topic_);
                const QString want = followsTopic_ && list.contains(own) ? own
                                     : list.contains(wantedSubject_)     ? wantedSubject_
                                     : list.contains(own)                ? own
                                     : list.isEmpty()                    ? QString()
                                                                         : list.first();
                subject_->setCurrentText(want);
                wantedSubject_ = want;
            }
            resolve();
        });
    });
}

void SchemaPicker::resolve() {
    const quint64 gen = ++gen_;
    if (formatName_.isEmpty()) return;
    if (!client_) return setProblem(tr("no Schema Registry for this connection"));
    const auto format = schemaFormatByName(formatName_);
    if (!format) return setProblem(tr("'%1' is not a schema format").arg(formatName_));
    const QString subject = subject_->currentText();
    if (subject.isEmpty())
        return setProblem(tr("the registry has no subjects: register a schema file (File…)"));
    setProblem(tr("resolving %1…").arg(subject));
    const int version = wantedVersion_;
    const QString wantedType = messageType_->currentText();
    queue_->post([this, gen, client = client_, f = *format, subject, version, wantedType,
                  topic = topic_, isKey = isKey_, p = prefix()] {
        Resolved r;
        r.subject = subject;
        auto schema = client->version(subject.toStdString(), version);
        auto versions = schema ? client->versions(subject.toStdString())
                               : Result<std::vector<int32_t>>(schema.error());
        if (!schema || !versions) {
            r.error = qs((schema ? versions.error() : schema.error()).message);
        } else if (QString::compare(qs(schema->schemaType), f.registryType, Qt::CaseInsensitive) !=
                   0) {
            r.error =
                tr("%1 holds a %2 schema, not %3").arg(subject, qs(schema->schemaType), f.name);
        } else {
            r.versions = *versions;
            r.version = schema->version;
            r.id = schema->id;
            r.schemaText = qs(schema->schema);
            r.registryType = f.registryType;
            std::map<std::string, std::string> props{{p + "schema.id", std::to_string(r.id)}};
            auto types = schemaMessageTypes(f.format, schema->schema);
            if (!types) {
                r.error = qs(types.error().message);
            } else {
                for (const std::string& t : *types)
                    r.messageTypes << qs(t);
                if (!r.messageTypes.isEmpty()) {
                    const QString type =
                        r.messageTypes.contains(wantedType) ? wantedType : r.messageTypes.first();
                    props[messageTypeProperty(isKey)] = type.toStdString();
                }
                auto created = serde::SchemaSerializer::create(f.format, props, isKey,
                                                               topic.toStdString(), client);
                if (created)
                    r.serializer = std::move(*created);
                else
                    r.error = qs(created.error().message);
            }
        }
        QMetaObject::invokeMethod(this, [this, gen, r] { applyResolved(gen, r); });
    });
}

void SchemaPicker::applyResolved(quint64 gen, const Resolved& r) {
    if (gen != gen_) return;
    if (!r.error.isEmpty()) return setProblem(tr("Schema Registry: %1").arg(r.error));
    {
        const QSignalBlocker b1(version_), b2(messageType_);
        version_->clear();
        version_->addItem(tr("latest"), -1);
        for (int32_t v : r.versions)
            version_->addItem(QString::number(v), v);
        version_->setCurrentIndex(std::max(0, version_->findData(wantedVersion_)));
        const QString type = messageType_->currentText();
        messageType_->clear();
        messageType_->addItems(r.messageTypes);
        if (r.messageTypes.contains(type)) messageType_->setCurrentText(type);
        const auto format = schemaFormatByName(formatName_);
        messageType_->setVisible(format && format->hasMessageTypes);
    }
    const bool newSchema = r.schemaText != schemaText_ || r.registryType != registryType_;
    serializer_ = r.serializer;
    problem_.clear();
    schemaText_ = r.schemaText;
    registryType_ = r.registryType;
    status_->setText(tr("schema id %1 · %2 version %3").arg(r.id).arg(r.subject).arg(r.version));
    status_->setStyleSheet(QString());
    Q_EMIT changed();
    if (newSchema) Q_EMIT templateReady(schemaJsonTemplate(registryType_, schemaText_));
}

void SchemaPicker::registerFile(const QString& path) {
    const quint64 gen = ++gen_;
    if (!client_) return setProblem(tr("no Schema Registry for this connection"));
    const auto format = schemaFormatByName(formatName_);
    if (!format) return setProblem(tr("pick a schema format first"));
    if (topic_.isEmpty())
        return setProblem(tr("pick the topic first (the subject is named after it)"));
    setProblem(tr("registering %1…").arg(path));
    queue_->post([this, gen, client = client_, f = *format, path, topic = topic_, isKey = isKey_,
                  p = prefix()] {
        std::map<std::string, std::string> props{{p + "schema.file", path.toStdString()},
                                                 {"auto.register.schemas", "true"}};
        auto created =
            serde::SchemaSerializer::create(f.format, props, isKey, topic.toStdString(), client);
        const QString subject = created ? qs((*created)->subject()) : QString();
        const QString error = created ? QString() : qs(created.error().message);
        QMetaObject::invokeMethod(this, [this, gen, subject, error] {
            if (gen != gen_) return;
            if (!error.isEmpty()) return setProblem(tr("schema file: %1").arg(error));
            wantedSubject_ = subject;
            wantedVersion_ = -1;
            refresh();
        });
    });
}

}  // namespace bs::ui
