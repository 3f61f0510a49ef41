// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/tracelistmodel.h"

#include "models/format.h"

#include <array>

namespace {

struct ColumnInfo
{
    const char *title;
    const char *orderField; // empty: the server cannot sort by it
    bool numeric;
};

constexpr std::array<ColumnInfo, TraceListModel::ColumnCount> kColumns{{
    {"Time", "timestamp", false},
    {"Name", "name", false},
    {"Session", "", false},
    {"Latency", "latency", true},
    {"Input tokens", "", true},
    {"Output tokens", "", true},
    {"Total tokens", "totalTokens", true},
    {"Cost (USD)", "totalCost", true},
    {"Scores", "", true},
    {"Tags", "", false},
}};

constexpr int kMaxLimit = 100; // /traces answers at most 100 rows per page

QVariant optionalValue(const auto &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

QString optionalCount(const std::optional<qint64> &value)
{
    return value ? Format::count(*value) : QStringLiteral("–");
}

} // namespace

TraceListModel::TraceListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_query.fields = {QStringLiteral("core")};
}

void TraceListModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void TraceListModel::setQuery(const TracesQuery &query)
{
    TracesQuery q = query;
    q.page = 1;
    q.limit = 50;
    if (q.fields.isEmpty())
        q.fields = {QStringLiteral("core")};
    if (m_query == q)
        return;
    m_query = q;
    Q_EMIT queryChanged();
    reload();
}

void TraceListModel::setPageSizes(int first, int bulk)
{
    m_cursor.setFirstLimit(std::clamp(first, 1, kMaxLimit));
    m_cursor.setBulkLimit(std::clamp(bulk, 1, kMaxLimit));
}

void TraceListModel::reload()
{
    m_request.cancel(); // a late reply of the old query must not land in the new rows
    const bool totalChanged = m_cursor.total() != 0;
    const bool errorChanged = !m_errorString.isEmpty();
    // All state is reset before endResetModel(): views call canFetchMore() from inside it.
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    m_cursor.reset();
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

void TraceListModel::requestNext()
{
    if (!m_client)
        return;
    m_request.cancel(); // one request at a time: its answer decides what comes next
    TracesQuery q = m_query;
    q.limit = m_cursor.limit();
    q.page = m_cursor.page();
    const int page = q.page;
    const int limit = q.limit;
    setLoading(true);
    m_request =
        m_client->traces(q, this, [this, page, limit](const ApiResult<Page<TraceSummary>> &result) {
            m_request = {};
            // The answer goes in before `loading` drops: whoever reacts to loadingChanged
            // by asking for more must see these rows, or the same page is asked for twice.
            if (result.ok()) {
                setErrorString({});
                Page<TraceSummary> received = result.value();
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

void TraceListModel::appendPage(const Page<TraceSummary> &page)
{
    // State first: views (and QAbstractItemModelTester) call canFetchMore()/fetchMore()
    // from inside endInsertRows(), and must see this page as loaded already.
    const bool totalChanged = m_cursor.total() != page.meta.totalItems;
    m_cursor.received(page.meta.page,
                      page.meta.limit > 0 ? page.meta.limit : int(page.items.size()),
                      page.items.size(), page.meta.totalItems);

    QList<TraceSummary> fresh;
    fresh.reserve(page.items.size());
    for (const TraceSummary &t : page.items) {
        if (!m_ids.contains(t.id)) {
            m_ids.insert(t.id);
            fresh.append(t);
        }
    }
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
        for (TraceSummary &t : fresh)
            m_rows.append(std::move(t));
        endInsertRows();
    }
    if (totalChanged)
        Q_EMIT totalCountChanged();
    setLoaded(true);
}

QString TraceListModel::orderField(int column)
{
    if (column < 0 || column >= ColumnCount)
        return {};
    return QLatin1String(kColumns.at(size_t(column)).orderField);
}

int TraceListModel::columnForOrderField(const QString &field)
{
    if (field.isEmpty())
        return TimeColumn; // the server's default order
    for (size_t i = 0; i < kColumns.size(); ++i) {
        if (*kColumns.at(i).orderField && field == QLatin1String(kColumns.at(i).orderField))
            return int(i);
    }
    return -1;
}

bool TraceListModel::isSortable(int column)
{
    return !orderField(column).isEmpty();
}

int TraceListModel::sortColumn() const
{
    return columnForOrderField(m_query.orderField);
}

Qt::SortOrder TraceListModel::sortOrder() const
{
    return m_query.descending ? Qt::DescendingOrder : Qt::AscendingOrder;
}

int TraceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TraceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceSummary &t = m_rows.at(index.row());
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return Format::relativeTime(t.timestamp, QDateTime::currentDateTimeUtc());
        case NameColumn:
            return t.name;
        case SessionColumn:
            return t.sessionId;
        case LatencyColumn:
            return Format::latency(t.latency);
        case InputTokensColumn:
            return optionalCount(t.inputTokens);
        case OutputTokensColumn:
            return optionalCount(t.outputTokens);
        case TotalTokensColumn:
            return optionalCount(t.totalTokens);
        case CostColumn:
            return t.totalCost ? Format::cost(*t.totalCost) : QStringLiteral("–");
        case ScoresColumn:
            return Format::count(t.scores.size());
        case TagsColumn:
            return t.tags.join(QStringLiteral(", "));
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case TimeColumn:
            return Format::exactTime(t.timestamp);
        case NameColumn:
            return t.name.isEmpty() ? t.id : QStringLiteral("%1\nTrace %2").arg(t.name, t.id);
        case SessionColumn:
            return t.sessionId;
        case LatencyColumn:
            return t.latency ? QStringLiteral("%1 s").arg(*t.latency, 0, 'f', 3) : QString();
        case CostColumn:
            return t.totalCost ? QStringLiteral("$%1").arg(*t.totalCost, 0, 'f', 6) : QString();
        case TagsColumn:
            return t.tags.join(QLatin1Char('\n'));
        default:
            return {};
        }
    case ValueRole:
        switch (column) {
        case TimeColumn:
            return t.timestamp;
        case NameColumn:
            return t.name;
        case SessionColumn:
            return t.sessionId;
        case LatencyColumn:
            return optionalValue(t.latency);
        case InputTokensColumn:
            return optionalValue(t.inputTokens);
        case OutputTokensColumn:
            return optionalValue(t.outputTokens);
        case TotalTokensColumn:
            return optionalValue(t.totalTokens);
        case CostColumn:
            return optionalValue(t.totalCost);
        case ScoresColumn:
            return qint64(t.scores.size());
        case TagsColumn:
            return t.tags;
        case ColumnCount:
            break;
        }
        break;
    case NumericRole:
        return kColumns.at(size_t(column)).numeric;
    case TraceIdRole:
        return t.id;
    case SessionIdRole:
        return t.sessionId;
    case Qt::TextAlignmentRole:
        return kColumns.at(size_t(column)).numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> TraceListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {Qt::ToolTipRole, "toolTip"}, {ValueRole, "value"},
        {NumericRole, "numeric"},     {TraceIdRole, "traceId"},     {SessionIdRole, "sessionId"},
    };
}

bool TraceListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_client || m_loading || !m_errorString.isEmpty())
        return false;
    return m_cursor.hasMore();
}

void TraceListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestNext();
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    const QString field = orderField(column);
    if (field.isEmpty())
        return;
    TracesQuery q = m_query;
    q.orderField = field;
    q.descending = order == Qt::DescendingOrder;
    setQuery(q);
}

void TraceListModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void TraceListModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
}

void TraceListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
