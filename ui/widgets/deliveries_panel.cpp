#include "widgets/deliveries_panel.h"

#include <algorithm>

#include "widgets/live_label.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace bs::ui {

DeliveriesPanel::DeliveriesPanel(DeliveriesModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter deliveries (key, value, partition, error)…"));
    filter_->setClearButtonEnabled(true);
    summary_ = new LiveLabel(tr("1000000 delivered · 0 failed"), this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1);
    proxy_->setSortRole(Qt::UserRole);
    table_ = new QTableView(this);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(DeliveriesModel::Seq, Qt::DescendingOrder);
    // The model already holds rows newest first: keep the indicator but not the proxy's sort,
    // which re-sorted every burst of thousands of deliveries (bench_gui_overhead). A header
    // click sorts for real.
    proxy_->sort(-1);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    const int cw = fontMetrics().averageCharWidth();
    // Room for a seven-digit "#" and the header's sort arrow ("352..." was cut).
    table_->setColumnWidth(DeliveriesModel::Seq,
                           fontMetrics().horizontalAdvance(QStringLiteral("0000000")) + 22);
    table_->setColumnWidth(DeliveriesModel::Key, cw * 14);
    table_->setColumnWidth(DeliveriesModel::Value, cw * 28);
    table_->setColumnWidth(DeliveriesModel::Partition, cw * 10);
    table_->setColumnWidth(DeliveriesModel::Offset, cw * 9);
    // Wide enough for its header's words, which are longer than the numbers under them.
    const int headerPad = 4 * cw;
    table_->setColumnWidth(
        DeliveriesModel::Latency,
        std::max(cw * 11,
                 table_->horizontalHeader()->fontMetrics().horizontalAdvance(
                     model_->headerData(DeliveriesModel::Latency, Qt::Horizontal, Qt::DisplayRole)
                         .toString()) +
                     headerPad));
    // Where each record landed first, then what it was: in a narrow dock the partition and
    // offset stay in sight and the value is what scrolls away.
    QHeaderView* header = table_->horizontalHeader();
    // Rows come in callback order (newest first), which is not the order of "#" when partitions
    // complete out of step: no arrow until a header click really sorts.
    header->setSortIndicatorShown(false);
    connect(header, &QHeaderView::sectionClicked, header,
            [header] { header->setSortIndicatorShown(true); });
    header->moveSection(header->visualIndex(DeliveriesModel::Partition), 1);
    header->moveSection(header->visualIndex(DeliveriesModel::Offset), 2);
    header->moveSection(header->visualIndex(DeliveriesModel::Latency), 3);
    auto* top = new QHBoxLayout;
    top->addWidget(filter_, 1);
    top->addWidget(summary_);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(4, 4, 4, 4);
    col->addLayout(top);
    col->addWidget(table_, 1);
    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(model_, &QAbstractItemModel::rowsInserted, this, &DeliveriesPanel::updateSummary);
    connect(model_, &QAbstractItemModel::modelReset, this, &DeliveriesPanel::updateSummary);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, &DeliveriesPanel::showMenu);
    connect(table_, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex& index) { showInInspector(index.row()); });
    updateSummary();
}

bool DeliveriesPanel::showInInspector(int viewRow) {
    const QModelIndex source = proxy_->mapToSource(proxy_->index(viewRow, 0));
    if (!source.isValid()) return false;
    const Delivery& d = model_->at(source.row());
    if (!d.ok() || d.offset < 0) return false;
    Q_EMIT recordRequested(d.topic, d.partition, d.offset);
    return true;
}

bool DeliveriesPanel::sendAgain(int viewRow) {
    const QModelIndex source = proxy_->mapToSource(proxy_->index(viewRow, 0));
    if (!source.isValid()) return false;
    const Delivery& d = model_->at(source.row());
    if (!d.ok() || d.offset < 0) return false;
    Q_EMIT replayRequested(d.topic, d.partition, d.offset);
    return true;
}

void DeliveriesPanel::showMenu(const QPoint& pos) {
    const QModelIndex index = table_->indexAt(pos);
    if (!index.isValid()) return;
    const Delivery& d = model_->at(proxy_->mapToSource(index).row());
    QMenu menu(this);
    QAction* open = menu.addAction(tr("Show in Topic inspector"));
    open->setEnabled(d.ok() && d.offset >= 0);
    // The stored record is read back first: the table keeps only previews.
    QAction* again = menu.addAction(tr("Send again…"));
    again->setEnabled(d.ok() && d.offset >= 0);
    QAction* chosen = menu.exec(table_->viewport()->mapToGlobal(pos));
    if (chosen == open) showInInspector(index.row());
    if (chosen == again) sendAgain(index.row());
}

void DeliveriesPanel::updateSummary() {
    summary_->setText(tr("%1 delivered · %2 failed")
                          .arg(model_->totalAdded() - model_->totalErrors())
                          .arg(model_->totalErrors()));
}

}  // namespace bs::ui
