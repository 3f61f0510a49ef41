// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/observationtreemodel.h"

#include "models/format.h"
#include "models/jsontext.h"
#include "models/scorelistmodel.h"

#include <QVariantMap>

#include <algorithm>
#include <array>
#include <limits>

namespace {

struct ColumnInfo
{
    const char *title;
    bool numeric;
};

constexpr std::array<ColumnInfo, ObservationTreeModel::ColumnCount> kColumns{{
    {"Name", false},
    {"Type", false},
    {"Model", false},
    {"Start", true},
    {"Latency", true},
    {"Timeline", false},
    {"Input tokens", true},
    {"Output tokens", true},
    {"Total tokens", true},
    {"Cost (USD)", true},
    {"Level", false},
}};

std::optional<qint64> usage(const Observation &o, const char *key)
{
    const auto it = o.usageDetails.constFind(QLatin1String(key));
    if (it == o.usageDetails.cend())
        return std::nullopt;
    return qint64(*it);
}

std::optional<qint64> totalTokens(const Observation &o)
{
    if (const auto total = usage(o, "total"))
        return total;
    const auto in = usage(o, "input");
    const auto out = usage(o, "output");
    if (!in && !out)
        return std::nullopt;
    return in.value_or(0) + out.value_or(0);
}

std::optional<double> cost(const Observation &o)
{
    if (o.calculatedTotalCost)
        return o.calculatedTotalCost;
    const auto total = o.costDetails.constFind(QStringLiteral("total"));
    if (total != o.costDetails.cend())
        return *total;
    const auto in = o.costDetails.constFind(QStringLiteral("input"));
    const auto out = o.costDetails.constFind(QStringLiteral("output"));
    if (in == o.costDetails.cend() && out == o.costDetails.cend())
        return std::nullopt;
    return (in != o.costDetails.cend() ? *in : 0.0) + (out != o.costDetails.cend() ? *out : 0.0);
}

std::optional<double> latency(const Observation &o)
{
    if (o.latency)
        return o.latency;
    if (o.startTime.isValid() && o.endTime.isValid())
        return double(o.startTime.msecsTo(o.endTime)) / 1000.0;
    return std::nullopt;
}

QVariant optionalValue(const auto &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

QString exactTimeMs(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) +
           QStringLiteral(" UTC");
}

QVariantMap content(const QJsonValue &input, const QJsonValue &output, const QJsonValue &metadata)
{
    QVariantMap map;
    map.insert(QStringLiteral("input"), JsonText::prettyJson(input));
    map.insert(QStringLiteral("output"), JsonText::prettyJson(output));
    map.insert(QStringLiteral("metadata"), JsonText::prettyJson(metadata));
    map.insert(QStringLiteral("inputMessages"), JsonText::chatMessages(input));
    map.insert(QStringLiteral("outputMessages"), JsonText::chatMessages(output));
    return map;
}

QString plural(qsizetype n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace

ObservationTreeModel::ObservationTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void ObservationTreeModel::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    reload();
}

void ObservationTreeModel::setTraceId(const QString &traceId)
{
    if (m_traceId == traceId)
        return;
    m_traceId = traceId;
    Q_EMIT traceIdChanged();
    reload();
}

void ObservationTreeModel::reload()
{
    m_request.cancel(); // a late reply for the previous trace must not replace this one
    setTrace({});
    setErrorString({});
    setLoaded(false);
    if (!m_client || m_traceId.isEmpty()) {
        setLoading(false);
        return;
    }
    setLoading(true);
    m_request = m_client->trace(m_traceId, this, [this](const ApiResult<TraceDetail> &result) {
        m_request = {};
        if (result.ok())
            setTrace(result.value());
        else
            setErrorString(result.error().message);
        setLoading(false);
        setLoaded(true);
    });
}

void ObservationTreeModel::setTrace(const TraceDetail &trace)
{
    beginResetModel();
    m_trace = trace;
    build();
    endResetModel();
    Q_EMIT traceChanged();
}

void ObservationTreeModel::build()
{
    m_nodes.clear();
    m_topLevel.clear();
    m_nodeOf.clear();
    m_problems.clear();
    m_spanStart = {};
    m_spanEnd = {};

    const QList<Observation> &observations = m_trace.observations;
    qsizetype duplicates = 0;
    m_nodes.reserve(observations.size());
    for (int i = 0; i < int(observations.size()); ++i) {
        if (m_nodeOf.contains(observations.at(i).id)) {
            ++duplicates;
            continue;
        }
        m_nodeOf.insert(observations.at(i).id, int(m_nodes.size()));
        Node node;
        node.observation = i;
        m_nodes.append(node);
    }
    const int count = int(m_nodes.size());

    qsizetype orphans = 0;
    for (Node &node : m_nodes) {
        const QString &parentId = observationOf(node).parentObservationId;
        if (parentId.isEmpty())
            continue;
        const auto parent = m_nodeOf.constFind(parentId);
        if (parent == m_nodeOf.cend()) {
            node.orphan = true;
            ++orphans;
        } else {
            node.parent = *parent;
        }
    }

    // Cycles: walk up from every node, iteratively; meeting the walk's own path again is a
    // cycle, whose members are cut loose to the top level (their descendants stay below them).
    enum : char { Unseen, OnPath, Done };
    QList<char> state(count, Unseen);
    QList<int> path;
    qsizetype cycles = 0;
    qsizetype cycleMembers = 0;
    for (int start = 0; start < count; ++start) {
        if (state.at(start) != Unseen)
            continue;
        path.clear();
        int v = start;
        while (v != -1 && state.at(v) == Unseen) {
            state[v] = OnPath;
            path.append(v);
            v = m_nodes.at(v).parent;
        }
        if (v != -1 && state.at(v) == OnPath) {
            ++cycles;
            for (qsizetype k = path.indexOf(v); k < path.size(); ++k) {
                Node &member = m_nodes[path.at(k)];
                member.cycle = true;
                member.parent = -1;
                ++cycleMembers;
            }
        }
        for (int p : std::as_const(path))
            state[p] = Done;
    }

    // Children in start order (ties: the server's order); the span of all observations.
    QList<qint64> startMs(count);
    qint64 spanStart = std::numeric_limits<qint64>::max();
    qint64 spanEnd = std::numeric_limits<qint64>::min();
    for (int i = 0; i < count; ++i) {
        const Observation &o = observationOf(m_nodes.at(i));
        startMs[i] = o.startTime.isValid() ? o.startTime.toMSecsSinceEpoch()
                                           : std::numeric_limits<qint64>::min();
        if (o.startTime.isValid()) {
            spanStart = std::min(spanStart, startMs.at(i));
            spanEnd = std::max(spanEnd, startMs.at(i));
        }
        if (o.endTime.isValid())
            spanEnd = std::max(spanEnd, o.endTime.toMSecsSinceEpoch());
    }
    if (spanStart <= spanEnd) {
        m_spanStart = QDateTime::fromMSecsSinceEpoch(spanStart, Qt::UTC);
        m_spanEnd = QDateTime::fromMSecsSinceEpoch(spanEnd, Qt::UTC);
    }
    for (int i = 0; i < count; ++i) {
        const int parent = m_nodes.at(i).parent;
        if (parent == -1)
            m_topLevel.append(i);
        else
            m_nodes[parent].children.append(i);
    }
    const auto byStart = [&startMs](int a, int b) {
        return startMs.at(a) != startMs.at(b) ? startMs.at(a) < startMs.at(b) : a < b;
    };
    const auto order = [&](QList<int> &list) {
        std::sort(list.begin(), list.end(), byStart);
        for (int row = 0; row < int(list.size()); ++row)
            m_nodes[list.at(row)].row = row;
    };
    order(m_topLevel);
    // Depth and child order breadth first: no recursion, whatever the nesting.
    QList<int> queue = m_topLevel;
    queue.reserve(count);
    for (qsizetype q = 0; q < queue.size(); ++q) {
        Node &node = m_nodes[queue.at(q)];
        order(node.children);
        for (int child : std::as_const(node.children)) {
            m_nodes[child].depth = node.depth + 1;
            queue.append(child);
        }
    }

    QStringList problems;
    if (orphans > 0)
        problems.append(plural(orphans, "observation refers to a parent that is missing",
                               "observations refer to a parent that is missing") +
                        QStringLiteral(": shown at top level."));
    if (cycles > 0)
        problems.append(
            QStringLiteral("Parent links form %1 (%2): the cycle was refused and its members are "
                           "shown at top level.")
                .arg(plural(cycles, "cycle", "cycles"),
                     plural(cycleMembers, "observation", "observations")));
    if (duplicates > 0)
        problems.append(
            plural(duplicates, "observation repeats an id", "observations repeat an id") +
            QStringLiteral(": only the first is shown."));
    m_problems = problems.join(QLatin1Char(' '));
}

const QList<int> &ObservationTreeModel::childrenOf(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_topLevel;
    return m_nodes.at(int(parent.internalId())).children;
}

QModelIndex ObservationTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, quintptr(childrenOf(parent).at(row)));
}

QModelIndex ObservationTreeModel::parent(const QModelIndex &child) const
{
    if (!checkIndex(child, CheckIndexOption::DoNotUseParent | CheckIndexOption::IndexIsValid))
        return {};
    const int parent = m_nodes.at(int(child.internalId())).parent;
    if (parent == -1)
        return {};
    return createIndex(m_nodes.at(parent).row, 0, quintptr(parent));
}

int ObservationTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(childrenOf(parent).size());
}

int ObservationTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool ObservationTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QModelIndex ObservationTreeModel::indexOf(const QString &observationId) const
{
    const auto node = m_nodeOf.constFind(observationId);
    if (node == m_nodeOf.cend())
        return {};
    return createIndex(m_nodes.at(*node).row, 0, quintptr(*node));
}

QVariant ObservationTreeModel::columnValue(const Node &node, Column column) const
{
    switch (column) {
    case NameColumn:
        return roleValue(node, NameRole);
    case TypeColumn:
        return roleValue(node, TypeRole);
    case ModelColumn:
        return roleValue(node, ModelRole);
    case StartColumn:
        return roleValue(node, StartTimeRole);
    case LatencyColumn:
        return roleValue(node, LatencyRole);
    case TimelineColumn:
        return roleValue(node, StartFractionRole);
    case InputTokensColumn:
        return roleValue(node, InputTokensRole);
    case OutputTokensColumn:
        return roleValue(node, OutputTokensRole);
    case TotalTokensColumn:
        return roleValue(node, TotalTokensRole);
    case CostColumn:
        return roleValue(node, CostRole);
    case LevelColumn:
        return roleValue(node, LevelRole);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ObservationTreeModel::roleValue(const Node &node, int role) const
{
    const Observation &o = observationOf(node);
    const qint64 span = m_spanStart.isValid() ? m_spanStart.msecsTo(m_spanEnd) : 0;
    switch (role) {
    case ObservationIdRole:
        return o.id;
    case TypeRole:
        return o.type;
    case NameRole:
        return o.name;
    case ModelRole:
        return o.model;
    case StartTimeRole:
        return o.startTime;
    case EndTimeRole:
        return o.endTime;
    case LatencyRole:
        return optionalValue(latency(o));
    case StartFractionRole:
        if (span <= 0 || !o.startTime.isValid())
            return 0.0;
        return std::clamp(double(m_spanStart.msecsTo(o.startTime)) / double(span), 0.0, 1.0);
    case DurationFractionRole:
        if (span <= 0 || !o.startTime.isValid() || !o.endTime.isValid())
            return 0.0;
        return std::clamp(double(o.startTime.msecsTo(o.endTime)) / double(span), 0.0, 1.0);
    case InputTokensRole:
        return optionalValue(usage(o, "input"));
    case OutputTokensRole:
        return optionalValue(usage(o, "output"));
    case TotalTokensRole:
        return optionalValue(totalTokens(o));
    case CostRole:
        return optionalValue(cost(o));
    case LevelRole:
        return o.level;
    case StatusMessageRole:
        return o.statusMessage;
    case OrphanRole:
        return node.orphan;
    case CycleRole:
        return node.cycle;
    case DepthRole:
        return node.depth;
    default:
        break;
    }
    return {};
}

QVariant ObservationTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node &node = m_nodes.at(int(index.internalId()));
    const Observation &o = observationOf(node);
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return o.name.isEmpty() ? o.type : o.name;
        case TypeColumn:
            return o.type;
        case ModelColumn:
            return o.model;
        case StartColumn:
            // Offset on the trace's own time scale: "+1.24 s".
            return m_spanStart.isValid() && o.startTime.isValid()
                       ? QStringLiteral("+") +
                             Format::latency(double(m_spanStart.msecsTo(o.startTime)) / 1000.0)
                       : QString();
        case LatencyColumn:
        case TimelineColumn:
            return latency(o) ? Format::latency(latency(o)) : QString();
        case InputTokensColumn:
            return usage(o, "input") ? Format::count(*usage(o, "input")) : QString();
        case OutputTokensColumn:
            return usage(o, "output") ? Format::count(*usage(o, "output")) : QString();
        case TotalTokensColumn:
            return totalTokens(o) ? Format::count(*totalTokens(o)) : QString();
        case CostColumn:
            return cost(o) ? Format::cost(*cost(o)) : QString();
        case LevelColumn:
            return o.level;
        case ColumnCount:
            break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case NameColumn:
            if (node.cycle)
                return QStringLiteral("Its parent link (%1) is part of a cycle")
                    .arg(o.parentObservationId);
            if (node.orphan)
                return QStringLiteral("Its parent %1 is not in this trace")
                    .arg(o.parentObservationId);
            return o.statusMessage.isEmpty() ? o.id : o.statusMessage;
        case StartColumn:
        case TimelineColumn:
            return o.endTime.isValid() ? QStringLiteral("%1 – %2").arg(exactTimeMs(o.startTime),
                                                                       exactTimeMs(o.endTime))
                                       : exactTimeMs(o.startTime);
        case CostColumn:
            return cost(o) ? QStringLiteral("$%1").arg(*cost(o), 0, 'f', 6) : QString();
        case LevelColumn:
            return o.statusMessage;
        default:
            return {};
        }
    case ValueRole:
        return columnValue(node, column);
    case NumericRole:
        return kColumns.at(size_t(column)).numeric;
    case Qt::TextAlignmentRole:
        return kColumns.at(size_t(column)).numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                   : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return roleValue(node, role);
    }
    return {};
}

QVariant ObservationTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractItemModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> ObservationTreeModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {Qt::ToolTipRole, "toolTip"},
        {ValueRole, "value"},
        {NumericRole, "numeric"},
        {ObservationIdRole, "observationId"},
        {TypeRole, "type"},
        {NameRole, "name"},
        {ModelRole, "model"},
        {StartTimeRole, "startTime"},
        {EndTimeRole, "endTime"},
        {LatencyRole, "latency"},
        {StartFractionRole, "startFraction"},
        {DurationFractionRole, "durationFraction"},
        {InputTokensRole, "inputTokens"},
        {OutputTokensRole, "outputTokens"},
        {TotalTokensRole, "totalTokens"},
        {CostRole, "cost"},
        {LevelRole, "level"},
        {StatusMessageRole, "statusMessage"},
        {OrphanRole, "orphan"},
        {CycleRole, "cycle"},
        {DepthRole, "depth"},
    };
}

QVariantMap ObservationTreeModel::observation(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node &node = m_nodes.at(int(index.internalId()));
    const Observation &o = observationOf(node);
    QVariantMap map = content(o.input, o.output, o.metadata);
    map.insert(QStringLiteral("id"), o.id);
    map.insert(QStringLiteral("parentObservationId"), o.parentObservationId);
    map.insert(QStringLiteral("name"), o.name);
    map.insert(QStringLiteral("type"), o.type);
    map.insert(QStringLiteral("model"), o.model);
    map.insert(QStringLiteral("level"), o.level);
    map.insert(QStringLiteral("statusMessage"), o.statusMessage);
    map.insert(QStringLiteral("startTime"), o.startTime);
    map.insert(QStringLiteral("endTime"), o.endTime);
    map.insert(QStringLiteral("startTimeText"), exactTimeMs(o.startTime));
    map.insert(QStringLiteral("endTimeText"), exactTimeMs(o.endTime));
    map.insert(QStringLiteral("latency"), optionalValue(latency(o)));
    map.insert(QStringLiteral("latencyText"), Format::latency(latency(o)));
    map.insert(QStringLiteral("cost"), optionalValue(cost(o)));
    map.insert(QStringLiteral("costText"), cost(o) ? Format::cost(*cost(o)) : QString());
    QVariantMap usageMap;
    for (auto it = o.usageDetails.cbegin(); it != o.usageDetails.cend(); ++it)
        usageMap.insert(it.key(), qint64(it.value()));
    map.insert(QStringLiteral("usage"), usageMap);
    QVariantMap costMap;
    for (auto it = o.costDetails.cbegin(); it != o.costDetails.cend(); ++it)
        costMap.insert(it.key(), it.value());
    map.insert(QStringLiteral("costDetails"), costMap);
    map.insert(QStringLiteral("orphan"), node.orphan);
    map.insert(QStringLiteral("cycle"), node.cycle);
    return map;
}

QVariantMap ObservationTreeModel::traceContent() const
{
    const TraceSummary &t = m_trace.trace;
    QVariantMap map = content(t.input, t.output, t.metadata);
    map.insert(QStringLiteral("id"), t.id);
    map.insert(QStringLiteral("name"), t.name);
    map.insert(QStringLiteral("userId"), t.userId);
    map.insert(QStringLiteral("sessionId"), t.sessionId);
    map.insert(QStringLiteral("timestamp"), t.timestamp);
    map.insert(QStringLiteral("timestampText"), exactTimeMs(t.timestamp));
    map.insert(QStringLiteral("tags"), t.tags);
    return map;
}

QVariantList ObservationTreeModel::scores() const
{
    QVariantList list;
    list.reserve(m_trace.scores.size());
    for (const Score &s : m_trace.scores) {
        list.append(QVariantMap{
            {QStringLiteral("id"), s.id},
            {QStringLiteral("name"), s.name},
            {QStringLiteral("value"), ScoreListModel::displayValue(s)},
            {QStringLiteral("dataType"), s.dataType},
            {QStringLiteral("source"), s.source},
            {QStringLiteral("comment"), s.comment},
            {QStringLiteral("observationId"), s.observationId},
        });
    }
    return list;
}

void ObservationTreeModel::setErrorString(const QString &error)
{
    if (m_errorString == error)
        return;
    m_errorString = error;
    Q_EMIT errorStringChanged();
}

void ObservationTreeModel::setLoaded(bool loaded)
{
    if (m_loaded == loaded)
        return;
    m_loaded = loaded;
    Q_EMIT loadedChanged();
}

void ObservationTreeModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}
