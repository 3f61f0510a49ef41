// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/sessionlistmodel.h"

#include "models/format.h"

#include <algorithm>

namespace {

constexpr int kMaxLimit = 100; // /sessions answers at most 100 rows per page

QDateTime firstTraceAt(const SessionSummary &s)
{
    return s.firstTraceAt.isValid() ? s.firstTraceAt : s.createdAt;
}

QDateTime lastTraceAt(const SessionSummary &s)
{
    return s.lastTraceAt.isValid() ? s.lastTraceAt : firstTraceAt(s);
}

QString durationText(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return QStringLiteral("%1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

} // namespace

SessionListModel::SessionListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void SessionListModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void SessionListModel::setQuery(const SessionsQuery &query)
{
    SessionsQuery q = query;
    q.page = 1;
    q.limit = 50;
    if (m_query == q)
        return;
    m_query = q;
    Q_EMIT queryChanged();
    reload();
}

void SessionListModel::setPageSizes(int first, int bulk)
{
    m_cursor.setFirstLimit(std::clamp(first, 1, kMaxLimit));
    m_cursor.setBulkLimit(std::clamp(bulk, 1, kMaxLimit));
}

void SessionListModel::reload()
{
    m_request.cancel(); // a late reply of the old query must not land in the new rows
    cancelTraceTimes();
    const bool totalChanged = m_cursor.total() != 0;
    const bool errorChanged = !m_errorString.isEmpty();
    const bool spanChange = m_earliest.isValid() || m_latest.isValid();
    // All state is reset before endResetModel(): views call canFetchMore() from inside it.
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_cursor.reset();
    m_errorString.clear();
    m_earliest = {};
    m_latest = {};
    endResetModel();
    if (totalChanged)
        Q_EMIT totalCountChanged();
    if (errorChanged)
        Q_EMIT errorStringChanged();
    if (spanChange)
        Q_EMIT spanChanged();
    setLoaded(false);
    if (m_client)
        requestNext();
    else
        setLoading(false);
}

void SessionListModel::requestNext()
{
    if (!m_client)
        return;
    m_request.cancel(); // one request at a time: its answer decides what comes next
    SessionsQuery q = m_query;
    q.limit = m_cursor.limit();
    q.page = m_cursor.page();
    const int page = q.page;
    const int limit = q.limit;
    setLoading(true);
    m_request = m_client->sessions(
        q, this, [this, page, limit](const ApiResult<Page<SessionSummary>> &result) {
            m_request = {};
            // The answer goes in before `loading` drops: whoever reacts to loadingChanged
            // by asking for more must see these rows, or the same page is asked for twice.
            if (result.ok()) {
                setErrorString({});
                Page<SessionSummary> received = result.value();
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

void SessionListModel::appendPage(const Page<SessionSummary> &page)
{
    // State first: views (and QAbstractItemModelTester) call canFetchMore()/fetchMore()
    // from inside endInsertRows(), and must see this page as loaded already.
    const bool totalChanged = m_cursor.total() != page.meta.totalItems;
    m_cursor.received(page.meta.page,
                      page.meta.limit > 0 ? page.meta.limit : int(page.items.size()),
                      page.items.size(), page.meta.totalItems);

    QList<Row> fresh;
    fresh.reserve(page.items.size());
    QDateTime earliest = m_earliest;
    QDateTime latest = m_latest;
    for (const SessionSummary &s : page.items) {
        if (m_rowOf.contains(s.id))
            continue;
        m_rowOf.insert(s.id, int(m_rows.size() + fresh.size()));
        fresh.append(Row{s, {}, Times::Unknown});
        const QDateTime first = firstTraceAt(s);
        const QDateTime last = lastTraceAt(s);
        if (first.isValid() && (!earliest.isValid() || first < earliest))
            earliest = first;
        if (last.isValid() && (!latest.isValid() || last > latest))
            latest = last;
    }
    const bool spanChange = earliest != m_earliest || latest != m_latest;
    m_earliest = earliest;
    m_latest = latest;
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
        for (Row &r : fresh)
            m_rows.append(std::move(r));
        endInsertRows();
    }
    if (totalChanged)
        Q_EMIT totalCountChanged();
    if (spanChange)
        Q_EMIT spanChanged();
    setLoaded(true);
    updateTraceTimesSettled(); // loaded before: the first row may be new
}

void SessionListModel::requestTraceTimes(int firstRow, int lastRow)
{
    if (m_rows.isEmpty())
        return;
    firstRow = std::clamp(firstRow, 0, int(m_rows.size()) - 1);
    lastRow = std::clamp(lastRow, 0, int(m_rows.size()) - 1);
    if (firstRow > lastRow)
        std::swap(firstRow, lastRow);
    // The rows asked for last are what the view shows now: they jump the queue.
    QList<QString> front;
    for (int row = firstRow; row <= lastRow; ++row) {
        Row &r = m_rows[row];
        if (r.state == Times::Unknown || r.state == Times::Queued) {
            if (r.state == Times::Queued)
                m_queue.removeOne(r.session.id);
            r.state = Times::Queued;
            front.append(r.session.id);
        }
    }
    if (front.isEmpty())
        return;
    m_queue = front + m_queue;
    while (m_queue.size() > kMaxQueuedTraceTimes) {
        const auto row = m_rowOf.constFind(m_queue.takeLast());
        if (row != m_rowOf.cend())
            m_rows[*row].state = Times::Unknown;
    }
    pumpTraceTimes();
}

void SessionListModel::pumpTraceTimes()
{
    if (!m_client)
        return;
    while (m_inFlight.size() < m_maxDetailRequests && !m_queue.isEmpty()) {
        const QString id = m_queue.takeFirst();
        const auto row = m_rowOf.constFind(id);
        if (row == m_rowOf.cend())
            continue;
        m_rows[*row].state = Times::Loading;
        RequestHandle handle =
            m_client->session(id, this, [this, id](const ApiResult<SessionDetail> &result) {
                traceTimesArrived(id, result);
            });
        // A callback that already ran (an immediate failure) leaves nothing in flight.
        if (m_rows.at(*row).state == Times::Loading)
            m_inFlight.insert(id, handle);
    }
    updateTraceTimesSettled();
}

void SessionListModel::cancelTraceTimes()
{
    for (RequestHandle &h : m_inFlight)
        h.cancel();
    m_inFlight.clear();
    m_queue.clear();
    updateTraceTimesSettled();
}

void SessionListModel::traceTimesArrived(const QString &sessionId,
                                         const ApiResult<SessionDetail> &result)
{
    m_inFlight.remove(sessionId);
    const auto row = m_rowOf.constFind(sessionId);
    if (row != m_rowOf.cend()) {
        if (result.ok()) {
            QList<QDateTime> times;
            times.reserve(result.value().traces.size());
            for (const TraceSummary &t : result.value().traces)
                times.append(t.timestamp);
            setTraceTimes(sessionId, times);
        } else {
            // Not asked again for this query: a failing session must not loop while scrolling.
            m_rows[*row].state = Times::Failed;
        }
    }
    pumpTraceTimes(); // also updates traceTimesSettled
}

void SessionListModel::setTraceTimes(const QString &sessionId, const QList<QDateTime> &times)
{
    const auto found = m_rowOf.constFind(sessionId);
    if (found == m_rowOf.cend())
        return;
    const int row = *found;
    Row &r = m_rows[row];
    r.times.clear();
    r.times.reserve(times.size());
    for (const QDateTime &t : times) {
        if (t.isValid())
            r.times.append(t.toMSecsSinceEpoch());
    }
    std::sort(r.times.begin(), r.times.end());
    r.state = Times::Loaded;
    m_queue.removeOne(sessionId);
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {TraceTimesRole, TraceTimesLoadedRole});
    updateTraceTimesSettled();
}

void SessionListModel::updateTraceTimesSettled()
{
    const bool firstKnown = m_rows.isEmpty() || m_rows.constFirst().state == Times::Loaded ||
                            m_rows.constFirst().state == Times::Failed;
    const bool settled = m_loaded && firstKnown && m_queue.isEmpty() && m_inFlight.isEmpty();
    if (settled == m_traceTimesSettled)
        return;
    m_traceTimesSettled = settled;
    Q_EMIT traceTimesSettledChanged();
}

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const SessionSummary &s = r.session;

    switch (role) {
    case Qt::DisplayRole:
    case SessionIdRole:
        return s.id;
    case Qt::ToolTipRole:
    case TimeToolTipRole: {
        const QString first = Format::exactTime(firstTraceAt(s));
        const QString last = Format::exactTime(lastTraceAt(s));
        return first == last ? first : QStringLiteral("%1 – %2").arg(first, last);
    }
    case CreatedAtRole:
        return s.createdAt;
    case FirstTraceAtRole:
        return firstTraceAt(s);
    case LastTraceAtRole:
        return lastTraceAt(s);
    case FirstTraceMsRole: {
        const QDateTime t = firstTraceAt(s);
        return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
    }
    case LastTraceMsRole: {
        const QDateTime t = lastTraceAt(s);
        return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
    }
    case TraceCountRole:
        return s.traceCount ? QVariant(*s.traceCount) : QVariant();
    case TotalTokensRole:
        return s.totalTokens ? QVariant(*s.totalTokens) : QVariant();
    case TotalCostRole:
        return s.totalCost ? QVariant(*s.totalCost) : QVariant();
    case EnvironmentRole:
        return s.environment;
    case UserIdsRole:
        return s.userIds;
    case TraceTimesRole: {
        QVariantList list;
        list.reserve(r.times.size());
        for (qint64 t : r.times)
            list.append(t);
        return list;
    }
    case TraceTimesLoadedRole:
        return r.state == Times::Loaded;
    case TimeTextRole:
        return Format::relativeTime(firstTraceAt(s), QDateTime::currentDateTimeUtc());
    case DurationTextRole: {
        const QDateTime first = firstTraceAt(s);
        const QDateTime last = lastTraceAt(s);
        return first.isValid() && last.isValid() ? durationText(first.msecsTo(last)) : QString();
    }
    case TraceCountTextRole:
        return s.traceCount ? Format::count(*s.traceCount) : QStringLiteral("–");
    case TotalTokensTextRole:
        return s.totalTokens ? Format::count(*s.totalTokens) : QStringLiteral("–");
    case TotalCostTextRole:
        return s.totalCost ? Format::cost(*s.totalCost) : QStringLiteral("–");
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> SessionListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {Qt::ToolTipRole, "toolTip"},
        {SessionIdRole, "sessionId"},
        {CreatedAtRole, "createdAt"},
        {FirstTraceAtRole, "firstTraceAt"},
        {LastTraceAtRole, "lastTraceAt"},
        {FirstTraceMsRole, "firstTraceMs"},
        {LastTraceMsRole, "lastTraceMs"},
        {TraceCountRole, "traceCount"},
        {TotalTokensRole, "totalTokens"},
        {TotalCostRole, "totalCost"},
        {EnvironmentRole, "environment"},
        {UserIdsRole, "userIds"},
        {TraceTimesRole, "traceTimes"},
        {TraceTimesLoadedRole, "traceTimesLoaded"},
        {TimeTextRole, "timeText"},
        {TimeToolTipRole, "timeToolTip"},
        {DurationTextRole, "durationText"},
        {TraceCountTextRole, "traceCountText"},
        {TotalTokensTextRole, "totalTokensText"},
        {TotalCostTextRole, "totalCostText"},
    };
}

bool SessionListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_client || m_loading || !m_errorString.isEmpty())
        return false;
    return m_cursor.hasMore();
}

void SessionListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestNext();
}

void SessionListModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void SessionListModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
    updateTraceTimesSettled();
}

void SessionListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
