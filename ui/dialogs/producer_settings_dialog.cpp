#include "dialogs/producer_settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include "producer/config_def.h"
#include "producer/producer_config.h"

namespace bs::ui {

namespace {
QString qsv(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Keys the GUI decides itself: the composer picks a serializer per record, the connection
// dialog picks the cluster.
bool managedByGui(std::string_view name) {
    return name == "key.serializer" || name == "value.serializer" || name == "bootstrap.servers";
}
}  // namespace

ProducerSettingsDialog::ProducerSettingsDialog(const std::map<std::string, std::string>& current,
                                               const QString& bootstrap, QWidget* parent)
    : QDialog(parent), bootstrap_(bootstrap) {
    setWindowTitle(tr("Producer settings"));
    auto* tabs = new QTabWidget(this);
    std::map<int, QFormLayout*> forms;
    for (const auto& def : producer::producerConfigDefs()) {
        const int g = static_cast<int>(def.group);
        if (!forms.count(g)) {
            auto* page = new QWidget;
            auto* form = new QFormLayout(page);
            form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            auto* scroll = new QScrollArea;
            scroll->setWidgetResizable(true);
            scroll->setWidget(page);
            QString title = qsv(producer::configGroupName(def.group));
            if (!title.isEmpty()) title[0] = title[0].toUpper();
            tabs->addTab(scroll, title);
            forms[g] = form;
        }
        const QString key = qsv(def.name);
        const QString dflt = def.defaultValue ? qsv(*def.defaultValue) : QStringLiteral("null");
        QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3<br><br>default: <code>%4</code>")
                          .arg(key, qsv(producer::configTypeName(def.type)),
                               qsv(def.doc).toHtmlEscaped(), dflt.toHtmlEscaped());
        if (def.min || def.max)
            tip += tr("<br>range: %1 … %2")
                       .arg(def.min ? QString::number(*def.min, 'g', 15) : QStringLiteral("-∞"),
                            def.max ? QString::number(*def.max, 'g', 15) : QStringLiteral("∞"));
        if (def.noEffect) tip += tr("<br><i>Accepted for compatibility; no effect here.</i>");
        QWidget* editor = nullptr;
        auto it = current.find(std::string(def.name));
        const QString value = it != current.end() ? QString::fromStdString(it->second) : QString();
        if (def.type == producer::ConfigType::Boolean || !def.validValues.empty()) {
            auto* box = new QComboBox;
            box->addItem(tr("default (%1)").arg(dflt), QString());
            if (def.type == producer::ConfigType::Boolean) {
                box->addItem(QStringLiteral("true"), QStringLiteral("true"));
                box->addItem(QStringLiteral("false"), QStringLiteral("false"));
            }
            for (auto v : def.validValues)
                box->addItem(qsv(v), qsv(v));
            const int idx = box->findData(value);
            box->setCurrentIndex(idx >= 0 ? idx : 0);
            connect(box, &QComboBox::currentIndexChanged, this, &ProducerSettingsDialog::validate);
            editor = box;
        } else {
            auto* line = new QLineEdit(value);
            line->setPlaceholderText(dflt);
            line->setClearButtonEnabled(true);
            connect(line, &QLineEdit::textChanged, this, &ProducerSettingsDialog::validate);
            editor = line;
        }
        editor->setObjectName(key);
        editor->setToolTip(tip);
        if (managedByGui(def.name)) {
            editor->setEnabled(false);
            editor->setToolTip(tip + tr("<br><i>Set by Batchscope: the composer serializes each "
                                        "record; the connection dialog picks the cluster.</i>"));
        }
        auto* label = new QLabel(def.noEffect ? QStringLiteral("<i>%1</i>").arg(key) : key);
        label->setToolTip(tip);
        forms[g]->addRow(label, editor);
        editors_.insert(key, editor);
    }
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color:#d63333"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("Apply (flush and recreate the producer)"));
    auto* imp = buttons->addButton(tr("Import…"), QDialogButtonBox::ActionRole);
    auto* exp = buttons->addButton(tr("Export…"), QDialogButtonBox::ActionRole);
    auto* col = new QVBoxLayout(this);
    col->addWidget(tabs, 1);
    col->addWidget(error_);
    col->addWidget(buttons);
    resize(720, 560);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(imp, &QPushButton::clicked, this, &ProducerSettingsDialog::importFile);
    connect(exp, &QPushButton::clicked, this, &ProducerSettingsDialog::exportFile);
    validate();
}

QString ProducerSettingsDialog::valueOf(const QString& key) const {
    QWidget* w = editors_.value(key);
    if (auto* box = qobject_cast<QComboBox*>(w)) return box->currentData().toString();
    if (auto* line = qobject_cast<QLineEdit*>(w)) return line->text().trimmed();
    return {};
}

void ProducerSettingsDialog::setValue(const QString& key, const QString& value) {
    QWidget* w = editors_.value(key);
    if (auto* box = qobject_cast<QComboBox*>(w)) {
        const int idx = box->findData(value);
        box->setCurrentIndex(idx >= 0 ? idx : 0);
    } else if (auto* line = qobject_cast<QLineEdit*>(w)) {
        line->setText(value);
    }
}

std::map<std::string, std::string> ProducerSettingsDialog::properties() const {
    std::map<std::string, std::string> out;
    for (auto it = editors_.begin(); it != editors_.end(); ++it) {
        if (!it.value()->isEnabled()) continue;
        const QString v = valueOf(it.key());
        if (!v.isEmpty()) out[it.key().toStdString()] = v.toStdString();
    }
    return out;
}

void ProducerSettingsDialog::validate() {
    auto props = properties();
    if (!bootstrap_.isEmpty()) props["bootstrap.servers"] = bootstrap_.toStdString();
    auto parsed = producer::ProducerConfig::parse(props);
    QString err = parsed ? QString() : QString::fromStdString(parsed.error().message);
    // Mark the field the core's message names.
    for (auto it = editors_.begin(); it != editors_.end(); ++it) {
        const bool bad = !err.isEmpty() && err.contains(it.key());
        it.value()->setStyleSheet(bad ? QStringLiteral("border: 1px solid #d63333;") : QString());
    }
    if (parsed)
        for (const auto& [key, why] : parsed->adjustments)
            err += QStringLiteral("note: %1: %2\n")
                       .arg(QString::fromStdString(key), QString::fromStdString(why));
    valid_ = parsed.ok();
    error_->setText(err.trimmed());
    error_->setStyleSheet(valid_ ? QString() : QStringLiteral("color:#d63333"));
    ok_->setEnabled(valid_);
}

QString ProducerSettingsDialog::message() const {
    return error_->text();
}

QString ProducerSettingsDialog::errorText() const {
    return valid_ ? QString() : error_->text();
}

void ProducerSettingsDialog::importFile() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import producer properties"), QString(),
                                     tr("Properties (*.properties);;All files (*)"));
    if (!path.isEmpty()) importFrom(path);
}

QString ProducerSettingsDialog::importFrom(const QString& path) {
    // All or nothing, as the CLI: a bad file changes no field and says which key is wrong.
    const QString problem = [&]() -> QString {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return tr("cannot read %1").arg(path);
        auto kv = producer::ProducerConfig::parsePropertiesText(f.readAll().toStdString());
        if (!kv) return QString::fromStdString(kv.error().message);
        std::map<std::string, std::string> props;
        for (const auto& [k, v] : *kv) {
            const QString key = QString::fromStdString(k);
            QWidget* editor = editors_.value(key);
            if (!editor) return tr("unknown producer key '%1'").arg(key);
            if (!editor->isEnabled())
                return tr("'%1' is set by Batchscope, not by a properties file").arg(key);
            auto* box = qobject_cast<QComboBox*>(editor);
            if (box && box->findData(QString::fromStdString(v)) < 0) {
                QStringList allowed;
                for (int i = 1; i < box->count(); ++i)
                    allowed << box->itemData(i).toString();
                return tr("%1: '%2' is not one of %3")
                    .arg(key, QString::fromStdString(v), allowed.join(QStringLiteral(", ")));
            }
            props[k] = v;
        }
        if (!bootstrap_.isEmpty()) props["bootstrap.servers"] = bootstrap_.toStdString();
        if (auto parsed = producer::ProducerConfig::parse(props); !parsed)
            return QString::fromStdString(parsed.error().message);
        for (auto it = editors_.begin(); it != editors_.end(); ++it)
            if (it.value()->isEnabled()) setValue(it.key(), QString());
        for (const auto& [k, v] : *kv)
            setValue(QString::fromStdString(k), QString::fromStdString(v));
        validate();
        return {};
    }();
    if (!problem.isEmpty()) {
        error_->setText(tr("Nothing imported from %1: %2").arg(path, problem));
        error_->setStyleSheet(QStringLiteral("color:#d63333"));
    }
    return problem;
}

void ProducerSettingsDialog::exportFile() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export producer properties"),
                                                      QStringLiteral("producer.properties"),
                                                      tr("Properties (*.properties)"));
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        QMessageBox::warning(this, tr("Export"), tr("Cannot write %1").arg(path));
        return;
    }
    QTextStream out(&f);
    out << "# Producer properties exported by Batchscope (keys that differ from the defaults)\n";
    for (const auto& [k, v] : properties())
        out << QString::fromStdString(k) << '=' << QString::fromStdString(v) << '\n';
}

}  // namespace bs::ui
