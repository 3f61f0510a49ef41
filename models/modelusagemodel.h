// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/dailymetrics.h"

#include <QAbstractTableModel>

/// Usage per model (cost and tokens by model), most expensive first. Fed by DailyUsageModel
/// from the same /metrics/daily answer (or by setDays() directly); it never fetches itself.
class ModelUsageModel : public QAbstractTableModel
{
    Q_OBJECT
    /// The largest cost of one model (the bar chart's axis).
    Q_PROPERTY(double maxCost READ maxCost NOTIFY totalsChanged)
    /// The largest total tokens of one model (the bar chart's axis).
    Q_PROPERTY(qint64 maxTokens READ maxTokens NOTIFY totalsChanged)
    /// The cost of all models together.
    Q_PROPERTY(double totalCost READ totalCost NOTIFY totalsChanged)
    /// The total tokens of all models together.
    Q_PROPERTY(qint64 totalTokens READ totalTokens NOTIFY totalsChanged)
    /// DisplayRole gives raw numbers instead of text (for Qt Charts model mappers).
    Q_PROPERTY(bool rawDisplay READ rawDisplay WRITE setRawDisplay NOTIFY rawDisplayChanged)

public:
    enum Column {
        ModelColumn,
        InputTokensColumn,
        OutputTokensColumn,
        TotalTokensColumn,
        CostColumn,
        ObservationsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the raw value (model name or number)
        NumericRole,                  ///< true for right-aligned numeric columns
        ModelRole,                    ///< the row's model name (empty = no model), on every column
        FractionRole,                 ///< numeric columns: value / the column's maximum, 0…1
    };
    Q_ENUM(Role)

    /// One model's usage summed over the days.
    struct Row
    {
        QString model; ///< empty for observations without a model
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 totalTokens = 0;
        double cost = 0;
        qint64 observations = 0;
        friend bool operator==(const Row &, const Row &) = default;
    };

    explicit ModelUsageModel(QObject *parent = nullptr);

    /// Aggregates the per-model usage of these days (any order) and replaces all rows.
    void setDays(const QList<DailyMetrics> &days);
    /// Replaces all rows (sorted here by cost, then tokens, then name).
    void setRows(QList<Row> rows);
    [[nodiscard]] const Row &row(int row) const { return m_rows.at(row); }

    [[nodiscard]] double maxCost() const { return m_maxCost; }
    [[nodiscard]] qint64 maxTokens() const { return m_maxTokens; }
    [[nodiscard]] double totalCost() const { return m_totalCost; }
    [[nodiscard]] qint64 totalTokens() const { return m_totalTokens; }
    [[nodiscard]] bool rawDisplay() const { return m_rawDisplay; }
    void setRawDisplay(bool raw);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void totalsChanged();
    void rawDisplayChanged();

private:
    [[nodiscard]] QVariant value(const Row &row, Column column) const;
    [[nodiscard]] double columnMax(Column column) const;

    QList<Row> m_rows;
    double m_maxCost = 0;
    qint64 m_maxTokens = 0;
    qint64 m_maxInput = 0;
    qint64 m_maxOutput = 0;
    qint64 m_maxObservations = 0;
    double m_totalCost = 0;
    qint64 m_totalTokens = 0;
    bool m_rawDisplay = false;
};
