// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// One query of the Metrics API v1 (API.md, `GET /api/public/metrics?query=JSON`).
struct MetricsQuery
{
    /// A measure and how rows are aggregated; the row key is "<aggregation>_<measure>".
    struct Metric
    {
        QString measure;     ///< e.g. "totalCost", "count", "value"
        QString aggregation; ///< sum, avg, count, min, max, p50 …
        [[nodiscard]] QString key() const { return aggregation + QLatin1Char('_') + measure; }
        friend bool operator==(const Metric &, const Metric &) = default;
    };
    /// A filter on a column; value is a string, number, or array for "any of".
    struct Filter
    {
        QString column;
        QString op; ///< = != > >= < <= contains "any of"
        QJsonValue value;
        QString type; ///< string, stringOptions, number, datetime …
        friend bool operator==(const Filter &, const Filter &) = default;
    };
    /// A sort key: a dimension name or a metric key.
    struct Order
    {
        QString field;
        bool descending = true;
        friend bool operator==(const Order &, const Order &) = default;
    };

    QString view;           ///< traces, observations, scores-numeric
    QStringList dimensions; ///< grouping fields, e.g. {"userId"}; empty = one totals row
    QList<Metric> metrics;
    QList<Filter> filters;
    QString granularity; ///< hour, day, week, month; empty = no time dimension
    QDateTime from;      ///< inclusive; invalid = not sent
    QDateTime to;        ///< exclusive; invalid = not sent
    QList<Order> orderBy;
    int rowLimit = 0; ///< config.row_limit, 1–1000; 0 = the server's default (100)

    /// Adds a metric and returns its row key.
    QString addMetric(const QString &measure, const QString &aggregation);
    /// Restricts rows to these environments (an "any of" filter); empty = no filter.
    void filterEnvironments(const QStringList &environments);
    /// Restricts rows to a column equal to value (a string filter).
    void filterEquals(const QString &column, const QString &value);

    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const MetricsQuery &, const MetricsQuery &) = default;
};

/// One row of a Metrics API answer: dimension values as strings and metric values as
/// numbers, where a JSON null (e.g. the average of nothing) stays empty, never 0.
struct MetricsRow
{
    QHash<QString, QString> dimensions; ///< by dimension field; a null value is a null QString
    QHash<QString, std::optional<double>> metrics; ///< by row key, e.g. "sum_totalCost"
    QDateTime timeDimension;                       ///< set when the query has a granularity

    [[nodiscard]] QString dimension(const QString &field) const { return dimensions.value(field); }
    [[nodiscard]] std::optional<double> metric(const QString &key) const
    {
        return metrics.value(key);
    }
    [[nodiscard]] std::optional<double> metric(const QString &aggregation,
                                               const QString &measure) const
    {
        return metric(aggregation + QLatin1Char('_') + measure);
    }

    /// Reads the fields the query asked for (every dimension, every metric key, and
    /// time_dimension when a granularity is set); each must be present. Metric values may
    /// be numbers, numeric strings (ClickHouse-backed servers send 64-bit sums so) or null.
    [[nodiscard]] static std::optional<MetricsRow>
    fromJson(const QJsonObject &json, const MetricsQuery &query, QString *error);
};
