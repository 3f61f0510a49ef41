// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/dailymetrics.h"

#include "api/jsonreader.h"
#include "api/urlencoding.h"

std::optional<DailyModelUsage> DailyModelUsage::fromJson(const QJsonObject &json, QString *error)
{
    DailyModelUsage u;
    JsonReader r(json, QString());
    r.optionalString(QLatin1String("model"), &u.model);
    r.integer(QLatin1String("inputUsage"), &u.inputUsage);
    r.integer(QLatin1String("outputUsage"), &u.outputUsage);
    r.integer(QLatin1String("totalUsage"), &u.totalUsage);
    r.integer(QLatin1String("countObservations"), &u.countObservations);
    r.integer(QLatin1String("countTraces"), &u.countTraces);
    r.number(QLatin1String("totalCost"), &u.totalCost);
    if (!r.finish(error))
        return std::nullopt;
    return u;
}

std::optional<DailyMetrics> DailyMetrics::fromJson(const QJsonObject &json, QString *error)
{
    DailyMetrics d;
    JsonReader r(json, QString());
    QString date;
    r.string(QLatin1String("date"), &date);
    r.integer(QLatin1String("countTraces"), &d.countTraces);
    r.integer(QLatin1String("countObservations"), &d.countObservations);
    r.number(QLatin1String("totalCost"), &d.totalCost);
    r.objectList(QLatin1String("usage"), &d.usage);
    if (!r.finish(error))
        return std::nullopt;
    d.date = QDate::fromString(date, Qt::ISODate);
    if (!d.date.isValid()) {
        if (error)
            *error = QStringLiteral("date: not an ISO 8601 date: \"%1\"").arg(date.left(40));
        return std::nullopt;
    }
    return d;
}

QUrlQuery DailyMetricsQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    addOptionalQueryValue(q, QStringLiteral("userId"), userId);
    addOptionalQueryValue(q, QStringLiteral("traceName"), traceName);
    addQueryValues(q, QStringLiteral("tags"), tags);
    addQueryValues(q, QStringLiteral("environment"), environments);
    addTimeRange(q, from, to);
    return q;
}
