#pragma once

#include <QWidget>
#include <optional>

#include "consumer/record_filter.h"
#include "models/inspector_page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace bs::ui {

class LiveProgressBar;

// The topic inspector's search row: conditions on key (exact or substring), value (substring or
// regular expression), header name/value, a JSON path on the value and a timestamp range, the
// scan limit, Search / Stop, and the scan's progress (records scanned, matched, position per
// partition) and outcome, which says when the scan limit cut it short. Its controls carry
// object names (searchKey, searchKeyMode, searchValue, searchValueMode, searchHeaderName,
// searchHeaderValue, searchJsonPath, searchFrom, searchTo, searchLimit, search, stopSearch,
// searchProgress, searchStatus). GUI thread only.
class InspectorSearchBar : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kDefaultScanLimit = 1000000;

    explicit InspectorSearchBar(QWidget* parent = nullptr);

    // The conditions as typed; nullopt with `error` naming the field when one cannot be read
    // (a timestamp), or when the filter does not compile (regex, JSON path).
    std::optional<consumer::RecordFilterSpec> spec(QString& error) const;
    qint64 scanLimit() const;

    void setRunning(bool running);
    bool running() const;
    // A read or a new connection replaced the running search: it says so.
    void abandon();
    void showProgress(const SearchProgress& p);
    void showError(const QString& error);
    QString statusText() const;

  Q_SIGNALS:
    void searchRequested();
    void stopRequested();

  private:
    QLineEdit *key_, *value_, *headerName_, *headerValue_, *jsonPath_, *from_, *to_;
    QComboBox *keyMode_, *valueMode_;
    QSpinBox* limit_;
    QPushButton *search_, *stop_;
    LiveProgressBar* progress_;
    QLabel* status_;
};

// "1796558400123", "2026-12-06 12:00:00", "2026-12-06 12:00:00.123" or ISO 8601 ("...T...Z")
// as epoch ms, UTC unless the text says otherwise; nullopt when it is none of these.
std::optional<qint64> parseSearchTime(const QString& text);

}  // namespace bs::ui
