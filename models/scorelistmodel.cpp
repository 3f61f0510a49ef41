// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/scorelistmodel.h"

#include "models/format.h"

#include <array>

namespace {

struct ColumnInfo
{
    const char *title;
    bool numeric;
};

constexpr std::array<ColumnInfo, ScoreListModel::ColumnCount> kColumns{{
    {"Time", false},
    {"Name", false},
    {"Value", true},
    {"Source", false},
    {"Data type", false},
    {"Comment", false},
    {"Trace", false},
}};

constexpr int kMaxLimit = 100; // /v2/scores answers at most 100 rows per page

} // namespace

ScoreListModel::ScoreListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ScoreListModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void ScoreListModel::setQuery(const ScoresQuery &query)
{
    ScoresQuery q = query;
    q.page = 1;
    q.limit = 50;
    if (m_query == q)
        return;
    m_query = q;
    Q_EMIT queryChanged();
    reload();
}

void ScoreListModel::setPageSizes(int first, int bulk)
{
    m_cursor.setFirstLimit(std::clamp(first, 1, kMaxLimit));
    m_cursor.setBulkLimit(std::clamp(bulk, 1, kMaxLimit));
}

void ScoreListModel::reload()
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

void ScoreListModel::requestNext()
{
    if (!m_client)
        return;
    m_request.cancel(); // one request at a time: its answer decides what comes next
    ScoresQuery q = m_query;
    q.limit = m_cursor.limit();
    q.page = m_cursor.page();
    const int page = q.page;
    const int limit = q.limit;
    setLoading(true);
    m_request =
        m_client->scores(q, this, [this, page, limit](const ApiResult<Page<Score>> &result) {
            m_request = {};
            // The answer goes in before `loading` drops: whoever reacts to loadingChanged
            // by asking for more must see these rows, or the same page is asked for twice.
            if (result.ok()) {
                setErrorString({});
                Page<Score> received = result.value();
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

void ScoreListModel::appendPage(const Page<Score> &page)
{
    // State first: views (and QAbstractItemModelTester) call canFetchMore()/fetchMore()
    // from inside endInsertRows(), and must see this page as loaded already.
    const bool totalChanged = m_cursor.total() != page.meta.totalItems;
    m_cursor.received(page.meta.page,
                      page.meta.limit > 0 ? page.meta.limit : int(page.items.size()),
                      page.items.size(), page.meta.totalItems);

    QList<Score> fresh;
    fresh.reserve(page.items.size());
    for (const Score &s : page.items) {
        if (!m_ids.contains(s.id)) {
            m_ids.insert(s.id);
            fresh.append(s);
        }
    }
    if (!fresh.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
        for (Score &s : fresh)
            m_rows.append(std::move(s));
        endInsertRows();
    }
    if (totalChanged)
        Q_EMIT totalCountChanged();
    setLoaded(true);
}

QString ScoreListModel::displayValue(const Score &score)
{
    if (score.dataType == QLatin1String("BOOLEAN")) {
        if (score.value)
            return *score.value != 0 ? QStringLiteral("True") : QStringLiteral("False");
        // Langfuse also sends stringValue "True"/"False" for booleans.
        return score.stringValue.isEmpty() ? QStringLiteral("–") : score.stringValue;
    }
    if (score.dataType == QLatin1String("CATEGORICAL") ||
        (!score.value && !score.stringValue.isEmpty()))
        return score.stringValue.isEmpty() ? Format::score(score.value) : score.stringValue;
    return Format::score(score.value);
}

QVariant ScoreListModel::rawValue(const Score &score)
{
    if (score.dataType == QLatin1String("BOOLEAN")) {
        if (score.value)
            return *score.value != 0;
        if (!score.stringValue.isEmpty())
            return score.stringValue.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
        return {};
    }
    if (score.dataType == QLatin1String("CATEGORICAL") ||
        (!score.value && !score.stringValue.isEmpty())) {
        if (!score.stringValue.isEmpty())
            return score.stringValue;
        return score.value ? QVariant(*score.value) : QVariant();
    }
    return score.value ? QVariant(*score.value) : QVariant();
}

int ScoreListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScoreListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScoreListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Score &s = m_rows.at(index.row());
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return Format::relativeTime(s.timestamp, QDateTime::currentDateTimeUtc());
        case NameColumn:
            return s.name;
        case ValueColumn:
            return displayValue(s);
        case SourceColumn:
            return s.source;
        case DataTypeColumn:
            return s.dataType;
        case CommentColumn:
            // One line in a table cell; the whole comment is the tooltip.
            return s.comment.section(QLatin1Char('\n'), 0, 0);
        case TraceColumn:
            return s.traceId;
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case TimeColumn:
            return Format::exactTime(s.timestamp);
        case ValueColumn:
            return s.value ? QString::number(*s.value, 'g', 12) : s.stringValue;
        case CommentColumn:
            return s.comment;
        case TraceColumn:
            return s.observationId.isEmpty()
                       ? s.traceId
                       : QStringLiteral("%1\nObservation %2").arg(s.traceId, s.observationId);
        default:
            return {};
        }
    case ValueRole:
        switch (column) {
        case TimeColumn:
            return s.timestamp;
        case NameColumn:
            return s.name;
        case ValueColumn:
            return rawValue(s);
        case SourceColumn:
            return s.source;
        case DataTypeColumn:
            return s.dataType;
        case CommentColumn:
            return s.comment;
        case TraceColumn:
            return s.traceId;
        case ColumnCount:
            break;
        }
        break;
    case NumericRole:
        return kColumns.at(size_t(column)).numeric;
    case TraceIdRole:
        return s.traceId;
    case ScoreIdRole:
        return s.id;
    case DataTypeRole:
        return s.dataType;
    case Qt::TextAlignmentRole:
        return kColumns.at(size_t(column)).numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant ScoreListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> ScoreListModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {Qt::ToolTipRole, "toolTip"}, {ValueRole, "value"},
        {NumericRole, "numeric"},     {TraceIdRole, "traceId"},     {ScoreIdRole, "scoreId"},
        {DataTypeRole, "dataType"},
    };
}

bool ScoreListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_client || m_loading || !m_errorString.isEmpty())
        return false;
    return m_cursor.hasMore();
}

void ScoreListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestNext();
}

void ScoreListModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void ScoreListModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
}

void ScoreListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
