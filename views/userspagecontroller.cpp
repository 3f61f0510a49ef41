// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userspagecontroller.h"

#include "models/format.h"
#include "models/tabletext.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSettings>

namespace {

constexpr int kSearchDebounceMs = 250;
constexpr int kTopUsers = 10;
// Rows an in-place refresh loads again at most (five requests); rows beyond page in anew.
constexpr int kMaxRefreshRows = 5000;
const QString kSettingsGroup = QStringLiteral("usersTable");

// Default widths per UserListModel column, in pixels.
QList<int> defaultWidths()
{
    return {280, 70, 80, 105, 110, 110, 110, 95, 80, 100, 105};
}

bool isMeasure(int column)
{
    return column > UserListModel::UserIdColumn && column < UserListModel::FirstTraceColumn;
}

} // namespace

UsersPageController::UsersPageController(QObject *parent)
    : QObject(parent)
    , m_selection(&m_model)
    , m_columns(kSettingsGroup, defaultWidths())
{
    m_top.setPageSize(kTopUsers);
    m_top.setSinglePage(true);

    // The last sort is remembered; an unknown field from another version is ignored.
    QSettings settings;
    const QString sort = settings.value(kSettingsGroup + QStringLiteral("/orderBy")).toString();
    const QString field = sort.section(QLatin1Char('.'), 0, 0);
    if (UserListModel::columnForOrderField(field) >= 0) {
        UsersQuery q = m_model.query();
        q.orderField = field;
        q.descending = !sort.endsWith(QLatin1String(".asc"));
        m_model.setQuery(q);
    }
    m_autoRefresh = settings.value(kSettingsGroup + QStringLiteral("/autoRefresh")).toBool();

    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, &UsersPageController::applyQuery);
    connect(&m_timeRange, &TimeRange::changed, this, &UsersPageController::applyQuery);
    connect(&m_summary, &UsersSummary::environmentsChanged, this,
            &UsersPageController::environmentChanged);

    connect(&m_model, &UserListModel::queryChanged, this, &UsersPageController::sortChanged);
    connect(&m_model, &UserListModel::loadingChanged, this, &UsersPageController::loadingChanged);
    connect(&m_model, &UserListModel::loadedChanged, this, &UsersPageController::loadedChanged);
    connect(&m_model, &UserListModel::errorStringChanged, this,
            &UsersPageController::errorStringChanged);
    connect(&m_model, &UserListModel::totalCountChanged, this,
            &UsersPageController::totalCountChanged);
    connect(&m_model, &QAbstractItemModel::rowsInserted, this,
            &UsersPageController::loadedCountChanged);
    connect(&m_model, &QAbstractItemModel::rowsRemoved, this,
            &UsersPageController::loadedCountChanged);
    connect(&m_model, &UserListModel::refreshed, this, &UsersPageController::restoreSelection);
    connect(&m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_anchorRow = -1;
        Q_EMIT loadedCountChanged();
        Q_EMIT selectionChanged();
    });
    connect(&m_selection, &QItemSelectionModel::selectionChanged, this,
            &UsersPageController::selectionChanged);
    connect(&m_selection, &QItemSelectionModel::currentChanged, this,
            &UsersPageController::selectionChanged);
    connect(&m_top, &QAbstractItemModel::modelReset, this, &UsersPageController::topUsersChanged);
    connect(&m_top, &UserListModel::loadedChanged, this, &UsersPageController::topUsersChanged);
    connect(&m_top, &QAbstractItemModel::rowsInserted, this, &UsersPageController::topUsersChanged);
    connect(&m_top, &QAbstractItemModel::rowsRemoved, this, &UsersPageController::topUsersChanged);
    connect(&m_top, &QAbstractItemModel::dataChanged, this, &UsersPageController::topUsersChanged);
    connect(&m_watcher, &NewDataWatcher::newDataChanged, this, &UsersPageController::newDataSeen);
    connect(&m_watcher, &NewDataWatcher::baselineChanged, this,
            &UsersPageController::watchingChanged);
}

void UsersPageController::setClient(ApiClient *client)
{
    if (client == m_model.client())
        return;
    if (m_model.client())
        disconnect(m_model.client(), &ApiClient::connectionChanged, this, nullptr);
    applyQuery();
    m_model.setClient(client);
    m_top.setClient(client);
    // Another connection (switched in the header) is another set of users: load afresh.
    if (client)
        connect(client, &ApiClient::connectionChanged, this, &UsersPageController::refresh);
    m_watcher.setClient(client);
    loadFigures(m_model.query());
    m_summary.loadEnvironments(client);
    Q_EMIT clientChanged();
}

UsersQuery UsersPageController::currentQuery() const
{
    UsersQuery q = m_model.query();
    q.search = m_search.trimmed();
    q.from = m_timeRange.from(QDateTime::currentDateTimeUtc());
    q.to = m_timeRange.to();
    q.environments = m_environment.isEmpty() ? QStringList() : QStringList{m_environment};
    return q;
}

UsersQuery UsersPageController::topQuery(const UsersQuery &query) const
{
    const int column = sortColumn();
    UsersQuery top = query;
    top.orderField =
        UserListModel::orderField(isMeasure(column) ? column : UserListModel::CostColumn);
    top.descending = true;
    return top;
}

void UsersPageController::loadFigures(const UsersQuery &query)
{
    m_summary.load(m_model.client(), query);
    m_costHistogram.load(m_model.client(), query);
    m_watcher.setFilter(query); // a new baseline: what is loaded now is not new
}

void UsersPageController::applyQuery()
{
    const UsersQuery q = currentQuery();
    const bool changed = !(q == m_model.query());
    m_model.setQuery(q);
    if (changed && m_model.client())
        loadFigures(q);
    m_top.setQuery(topQuery(q));
}

int UsersPageController::sortColumn() const
{
    return UserListModel::columnForOrderField(m_model.query().orderField);
}

void UsersPageController::setSearch(const QString &search)
{
    if (m_search == search)
        return;
    m_search = search;
    Q_EMIT searchChanged();
    m_searchDebounce.start();
}

void UsersPageController::setEnvironment(const QString &environment)
{
    if (m_environment == environment)
        return;
    m_environment = environment;
    Q_EMIT environmentChanged();
    applyQuery();
}

QStringList UsersPageController::environmentChoices() const
{
    return QStringList{tr("All environments")} + m_summary.environments();
}

int UsersPageController::environmentIndex() const
{
    return m_environment.isEmpty() ? 0 : int(environmentChoices().indexOf(m_environment));
}

void UsersPageController::setEnvironmentIndex(int index)
{
    if (index >= 0 && index < environmentChoices().size())
        setEnvironment(index == 0 ? QString() : environmentChoices().at(index));
}

void UsersPageController::sortBy(int column)
{
    if (column < 0 || column >= UserListModel::ColumnCount)
        return;
    bool descending = isNumericColumn(column);
    if (column == sortColumn())
        descending = !sortDescending();
    m_model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    saveSort();
    applyQuery(); // the top-10 chart follows the sort measure
}

void UsersPageController::saveSort() const
{
    QSettings settings;
    settings.setValue(kSettingsGroup + QStringLiteral("/orderBy"), m_model.query().orderBy());
}

void UsersPageController::refresh()
{
    const UsersQuery before = m_model.query();
    applyQuery();
    // applyQuery() reloads only when the query changed (a preset moved with the clock).
    if (m_model.query() == before) {
        m_model.reload();
        m_top.reload();
        loadFigures(m_model.query());
    }
    m_summary.loadEnvironments(m_model.client());
}

void UsersPageController::refreshInPlace()
{
    if (!m_model.client())
        return;
    m_keptSelection.clear();
    for (const int row : selectedRows())
        m_keptSelection.append(m_model.user(row).userId);
    m_keptCurrent = userIdAt(currentRow());
    m_keptAnchor = userIdAt(m_anchorRow);
    const UsersQuery q = currentQuery();
    m_model.refreshInPlace(q, std::min(m_model.rowCount(), kMaxRefreshRows));
    m_top.refreshInPlace(topQuery(q), kTopUsers);
    loadFigures(q);
}

void UsersPageController::restoreSelection()
{
    QItemSelection selection;
    int current = -1;
    m_anchorRow = -1;
    for (int row = 0; row < m_model.rowCount(); ++row) {
        const QString &id = m_model.user(row).userId;
        if (m_keptSelection.contains(id))
            selection.select(m_model.index(row, 0), m_model.index(row, 0));
        if (id == m_keptCurrent)
            current = row;
        if (id == m_keptAnchor)
            m_anchorRow = row;
    }
    m_selection.select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_selection.setCurrentIndex(current >= 0 ? m_model.index(current, 0) : QModelIndex(),
                                QItemSelectionModel::NoUpdate);
    m_keptSelection.clear();
    Q_EMIT selectionChanged();
}

void UsersPageController::setWatching(bool watching)
{
    if (watching == m_watcher.isActive())
        return;
    m_watcher.setActive(watching);
    Q_EMIT watchingChanged();
}

void UsersPageController::setPollInterval(int ms)
{
    if (ms == m_watcher.interval())
        return;
    m_watcher.setInterval(ms);
    Q_EMIT watchingChanged();
}

void UsersPageController::setAutoRefresh(bool on)
{
    if (on == m_autoRefresh)
        return;
    m_autoRefresh = on;
    QSettings().setValue(kSettingsGroup + QStringLiteral("/autoRefresh"), on);
    Q_EMIT autoRefreshChanged();
    Q_EMIT newDataChanged();
    if (on && m_watcher.hasNewData())
        refreshInPlace();
}

void UsersPageController::newDataSeen()
{
    if (m_watcher.hasNewData() && m_autoRefresh)
        refreshInPlace(); // takes a new baseline, which clears hasNewData() again
    else
        Q_EMIT newDataChanged();
}

void UsersPageController::fetchMore()
{
    if (m_model.canFetchMore({}))
        m_model.fetchMore({});
}

bool UsersPageController::isNumericColumn(int column) const
{
    return m_model.headerData(column, Qt::Horizontal, UserListModel::NumericRole).toBool();
}

QString UsersPageController::columnTitle(int column) const
{
    return m_model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
}

QString UsersPageController::userIdAt(int row) const
{
    if (row < 0 || row >= m_model.rowCount())
        return {};
    return m_model.user(row).userId;
}

QString UsersPageController::neighbour(const QString &userId, int delta)
{
    for (int row = 0; row < m_model.rowCount(); ++row) {
        if (m_model.user(row).userId != userId)
            continue;
        if (row + delta >= m_model.rowCount() - 10)
            fetchMore();
        return userIdAt(row + delta);
    }
    return {};
}

int UsersPageController::selectedCount() const
{
    return int(m_selection.selectedRows().size());
}

int UsersPageController::currentRow() const
{
    return m_selection.currentIndex().isValid() ? m_selection.currentIndex().row() : -1;
}

void UsersPageController::selectRow(int row, int modifiers)
{
    if (row < 0 || row >= m_model.rowCount())
        return;
    const QModelIndex index = m_model.index(row, 0);
    const auto rows = QItemSelectionModel::Rows;
    if ((modifiers & Qt::ShiftModifier) && m_anchorRow >= 0) {
        const QItemSelection range(m_model.index(std::min(m_anchorRow, row), 0),
                                   m_model.index(std::max(m_anchorRow, row), 0));
        const auto base = (modifiers & Qt::ControlModifier) ? QItemSelectionModel::Select
                                                            : QItemSelectionModel::ClearAndSelect;
        m_selection.select(range, base | rows);
        m_selection.setCurrentIndex(index, QItemSelectionModel::NoUpdate);
        return;
    }
    if (modifiers & Qt::ControlModifier)
        m_selection.setCurrentIndex(index, QItemSelectionModel::Toggle | rows);
    else
        m_selection.setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | rows);
    m_anchorRow = row;
}

int UsersPageController::moveCurrent(int delta, int modifiers)
{
    if (m_model.rowCount() == 0)
        return -1;
    const int from = currentRow();
    const int row = std::clamp(from < 0 ? 0 : from + delta, 0, m_model.rowCount() - 1);
    if (from < 0 || !(modifiers & Qt::ShiftModifier))
        m_anchorRow = -1;
    else if (m_anchorRow < 0)
        m_anchorRow = from;
    selectRow(row, modifiers & Qt::ShiftModifier);
    if (row >= m_model.rowCount() - 10)
        fetchMore();
    return row;
}

void UsersPageController::selectAll()
{
    if (m_model.rowCount() == 0)
        return;
    m_selection.select(
        QItemSelection(m_model.index(0, 0), m_model.index(m_model.rowCount() - 1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QList<int> UsersPageController::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_selection.selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

QString UsersPageController::selectionAsTsv() const
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return {};
    QList<int> columns;
    for (int c = 0; c < UserListModel::ColumnCount; ++c) {
        if (m_columns.isVisible(c))
            columns.append(c);
    }
    return TableText::toTsv(m_model, rows, columns, UserListModel::ValueRole);
}

int UsersPageController::copySelection() const
{
    const QString tsv = selectionAsTsv();
    if (tsv.isEmpty())
        return 0;
    QGuiApplication::clipboard()->setText(tsv);
    return selectedCount();
}

QStringList UsersPageController::topUserIds() const
{
    QStringList ids;
    for (int row = 0; row < m_top.rowCount(); ++row)
        ids.append(m_top.user(row).userId);
    return ids;
}

QList<double> UsersPageController::topValues() const
{
    const int column = UserListModel::columnForOrderField(m_top.query().orderField);
    QList<double> values;
    for (int row = 0; row < m_top.rowCount(); ++row)
        values.append(m_top.index(row, column).data(UserListModel::ValueRole).toDouble());
    return values;
}

QString UsersPageController::topMeasure() const
{
    return columnTitle(UserListModel::columnForOrderField(m_top.query().orderField));
}
