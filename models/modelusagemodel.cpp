// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/modelusagemodel.h"

#include "models/format.h"

#include <QHash>

#include <algorithm>
#include <array>

namespace {

struct ColumnInfo
{
    const char *title;
    bool numeric;
};

constexpr std::array<ColumnInfo, ModelUsageModel::ColumnCount> kColumns{{
    {"Model", false},
    {"Input tokens", true},
    {"Output tokens", true},
    {"Total tokens", true},
    {"Cost (USD)", true},
    {"Observations", true},
}};

} // namespace

ModelUsageModel::ModelUsageModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ModelUsageModel::setDays(const QList<DailyMetrics> &days)
{
    QHash<QString, qsizetype> byModel;
    QList<Row> rows;
    for (const DailyMetrics &day : days) {
        for (const DailyModelUsage &u : day.usage) {
            auto it = byModel.constFind(u.model);
            if (it == byModel.cend()) {
                it = byModel.insert(u.model, rows.size());
                rows.append(Row{u.model});
            }
            Row &r = rows[*it];
            r.inputTokens += u.inputUsage;
            r.outputTokens += u.outputUsage;
            r.totalTokens += u.totalUsage;
            r.cost += u.totalCost;
            r.observations += u.countObservations;
        }
    }
    setRows(std::move(rows));
}

void ModelUsageModel::setRows(QList<Row> rows)
{
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        if (a.cost != b.cost)
            return a.cost > b.cost;
        if (a.totalTokens != b.totalTokens)
            return a.totalTokens > b.totalTokens;
        return a.model < b.model;
    });
    beginResetModel();
    m_rows = std::move(rows);
    m_maxCost = 0;
    m_maxTokens = 0;
    m_maxInput = 0;
    m_maxOutput = 0;
    m_maxObservations = 0;
    m_totalCost = 0;
    m_totalTokens = 0;
    for (const Row &r : std::as_const(m_rows)) {
        m_maxCost = std::max(m_maxCost, r.cost);
        m_maxTokens = std::max(m_maxTokens, r.totalTokens);
        m_maxInput = std::max(m_maxInput, r.inputTokens);
        m_maxOutput = std::max(m_maxOutput, r.outputTokens);
        m_maxObservations = std::max(m_maxObservations, r.observations);
        m_totalCost += r.cost;
        m_totalTokens += r.totalTokens;
    }
    endResetModel();
    Q_EMIT totalsChanged();
}

void ModelUsageModel::setRawDisplay(bool raw)
{
    if (m_rawDisplay == raw)
        return;
    m_rawDisplay = raw;
    Q_EMIT rawDisplayChanged();
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::DisplayRole});
}

int ModelUsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelUsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelUsageModel::value(const Row &r, Column column) const
{
    switch (column) {
    case ModelColumn:
        return r.model;
    case InputTokensColumn:
        return r.inputTokens;
    case OutputTokensColumn:
        return r.outputTokens;
    case TotalTokensColumn:
        return r.totalTokens;
    case CostColumn:
        return r.cost;
    case ObservationsColumn:
        return r.observations;
    case ColumnCount:
        break;
    }
    return {};
}

double ModelUsageModel::columnMax(Column column) const
{
    switch (column) {
    case InputTokensColumn:
        return double(m_maxInput);
    case OutputTokensColumn:
        return double(m_maxOutput);
    case TotalTokensColumn:
        return double(m_maxTokens);
    case CostColumn:
        return m_maxCost;
    case ObservationsColumn:
        return double(m_maxObservations);
    default:
        return 0;
    }
}

QVariant ModelUsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const auto column = Column(index.column());
    const bool numeric = kColumns.at(size_t(column)).numeric;

    switch (role) {
    case Qt::DisplayRole:
        if (m_rawDisplay)
            return value(r, column);
        switch (column) {
        case ModelColumn:
            return r.model.isEmpty() ? QStringLiteral("(no model)") : r.model;
        case CostColumn:
            return Format::cost(r.cost);
        default:
            return Format::count(value(r, column).toLongLong());
        }
    case Qt::ToolTipRole:
        if (column == CostColumn)
            return QStringLiteral("$%1").arg(r.cost, 0, 'f', 6);
        if (column == ModelColumn)
            return r.model.isEmpty() ? QStringLiteral("Observations without a model") : r.model;
        return {};
    case ValueRole:
        return value(r, column);
    case NumericRole:
        return numeric;
    case ModelRole:
        return r.model;
    case FractionRole: {
        if (!numeric)
            return {};
        const double max = columnMax(column);
        return max > 0 ? value(r, column).toDouble() / max : 0.0;
    }
    case Qt::TextAlignmentRole:
        return numeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                       : int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        break;
    }
    return {};
}

QVariant ModelUsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole)
        return QLatin1String(kColumns.at(size_t(section)).title);
    if (role == NumericRole)
        return kColumns.at(size_t(section)).numeric;
    return {};
}

QHash<int, QByteArray> ModelUsageModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"}, {Qt::ToolTipRole, "toolTip"}, {ValueRole, "value"},
        {NumericRole, "numeric"},     {ModelRole, "model"},         {FractionRole, "fraction"},
    };
}
