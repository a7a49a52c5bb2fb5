#include "widgets/inspector_search_bar.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>

#include "widgets/live_progress_bar.h"

namespace bs::ui {

namespace {
QLineEdit* edit(QWidget* parent, const char* name, const QString& placeholder, const QString& tip) {
    auto* e = new QLineEdit(parent);
    e->setObjectName(QLatin1String(name));
    e->setPlaceholderText(placeholder);
    e->setToolTip(tip);
    e->setClearButtonEnabled(true);
    return e;
}

std::optional<std::string> text(const QLineEdit* e) {
    if (e->text().isEmpty()) return std::nullopt;
    return e->text().toStdString();
}

QString number(qint64 n) {
    return QLocale::system().toString(n);
}
}  // namespace

std::optional<qint64> parseSearchTime(const QString& raw) {
    const QString t = raw.trimmed();
    bool isNumber = false;
    const qint64 ms = t.toLongLong(&isNumber);
    if (isNumber) return ms;
    for (const char* format :
         {"yyyy-MM-dd HH:mm:ss.zzz", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"}) {
        QDateTime dt = QDateTime::fromString(t, QLatin1String(format));
        if (dt.isValid()) {
            dt.setTimeZone(QTimeZone::utc());
            return dt.toMSecsSinceEpoch();
        }
    }
    const QDateTime iso = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (iso.isValid()) return iso.toMSecsSinceEpoch();
    return std::nullopt;
}

InspectorSearchBar::InspectorSearchBar(QWidget* parent) : QWidget(parent) {
    keyMode_ = new QComboBox(this);
    keyMode_->setObjectName(QStringLiteral("searchKeyMode"));
    keyMode_->addItem(tr("key contains"));
    keyMode_->addItem(tr("key ="));
    key_ = edit(this, "searchKey", tr("key"), tr("The key's bytes contain (or equal) this text"));
    valueMode_ = new QComboBox(this);
    valueMode_->setObjectName(QStringLiteral("searchValueMode"));
    valueMode_->addItem(tr("value contains"));
    valueMode_->addItem(tr("value regex"));
    value_ = edit(this, "searchValue", tr("value"),
                  tr("Substring of the value, or a regular expression (Perl syntax) searched in "
                     "it"));
    headerName_ =
        edit(this, "searchHeaderName", tr("header name"), tr("A header with exactly this name"));
    headerValue_ = edit(this, "searchHeaderValue", tr("header value"),
                        tr("A header (of that name, if given) whose value contains this"));
    jsonPath_ = edit(this, "searchJsonPath", tr("$.order.id == 42"),
                     tr("A JSON path on the value: $.a.b, $.items[0].sku, $[\"odd name\"]; "
                        "== != < <= > >= contains a JSON value; a path alone: the field exists "
                        "(docs/INSPECTOR_SEARCH.md)"));
    from_ = edit(this, "searchFrom", tr("time from"),
                 tr("Timestamp at or after: epoch ms, yyyy-MM-dd HH:mm:ss (UTC) or ISO 8601"));
    to_ = edit(this, "searchTo", tr("time to"),
               tr("Timestamp at or before: epoch ms, yyyy-MM-dd HH:mm:ss (UTC) or ISO 8601"));
    limit_ = new QSpinBox(this);
    limit_->setObjectName(QStringLiteral("searchLimit"));
    limit_->setRange(1, 2000000000);
    limit_->setValue(kDefaultScanLimit);
    limit_->setGroupSeparatorShown(true);
    limit_->setPrefix(tr("scan ≤ "));
    limit_->setToolTip(
        tr("Stop after looking at this many records (the result then says where "
           "each partition was left)"));
    search_ = new QPushButton(tr("Search"), this);
    search_->setObjectName(QStringLiteral("search"));
    search_->setToolTip(
        tr("Scan the topic from the start position with these conditions (all "
           "must hold) and show only the records that match"));
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setObjectName(QStringLiteral("stopSearch"));
    stop_->setEnabled(false);
    progress_ = new LiveProgressBar(this);
    progress_->setObjectName(QStringLiteral("searchProgress"));
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(fontMetrics().averageCharWidth() * 16);
    progress_->setMaximumHeight(fontMetrics().height());
    progress_->hide();
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("searchStatus"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setWordWrap(true);

    auto* row1 = new QHBoxLayout;
    row1->setContentsMargins(0, 0, 0, 0);
    row1->addWidget(keyMode_);
    row1->addWidget(key_, 1);
    row1->addWidget(valueMode_);
    row1->addWidget(value_, 2);
    row1->addWidget(headerName_, 1);
    row1->addWidget(headerValue_, 1);
    row1->addWidget(jsonPath_, 2);
    auto* row2 = new QHBoxLayout;
    row2->setContentsMargins(0, 0, 0, 0);
    row2->addWidget(from_, 1);
    row2->addWidget(to_, 1);
    row2->addWidget(limit_);
    row2->addWidget(search_);
    row2->addWidget(stop_);
    row2->addWidget(progress_);
    row2->addWidget(status_, 3);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(2);
    col->addLayout(row1);
    col->addLayout(row2);

    connect(search_, &QPushButton::clicked, this, &InspectorSearchBar::searchRequested);
    connect(stop_, &QPushButton::clicked, this, &InspectorSearchBar::stopRequested);
    for (QLineEdit* e : {key_, value_, headerName_, headerValue_, jsonPath_, from_, to_})
        connect(e, &QLineEdit::returnPressed, this, &InspectorSearchBar::searchRequested);
}

std::optional<consumer::RecordFilterSpec> InspectorSearchBar::spec(QString& error) const {
    consumer::RecordFilterSpec s;
    (keyMode_->currentIndex() == 1 ? s.keyEquals : s.keyContains) = text(key_);
    (valueMode_->currentIndex() == 1 ? s.valueRegex : s.valueContains) = text(value_);
    s.headerName = text(headerName_);
    s.headerValue = text(headerValue_);
    if (!jsonPath_->text().trimmed().isEmpty()) s.jsonPath = jsonPath_->text().toStdString();
    for (auto [edit, slot, name] : {std::tuple{from_, &s.timestampFrom, tr("time from")},
                                    std::tuple{to_, &s.timestampTo, tr("time to")}}) {
        if (edit->text().trimmed().isEmpty()) continue;
        const auto ms = parseSearchTime(edit->text());
        if (!ms) {
            error = tr("%1: '%2' is not epoch ms, yyyy-MM-dd HH:mm:ss (UTC) or ISO 8601")
                        .arg(name, edit->text());
            return std::nullopt;
        }
        *slot = *ms;
    }
    if (auto f = consumer::RecordFilter::create(s); !f) {
        error = QString::fromStdString(f.error().message);
        return std::nullopt;
    }
    return s;
}

qint64 InspectorSearchBar::scanLimit() const {
    return limit_->value();
}

void InspectorSearchBar::setRunning(bool running) {
    search_->setEnabled(!running);
    stop_->setEnabled(running);
    progress_->setVisible(running);
    if (running) {
        progress_->setValue(0);
        status_->setStyleSheet(QString());
        status_->setText(tr("searching…"));
    }
}

bool InspectorSearchBar::running() const {
    return stop_->isEnabled();
}

void InspectorSearchBar::abandon() {
    if (!running()) return;
    setRunning(false);
    status_->setText(tr("search abandoned (a new read replaced it)"));
}

void InspectorSearchBar::showError(const QString& error) {
    setRunning(false);
    status_->setStyleSheet(QStringLiteral("color: #d63333;"));
    status_->setText(error);
}

QString InspectorSearchBar::statusText() const {
    return status_->text();
}

void InspectorSearchBar::showProgress(const SearchProgress& p) {
    qint64 total = 0, done = 0;
    QStringList where;
    for (const auto& [partition, pos] : p.partitions) {
        total += pos.stop - pos.from;
        done += pos.next - pos.from;
        where << tr("P%1 %2/%3").arg(partition).arg(number(pos.next), number(pos.stop));
    }
    progress_->setLiveValue(total > 0 ? static_cast<int>(done * 1000 / total) : 1000);
    QString text = tr("scanned %1 · matched %2").arg(number(p.scanned), number(p.matched));
    if (!p.done) {
        status_->setText(text + QStringLiteral(" · ") + where.join(QStringLiteral(", ")));
        return;
    }
    setRunning(false);
    if (!p.error.isEmpty()) return showError(text + QStringLiteral(" · ") + p.error);
    if (p.hitScanLimit || p.hitMatchLimit || p.stopped) {
        // Say what was not looked at, never a silent partial result.
        QStringList left;
        for (const auto& [partition, pos] : p.partitions)
            if (pos.next < pos.stop)
                left
                    << tr("P%1 at %2 of %3").arg(partition).arg(number(pos.next), number(pos.stop));
        const QString why = p.stopped        ? tr("stopped")
                            : p.hitScanLimit ? tr("scan limit reached")
                                             : tr("match limit reached");
        text = tr("%1 · %2: not scanned to the end: %3")
                   .arg(why, text, left.join(QStringLiteral(", ")));
        status_->setStyleSheet(QStringLiteral("color: #c07000;"));
    } else {
        text = tr("done · %1 (all of %n partition(s) to the end)", nullptr,
                  static_cast<int>(p.partitions.size()))
                   .arg(text);
        status_->setStyleSheet(QString());
    }
    status_->setText(text);
}

}  // namespace bs::ui
