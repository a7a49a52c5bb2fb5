#pragma once

#include <QWidget>
#include <memory>
#include <optional>

#include "delivery.h"
#include "models/inspector_model.h"
#include "record_file/file_record.h"
#include "record_draft.h"
#include "session/cluster_session.h"
#include "session/inspector_reader.h"

class QComboBox;
class QLabel;
class QMenu;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace bs::ui {

class InspectorSearchBar;

// The Topic inspector dock: browse a topic's records by offset with the core consumer (Fetch),
// rendered with the chosen deserializers, rows of one stored batch banded; the selected record's
// fields, headers, batch header and (embedded cluster) the segment file and byte position that
// hold its batch; hex and pretty-JSON views of its key and value. Reads with its own consumer
// (InspectorReader); asks the session where a record is stored. Its controls carry object names
// (topic, partition, start, startValue, until, keyDeserializer, valueDeserializer, read, follow,
// older, records, detail, payloadField, payloadMode, payload, status). GUI thread only.
class TopicInspector : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kJumpContext = 5;  // records shown before the one jumped to

    explicit TopicInspector(ClusterSession* session, QWidget* parent = nullptr);

    // Reads topic-partition from a few records before `offset` and selects that record.
    void showRecord(const QString& topic, int partition, qint64 offset);
    // "Send again…": emits replayRequested with the record of `row` (false when there is none).
    bool sendAgain(int row);
    // Reads partition@offset as showRecord() does, then sends it again (a delivery's replay).
    void replayRecord(const QString& topic, int partition, qint64 offset);
    // Searches the topic from the start position with the search row's conditions (its
    // progress and outcome show in that row); an invalid condition is reported there.
    void search();
    // UTC, local or relative timestamps (the records' and the header's context menu).
    void setTimeDisplay(TimeDisplay display);
    // Starts a browse with the current controls.
    void read();
    void setFollow(bool on);
    bool following() const;

    // The cluster's topics and partitions (the topic and partition choices).
    void setClusterInfo(const ClusterInfo& info);

    // Export: the loaded records (every row the table holds, in its order) as a record file;
    // returns the error, empty on success. The Export… button asks for the file and format.
    QString exportLoaded(const QString& path, recordfile::Format format) const;
  Q_SIGNALS:
    // The record, as a draft that sends the same key, value and header bytes (replay_draft.h).
    void replayRequested(const bs::ui::RecordDraft& draft);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void buildUi();
    void onConnected();
    void updatePartitions();
    void onPage(const std::shared_ptr<const InspectorPage>& page);
    void onLocated(const QString& topic, int partition, qint64 offset, const RecordLocation& loc);
    void requestNewer();
    void requestOlder();
    void followNext();
    void onCurrentRowChanged();
    void showDetail();
    void updatePayload();
    void exportDialog();
    void updateStatus();
    void updateStartHint();
    void applyColors();
    std::optional<InspectorQuery> queryFromControls(QString& error) const;
    int selectedRow() const;
    QMenu* timeMenu(QWidget* parent);

    ClusterSession* session_;
    InspectorModel* model_;
    InspectorReader* reader_;
    ClusterInfo cluster_;

    QComboBox *topic_ = nullptr, *partition_ = nullptr, *start_ = nullptr;
    QLineEdit *startValue_ = nullptr, *until_ = nullptr;
    QComboBox *keyDeser_ = nullptr, *valueDeser_ = nullptr;
    QPushButton *readButton_ = nullptr, *older_ = nullptr;
    QToolButton* follow_ = nullptr;
    QLabel* status_ = nullptr;
    QTableView* table_ = nullptr;
    QTextBrowser* detail_ = nullptr;
    QComboBox *payloadField_ = nullptr, *payloadMode_ = nullptr;
    QPlainTextEdit* payload_ = nullptr;
    InspectorSearchBar* search_ = nullptr;

    QString error_;  // of the last read
    // The record a jump wants selected when its page arrives.
    std::optional<std::pair<int, qint64>> pendingSelect_;
    bool pendingReplay_ = false;  // send pendingSelect_'s record again once it is read
    // The record the detail pane shows (rows move when pages are prepended or trimmed).
    std::optional<std::pair<int, qint64>> shown_;
    std::optional<RecordLocation> location_;
};

}  // namespace bs::ui
