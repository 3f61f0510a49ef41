// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/userlistmodel.h"

#include "models/format.h"

#include <array>

namespace {

struct ColumnInfo
{
    const char *title;
    const char *orderField;
    bool numeric;
};

constexpr std::array<ColumnInfo, UserListModel::ColumnCount> kColumns{{
    {"User ID", "userId", false},
    {"Traces", "totalTraces", true},
    {"Sessions", "totalSessions", true},
    {"Observations", "totalObservations", true},
    {"Input tokens", "inputTokens", true},
    {"Output tokens", "outputTokens", true},
    {"Total tokens", "totalTokens", true},
    {"Cost (USD)", "totalCost", true},
    {"Avg score", "averageScore", true},
    {"First trace", "firstTraceAt", true},
    {"Last trace", "lastTraceAt", true},
}};

} // namespace

UserListModel::UserListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void UserListModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void UserListModel::setQuery(const UsersQuery &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    reload();
}

void UserListModel::reload()
{
    m_request.cancel(); // a late reply of the old query must not land in the new rows
    const bool totalChanged = m_totalCount != 0;
    const bool errorChanged = !m_errorString.isEmpty();
    // All state is reset before endResetModel(): views call canFetchMore() from inside it.
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    m_covered = 0;
    m_answered = false;
    m_totalCount = 0;
    m_errorString.clear();
    endResetModel();
    if (totalChanged)
        Q_EMIT totalCountChanged();
    if (errorChanged)
        Q_EMIT errorStringChanged();
    setLoaded(false);
    if (m_client)
        requestNext();
    else
        setLoading(false);
}

void UserListModel::refreshInPlace(const UsersQuery &query, int keepRows)
{
    m_request.cancel();
    if (!(m_query == query)) {
        m_query = query;
        Q_EMIT queryChanged();
    }
    if (!m_client)
        return;
    // As few requests as cover the rows: one up to the API's maximum, else bulk pages.
    const int rows = std::max(keepRows, m_pageSize);
    const int limit = m_singlePage ? m_pageSize : std::min(rows, m_bulkPageSize);
    const int pages = m_singlePage ? 1 : (rows + limit - 1) / limit;
    m_refreshRows.clear();
    m_refreshTotal = 0;
    m_refreshKeep = m_singlePage ? m_pageSize : rows;
    requestRefreshPage(1, limit, pages);
}

void UserListModel::requestRefreshPage(int page, int limit, int pages)
{
    UsersQuery q = m_query;
    q.page = page;
    q.limit = limit;
    setLoading(true);
    m_request = m_client->users(
        q, this, [this, page, limit, pages](const ApiResult<Page<UserSummary>> &result) {
            m_request = {};
            if (!result.ok()) {
                // The rows shown stay; the banner says why they could not be renewed.
                m_refreshRows.clear();
                setErrorString(result.error().message);
                setLoading(false);
                return;
            }
            m_refreshRows.append(result.value().items);
            m_refreshTotal = result.value().meta.totalItems;
            if (page < pages && qint64(page) * limit < m_refreshTotal &&
                result.value().items.size() == limit) {
                requestRefreshPage(page + 1, limit, pages);
                return;
            }
            // Whole pages may bring more than asked for: the rows keep the asked-for count.
            if (m_refreshRows.size() > m_refreshKeep)
                m_refreshRows.resize(m_refreshKeep);
            m_covered = m_refreshRows.size();
            swapInRefreshed();
            setLoading(false);
            Q_EMIT refreshed();
        });
}

void UserListModel::swapInRefreshed()
{
    QList<UserSummary> rows;
    m_ids.clear();
    rows.reserve(m_refreshRows.size());
    for (UserSummary &u : m_refreshRows) {
        if (!m_ids.contains(u.userId)) { // rows shift between pages when data arrives
            m_ids.insert(u.userId);
            rows.append(std::move(u));
        }
    }
    m_refreshRows.clear();
    m_answered = true;
    setErrorString({});
    const int before = int(m_rows.size());
    const int after = int(rows.size());
    const int common = std::min(before, after);
    if (after < before) {
        beginRemoveRows({}, after, before - 1);
        m_rows.resize(after);
        endRemoveRows();
    }
    for (int row = 0; row < common; ++row)
        m_rows[row] = std::move(rows[row]);
    if (common > 0)
        Q_EMIT dataChanged(index(0, 0), index(common - 1, ColumnCount - 1));
    if (after > before) {
        beginInsertRows({}, before, after - 1);
        for (int row = before; row < after; ++row)
            m_rows.append(std::move(rows[row]));
        endInsertRows();
    }
    if (m_totalCount != m_refreshTotal) {
        m_totalCount = m_refreshTotal;
        Q_EMIT totalCountChanged();
    }
    setLoaded(true);
}

void UserListModel::requestNext()
{
    if (!m_client)
        return;
    m_request.cancel(); // one request at a time: its answer decides what comes next
    UsersQuery q = m_query;
    // A small first page draws fast; later pages are large so that scrolling through
    // 100k users takes a hundred requests, not a thousand. The page containing the first
    // row not yet received is asked for; rows received twice are dropped on arrival.
    q.limit = m_covered == 0 ? m_pageSize : m_bulkPageSize;
    q.page = int(m_covered / q.limit) + 1;
    const int page = q.page;
    const int limit = q.limit;
    setLoading(true);
    m_request =
        m_client->users(q, this, [this, page, limit](const ApiResult<Page<UserSummary>> &result) {
            m_request = {};
            // The answer goes in before `loading` drops: whoever reacts to loadingChanged
            // by asking for more must see these rows, or the same page is asked for twice.
            if (result.ok()) {
                setErrorString({});
                Page<UserSummary> received = result.value();
                received.meta.page = page;
                received.meta.limit = limit;
                appendPage(received);
            } else {
                setErrorString(result.error().message);
                setLoaded(true);
            }
            setLoading(false);
        });
}

void UserListModel::appendPage(const Page<UserSummary> &page)
{
    // State first: views (and QAbstractItemModelTester) call canFetchMore()/fetchMore()
    // from inside endInsertRows(), and must see this page as loaded already.
    m_covered =
        std::max(m_covered, qint64(page.meta.page - 1) * page.meta.limit + page.items.size());
    m_answered = true;
    const bool totalChanged = m_totalCount != page.meta.totalItems;
    m_totalCount = page.meta.totalItems;

    QList<UserSummary> fresh;
    fresh.reserve(page.items.size());
    for (const UserSummary &u : page.items) {
        if (!m_ids.contains(u.userId)) {
            m_ids.insert(u.userId);
            fresh.append(u);
        }
    }
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
        for (UserSummary &u : fresh)
            m_rows.append(std::move(u));
        endInsertRows();
    }
    if (totalChanged)
        Q_EMIT totalCountChanged();
    setLoaded(true);
}

QString UserListModel::orderField(int column)
{
    if (column < 0 || column >= ColumnCount)
        return {};
    return QLatin1String(kColumns.at(size_t(column)).orderField);
}

int UserListModel::columnForOrderField(const QString &field)
{
    for (size_t i = 0; i < kColumns.size(); ++i) {
        if (field == QLatin1String(kColumns.at(i).orderField))
            return int(i);
    }
    return -1;
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const UserSummary &u = m_rows.at(index.row());
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case UserIdColumn:
            return u.userId;
        case TracesColumn:
            return Format::count(u.totalTraces);
        case SessionsColumn:
            return Format::count(u.totalSessions);
        case ObservationsColumn:
            return Format::count(u.totalObservations);
        case InputTokensColumn:
            return Format::count(u.inputTokens);
        case OutputTokensColumn:
            return Format::count(u.outputTokens);
        case TotalTokensColumn:
            return Format::count(u.totalTokens);
        case CostColumn:
            return Format::cost(u.totalCost);
        case AverageScoreColumn:
            return Format::score(u.averageScore);
        case FirstTraceColumn:
            return Format::relativeTime(u.firstTraceAt, QDateTime::currentDateTimeUtc());
        case LastTraceColumn:
            return Format::relativeTime(u.lastTraceAt, QDateTime::currentDateTimeUtc());
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case UserIdColumn:
            return u.environments.isEmpty()
                       ? u.userId
                       : QStringLiteral("%1\nEnvironments: %2")
                             .arg(u.userId, u.environments.join(QStringLiteral(", ")));
        case CostColumn:
            return QStringLiteral("$%1").arg(u.totalCost, 0, 'f', 6);
        case AverageScoreColumn:
            return u.scoreCount == 1
                       ? QStringLiteral("1 numeric score")
                       : QStringLiteral("%1 numeric scores").arg(Format::count(u.scoreCount));
        case FirstTraceColumn:
            return Format::exactTime(u.firstTraceAt);
        case LastTraceColumn:
            return Format::exactTime(u.lastTraceAt);
        default:
            return {};
        }
    case ValueRole:
        switch (column) {
        case UserIdColumn:
            return u.userId;
        case TracesColumn:
            return u.totalTraces;
        case SessionsColumn:
            return u.totalSessions;
        case ObservationsColumn:
            return u.totalObservations;
        case InputTokensColumn:
            return u.inputTokens;
        case OutputTokensColumn:
            return u.outputTokens;
        case TotalTokensColumn:
            return u.totalTokens;
        case CostColumn:
            return u.totalCost;
        case AverageScoreColumn:
            return u.averageScore ? QVariant(*u.averageScore) : QVariant();
        case FirstTraceColumn:
            return u.firstTraceAt;
        case LastTraceColumn:
            return u.lastTraceAt;
        case ColumnCount:
            break;
        }
        break;
    case NumericRole:
        return kColumns.at(size_t(column)).numeric;
    case UserIdRole:
        return u.userId;
    case Qt::TextAlignmentRole:
        return kColumns.at(size_t(column)).numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {Qt::ToolTipRole, "toolTip"}, {ValueRole, "value"},
        {NumericRole, "numeric"},     {UserIdRole, "userId"},
    };
}

bool UserListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_client || m_loading || !m_errorString.isEmpty())
        return false;
    if (!m_answered)
        return true;
    return !m_singlePage && m_covered < m_totalCount;
}

void UserListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestNext();
}

void UserListModel::sort(int column, Qt::SortOrder order)
{
    const QString field = orderField(column);
    if (field.isEmpty())
        return;
    UsersQuery q = m_query;
    q.orderField = field;
    q.descending = order == Qt::DescendingOrder;
    setQuery(q);
}

void UserListModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void UserListModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
}

void UserListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
