// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/dailyusagemodel.h"

#include "models/format.h"

#include <QLocale>
#include <QMap>

#include <algorithm>
#include <array>

namespace {

struct ColumnInfo
{
    const char *title;
    bool numeric;
};

constexpr std::array<ColumnInfo, DailyUsageModel::ColumnCount> kColumns{{
    {"Date", false},
    {"Traces", true},
    {"Observations", true},
    {"Input tokens", true},
    {"Output tokens", true},
    {"Total tokens", true},
    {"Cost (USD)", true},
}};

constexpr int kMaxPages = 1000; // a server that never stops paging must not keep us busy

QDateTime utcMidnight(QDate date)
{
    return date.isValid() ? QDateTime(date, QTime(0, 0), Qt::UTC) : QDateTime();
}

} // namespace

DailyUsageModel::DailyUsageModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_modelUsage(this)
{}

void DailyUsageModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void DailyUsageModel::setQuery(const DailyMetricsQuery &query)
{
    DailyMetricsQuery q = query;
    q.page = 1;
    q.limit = 100;
    if (m_query == q)
        return;
    m_query = q;
    Q_EMIT queryChanged();
    reload();
}

void DailyUsageModel::reload()
{
    m_request.cancel(); // a late reply of the old query must not land in the new rows
    m_pending.clear();
    clear();
    setErrorString({});
    setLoaded(false);
    if (m_client)
        requestPage(1);
    else
        setLoading(false);
}

void DailyUsageModel::requestPage(int page)
{
    DailyMetricsQuery q = m_query;
    q.page = page;
    q.limit = m_pageSize;
    setLoading(true);
    m_request = m_client->dailyMetrics(
        q, this, [this, page, limit = q.limit](const ApiResult<Page<DailyMetrics>> &result) {
            m_request = {};
            if (!result.ok()) {
                m_pending.clear();
                clear();
                setLoading(false);
                setErrorString(result.error().message);
                setLoaded(true);
                return;
            }
            const Page<DailyMetrics> &received = result.value();
            m_pending.append(received.items);
            const qint64 covered = qint64(page - 1) * limit + received.items.size();
            if (!received.items.isEmpty() && covered < received.meta.totalItems &&
                page < kMaxPages) {
                requestPage(page + 1);
                return;
            }
            const QList<DailyMetrics> days = std::exchange(m_pending, {});
            setDays(days);
            setLoading(false);
            setLoaded(true);
        });
}

void DailyUsageModel::setDays(const QList<DailyMetrics> &days)
{
    // By date: a day that moved across a page boundary while paging is counted once.
    QMap<QDate, Day> byDate;
    QList<DailyMetrics> unique;
    unique.reserve(days.size());
    for (const DailyMetrics &d : days) {
        if (!d.date.isValid() || byDate.contains(d.date))
            continue;
        unique.append(d);
        Day day;
        day.date = d.date;
        day.traces = d.countTraces;
        day.observations = d.countObservations;
        day.cost = d.totalCost;
        for (const DailyModelUsage &u : d.usage) {
            day.inputTokens += u.inputUsage;
            day.outputTokens += u.outputUsage;
            day.totalTokens += u.totalUsage;
        }
        byDate.insert(d.date, day);
    }

    // The axis: the query's range where it is bounded, else the active days.
    QDate first = m_query.from.isValid() ? m_query.from.toUTC().date() : QDate();
    QDate last = m_query.to.isValid() ? m_query.to.toUTC().addMSecs(-1).date()
                                      : QDateTime::currentDateTimeUtc().date();
    if (!byDate.isEmpty()) {
        if (!first.isValid() || first.daysTo(last) > kMaxFilledDays)
            first = byDate.firstKey();
        // Days outside the range (a server that ignores it) are still shown.
        first = std::min(first, byDate.firstKey());
        last = std::max(last, byDate.lastKey());
    }
    QList<Day> rows;
    if (!first.isValid() || first > last) {
        // Nothing to show.
    } else if (first.daysTo(last) > kMaxFilledDays) {
        rows = byDate.values(); // active days spread over decades: no zero filling
    } else {
        rows.reserve(first.daysTo(last) + 1);
        for (QDate date = first; date <= last; date = date.addDays(1)) {
            const auto it = byDate.constFind(date);
            if (it != byDate.cend()) {
                rows.append(*it);
            } else {
                Day zero;
                zero.date = date;
                rows.append(zero);
            }
        }
    }

    beginResetModel();
    m_rows = std::move(rows);
    m_maxTraces = m_maxObservations = m_maxTokens = m_maxInput = m_maxOutput = m_maxTotal = 0;
    m_maxCost = 0;
    for (const Day &d : std::as_const(m_rows)) {
        m_maxTraces = std::max(m_maxTraces, d.traces);
        m_maxObservations = std::max(m_maxObservations, d.observations);
        m_maxInput = std::max(m_maxInput, d.inputTokens);
        m_maxOutput = std::max(m_maxOutput, d.outputTokens);
        m_maxTotal = std::max(m_maxTotal, d.totalTokens);
        m_maxTokens = std::max({m_maxTokens, d.totalTokens, d.inputTokens + d.outputTokens});
        m_maxCost = std::max(m_maxCost, d.cost);
    }
    endResetModel();
    m_modelUsage.setDays(unique);
    Q_EMIT daysChanged();
}

void DailyUsageModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_maxTraces = m_maxObservations = m_maxTokens = m_maxInput = m_maxOutput = m_maxTotal = 0;
    m_maxCost = 0;
    endResetModel();
    m_modelUsage.setRows({});
    Q_EMIT daysChanged();
}

QDateTime DailyUsageModel::firstDay() const
{
    return m_rows.isEmpty() ? QDateTime() : utcMidnight(m_rows.constFirst().date);
}

QDateTime DailyUsageModel::lastDay() const
{
    return m_rows.isEmpty() ? QDateTime() : utcMidnight(m_rows.constLast().date);
}

void DailyUsageModel::setRawDisplay(bool raw)
{
    if (m_rawDisplay == raw)
        return;
    m_rawDisplay = raw;
    Q_EMIT rawDisplayChanged();
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole});
}

int DailyUsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DailyUsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DailyUsageModel::value(const Day &d, Column column) const
{
    switch (column) {
    case DateColumn:
        return utcMidnight(d.date);
    case TracesColumn:
        return d.traces;
    case ObservationsColumn:
        return d.observations;
    case InputTokensColumn:
        return d.inputTokens;
    case OutputTokensColumn:
        return d.outputTokens;
    case TotalTokensColumn:
        return d.totalTokens;
    case CostColumn:
        return d.cost;
    case ColumnCount:
        break;
    }
    return {};
}

double DailyUsageModel::columnMax(Column column) const
{
    switch (column) {
    case TracesColumn:
        return double(m_maxTraces);
    case ObservationsColumn:
        return double(m_maxObservations);
    case InputTokensColumn:
        return double(m_maxInput);
    case OutputTokensColumn:
        return double(m_maxOutput);
    case TotalTokensColumn:
        return double(m_maxTotal);
    case CostColumn:
        return m_maxCost;
    default:
        return 0;
    }
}

QVariant DailyUsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Day &d = m_rows.at(index.row());
    const auto column = Column(index.column());
    const bool numeric = kColumns.at(size_t(column)).numeric;

    switch (role) {
    case Qt::DisplayRole:
        if (m_rawDisplay)
            return value(d, column);
        switch (column) {
        case DateColumn:
            return d.date.toString(Qt::ISODate);
        case CostColumn:
            return Format::cost(d.cost);
        default:
            return Format::count(value(d, column).toLongLong());
        }
    case Qt::ToolTipRole:
        if (column == DateColumn)
            return QLocale(QLocale::English).toString(d.date, QStringLiteral("dddd, d MMMM yyyy")) +
                   QStringLiteral(" (UTC)");
        if (column == CostColumn)
            return QStringLiteral("$%1").arg(d.cost, 0, 'f', 6);
        return {};
    case ValueRole:
        return value(d, column);
    case NumericRole:
        return numeric;
    case DateRole:
        return d.date;
    case FractionRole: {
        if (!numeric)
            return {};
        const double max = columnMax(column);
        return max > 0 ? value(d, column).toDouble() / max : 0.0;
    }
    case Qt::TextAlignmentRole:
        return numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                       : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant DailyUsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> DailyUsageModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {Qt::ToolTipRole, "toolTip"}, {ValueRole, "value"},
        {NumericRole, "numeric"},     {DateRole, "date"},           {FractionRole, "fraction"},
    };
}

void DailyUsageModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void DailyUsageModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
}

void DailyUsageModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
