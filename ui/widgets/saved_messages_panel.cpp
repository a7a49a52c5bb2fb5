#include "widgets/saved_messages_panel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/record_composer.h"

namespace bs::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString describe(const SavedMessage& m) {
    const RecordDraft& d = m.draft;
    QString tip =
        QObject::tr("topic %1, partition %2\nkey (%3): %4\nvalue (%5): %6")
            .arg(d.topic, d.partition ? QString::number(*d.partition) : QObject::tr("auto"),
                 d.keySerializer, previewField(d.keySerializer, d.keyText), d.valueSerializer,
                 previewField(d.valueSerializer, d.valueText));
    if (!d.headers.isEmpty()) tip += QObject::tr("\n%1 headers").arg(d.headers.size());
    return tip;
}
}  // namespace

SavedMessagesPanel::SavedMessagesPanel(RecordComposer* composer, const QString& dir,
                                       QWidget* parent)
    : QWidget(parent),
      composer_(composer),
      store_(std::make_unique<SavedMessageStore>(dir.isEmpty() ? SavedMessageStore::defaultDir()
                                                               : dir)) {
    name_ = new QLineEdit(this);
    name_->setObjectName(QStringLiteral("savedName"));
    name_->setPlaceholderText(tr("name for the composer's record"));
    save_ = new QToolButton(this);
    save_->setText(tr("Save"));
    save_->setObjectName(QStringLiteral("saveMessage"));
    save_->setToolTip(
        tr("Save the composer's record (topic, partition, key, value, headers, "
           "timestamp, repeat settings) under this name; templates are kept and "
           "evaluated at each send"));
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(name_, 1);
    saveRow->addWidget(save_);

    list_ = new QListWidget(this);
    list_->setObjectName(QStringLiteral("savedMessages"));
    list_->setToolTip(tr("Double-click to load into the composer"));
    list_->setMinimumHeight(fontMetrics().lineSpacing() * 3);

    load_ = new QToolButton(this);

    load_->setText(tr("Load"));
    load_->setObjectName(QStringLiteral("loadMessage"));
    load_->setToolTip(tr("Fill the composer with the selected message"));
    send_ = new QToolButton(this);
    send_->setText(tr("Send"));
    send_->setObjectName(QStringLiteral("sendSaved"));
    send_->setToolTip(tr("Load the selected message and send it once"));
    rename_ = new QToolButton(this);
    rename_->setText(tr("Rename…"));
    rename_->setObjectName(QStringLiteral("renameMessage"));
    delete_ = new QToolButton(this);
    delete_->setText(tr("Delete"));
    delete_->setObjectName(QStringLiteral("deleteMessage"));
    auto* importButton = new QToolButton(this);
    importButton->setText(tr("Import…"));
    importButton->setObjectName(QStringLiteral("importMessages"));
    importButton->setToolTip(tr("Add the messages of a collection file (or one message's file)"));
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export…"));
    exportButton->setObjectName(QStringLiteral("exportMessages"));
    exportButton->setToolTip(tr("Write every saved message into one collection file"));
    // Two short rows: the left column's width is the composer's, which a 1366 px window
    // cannot spare.
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(load_);
    buttons->addWidget(send_);
    buttons->addWidget(rename_);
    auto* files = new QHBoxLayout;
    files->addWidget(delete_);
    files->addWidget(importButton);
    files->addWidget(exportButton);

    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("savedStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(8, 6, 8, 6);
    col->addLayout(saveRow);
    col->addWidget(list_, 1);
    col->addLayout(buttons);
    col->addLayout(files);
    col->addWidget(status_);

    connect(save_, &QToolButton::clicked, this, [this] { saveCurrent(name_->text()); });
    connect(name_, &QLineEdit::returnPressed, this, [this] { saveCurrent(name_->text()); });
    connect(name_, &QLineEdit::textChanged, this, &SavedMessagesPanel::updateButtons);
    connect(load_, &QToolButton::clicked, this, [this] { loadMessage(selectedName()); });
    connect(list_, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { loadMessage(item->text()); });
    connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (item) name_->setText(item->text());
        updateButtons();
    });
    connect(send_, &QToolButton::clicked, this, [this] {
        if (loadMessage(selectedName())) composer_->sendOne();
    });
    connect(rename_, &QToolButton::clicked, this, [this] {
        const QString from = selectedName();
        bool ok = false;
        const QString to = QInputDialog::getText(this, tr("Rename saved message"), tr("New name:"),
                                                 QLineEdit::Normal, from, &ok);
        if (ok) renameMessage(from, to);
    });
    connect(delete_, &QToolButton::clicked, this, [this] {
        const QString name = selectedName();
        if (QMessageBox::question(this, tr("Delete saved message"),
                                  tr("Delete the saved message '%1'?").arg(name)) ==
            QMessageBox::Yes)
            deleteMessage(name);
    });
    connect(importButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import saved messages"), {},
                                                          tr("JSON (*.json);;All files (*)"));
        if (!path.isEmpty()) importFile(path);
    });
    connect(exportButton, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export saved messages"),
                                                          QStringLiteral("saved-messages.json"),
                                                          tr("JSON (*.json)"));
        if (!path.isEmpty()) exportFile(path);
    });
    refresh();
}

SavedMessagesPanel::~SavedMessagesPanel() = default;

QStringList SavedMessagesPanel::names() const {
    QStringList out;
    for (int i = 0; i < list_->count(); ++i)
        out << list_->item(i)->text();
    return out;
}

QString SavedMessagesPanel::status() const {
    return status_->text();
}

QString SavedMessagesPanel::selectedName() const {
    return list_->currentItem() ? list_->currentItem()->text() : QString();
}

void SavedMessagesPanel::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #d63333;") : QString());
}

void SavedMessagesPanel::updateButtons() {
    const bool selected = list_->currentItem() != nullptr;
    load_->setEnabled(selected);
    send_->setEnabled(selected);
    rename_->setEnabled(selected);
    delete_->setEnabled(selected);
    save_->setEnabled(!name_->text().trimmed().isEmpty());
}

void SavedMessagesPanel::refresh() {
    const QString current = selectedName();
    QStringList problems;
    const QVector<SavedMessage> all = store_->list(&problems);
    {
        const QSignalBlocker block(list_);
        list_->clear();
        for (const SavedMessage& m : all) {
            auto* item = new QListWidgetItem(m.name, list_);
            item->setToolTip(describe(m));
            if (m.name == current) list_->setCurrentItem(item);
        }
    }
    if (!problems.isEmpty())
        setStatus(tr("Skipped unreadable files:\n%1").arg(problems.join(QLatin1Char('\n'))), true);
    updateButtons();
}

bool SavedMessagesPanel::saveCurrent(const QString& name) {
    const QString n = name.trimmed();
    const bool replacing = store_->contains(n);
    const Status st =
        store_->save(SavedMessage{n, composer_->draft(), composer_->repeatSettings()});
    if (!st) {
        setStatus(qs(st.message()), true);
        return false;
    }
    refresh();
    const auto found = list_->findItems(n, Qt::MatchExactly);
    if (!found.isEmpty()) list_->setCurrentItem(found.first());
    setStatus(replacing ? tr("Replaced '%1'").arg(n)
                        : tr("Saved '%1' in %2").arg(n, store_->fileOf(n)));
    return true;
}

bool SavedMessagesPanel::loadMessage(const QString& name) {
    if (name.isEmpty()) return false;
    auto m = store_->load(name);
    if (!m) {
        setStatus(qs(m.error().message), true);
        return false;
    }
    composer_->setDraft(m->draft);
    composer_->setRepeatSettings(m->repeat);
    setStatus(tr("Loaded '%1' into the composer").arg(name));
    return true;
}

bool SavedMessagesPanel::renameMessage(const QString& from, const QString& to) {
    const Status st = store_->rename(from, to);
    if (!st) {
        setStatus(qs(st.message()), true);
        return false;
    }
    refresh();
    const auto found = list_->findItems(to.trimmed(), Qt::MatchExactly);
    if (!found.isEmpty()) list_->setCurrentItem(found.first());
    setStatus(tr("Renamed '%1' to '%2'").arg(from, to.trimmed()));
    return true;
}

bool SavedMessagesPanel::deleteMessage(const QString& name) {
    const Status st = store_->remove(name);
    if (!st) {
        setStatus(qs(st.message()), true);
        return false;
    }
    refresh();
    setStatus(tr("Deleted '%1'").arg(name));
    return true;
}

bool SavedMessagesPanel::importFile(const QString& path) {
    auto names = store_->importFrom(path);
    if (!names) {
        setStatus(qs(names.error().message), true);
        return false;
    }
    refresh();
    setStatus(tr("Imported %n message(s): %1", nullptr, static_cast<int>(names->size()))
                  .arg(names->join(QStringLiteral(", "))));
    return true;
}

bool SavedMessagesPanel::exportFile(const QString& path) {
    const Status st = store_->exportTo(path);
    if (!st) {
        setStatus(qs(st.message()), true);
        return false;
    }
    setStatus(tr("Exported %n message(s) to %1", nullptr, list_->count()).arg(path));
    return true;
}

}  // namespace bs::ui
