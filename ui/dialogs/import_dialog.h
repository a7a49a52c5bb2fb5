#pragma once

#include <QDialog>
#include <optional>

#include "session/record_import.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace bs::ui {

class ClusterSession;
class LiveProgressBar;
class SendService;

// File ▸ Import records…: publish a record file (JSON Lines, CSV, text lines; see
// docs/RECORD_FILES.md) to a topic. Choosing a file checks all of it off the GUI thread: a
// preview of the first rows with each bad row's reason, and the count of records and bad lines.
// Import stays disabled while the file has a bad line unless "Skip bad lines" is ticked; then a
// progress bar, Pause and Cancel, and a summary (sent, delivered, failed with reasons, skipped).
// Non-modal. Controls carry object names (path, browse, format, keySeparator, topic, rate,
// skipBadLines, preview, count, import, pause, cancel, progress, summary). GUI thread only.
class ImportDialog : public QDialog {
    Q_OBJECT
  public:
    // `sends` (may be null): the records' deliveries also show in the Deliveries.
    ImportDialog(ClusterSession* session, SendService* sends, QWidget* parent = nullptr);

    // Chooses the file (as Browse does) and checks it.
    void setFile(const QString& path);
    const std::optional<ImportCheck>& lastCheck() const { return check_; }
    const std::optional<ImportSummary>& lastSummary() const { return summary_; }
    bool importing() const { return importer_->running(); }

  private:
    void browse();
    void recheck();
    void onChecked(const ImportCheck& c);
    void startImport();
    void onProgress(qint64 sent, qint64 delivered, qint64 failed);
    void onFinished(const ImportSummary& s);
    void updateButtons();
    recordfile::ReadOptions options() const;

    ClusterSession* session_;
    RecordImporter* importer_;
    std::optional<ImportCheck> check_;
    std::optional<ImportSummary> summary_;
    quint64 checkGeneration_ = 0, checkAnswered_ = 0;

    QLineEdit *path_ = nullptr, *keySeparator_ = nullptr;
    QComboBox *format_ = nullptr, *topic_ = nullptr;
    QDoubleSpinBox* rate_ = nullptr;
    QCheckBox* skipBad_ = nullptr;
    QTableWidget* preview_ = nullptr;
    QLabel* count_ = nullptr;
    LiveProgressBar* progress_ = nullptr;
    QPushButton *import_ = nullptr, *pause_ = nullptr, *cancel_ = nullptr;
    QPlainTextEdit* summaryText_ = nullptr;
};

}  // namespace bs::ui
