// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/page.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

/// One model's usage on one day.
struct DailyModelUsage
{
    QString model; ///< empty for observations without a model
    qint64 inputUsage = 0;
    qint64 outputUsage = 0;
    qint64 totalUsage = 0;
    qint64 countObservations = 0;
    qint64 countTraces = 0;
    double totalCost = 0;

    [[nodiscard]] static std::optional<DailyModelUsage> fromJson(const QJsonObject &json,
                                                                 QString *error);
};

/// One day of GET /api/public/metrics/daily (newest day first).
struct DailyMetrics
{
    QDate date;
    qint64 countTraces = 0;
    qint64 countObservations = 0;
    double totalCost = 0;
    QList<DailyModelUsage> usage;

    [[nodiscard]] static std::optional<DailyMetrics> fromJson(const QJsonObject &json,
                                                              QString *error);
};

/// Parameters of GET /api/public/metrics/daily.
struct DailyMetricsQuery
{
    int page = 1;
    int limit = 50;
    QString userId;
    QString traceName;
    QStringList tags;
    QStringList environments;
    QDateTime from; ///< inclusive; invalid = unbounded
    QDateTime to;   ///< exclusive; invalid = unbounded

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    friend bool operator==(const DailyMetricsQuery &, const DailyMetricsQuery &) = default;
};
