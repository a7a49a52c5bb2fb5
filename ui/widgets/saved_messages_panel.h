#pragma once

#include <QWidget>
#include <memory>

#include "models/saved_messages.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QToolButton;

namespace bs::ui {

class RecordComposer;

// The Saved messages dock: the composer's record saved under a name, listed to load (double
// click), rename, delete, send; import and export of a collection file. Stored by a
// SavedMessageStore (one JSON file per message in the user's data dir). Its controls carry
// object names (savedMessages, savedName, saveMessage, loadMessage, sendSaved, renameMessage,
// deleteMessage, importMessages, exportMessages, savedStatus). GUI thread only.
class SavedMessagesPanel : public QWidget {
    Q_OBJECT
  public:
    // `dir`: where the files are (SavedMessageStore::defaultDir() when empty).
    SavedMessagesPanel(RecordComposer* composer, const QString& dir = {},
                       QWidget* parent = nullptr);
    ~SavedMessagesPanel() override;

    const SavedMessageStore& store() const { return *store_; }
    QStringList names() const;
    QString status() const;

    // What the buttons do, without their dialogs; each says in the status line what happened.
    bool saveCurrent(const QString& name);
    bool loadMessage(const QString& name);
    bool renameMessage(const QString& from, const QString& to);
    bool deleteMessage(const QString& name);
    bool importFile(const QString& path);
    bool exportFile(const QString& path);
    // Rereads the folder.
    void refresh();

  private:
    QString selectedName() const;
    void setStatus(const QString& text, bool error = false);
    void updateButtons();

    RecordComposer* composer_;
    std::unique_ptr<SavedMessageStore> store_;
    QListWidget* list_;
    QLineEdit* name_;
    QToolButton *save_, *load_, *send_, *rename_, *delete_;
    QLabel* status_;
};

}  // namespace bs::ui
