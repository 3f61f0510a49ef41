// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/sessionsummary.h"

#include "api/jsonreader.h"
#include "api/urlencoding.h"

std::optional<SessionSummary> SessionSummary::fromJson(const QJsonObject &json, QString *error)
{
    SessionSummary s;
    JsonReader r(json, QString());
    r.string(QLatin1String("id"), &s.id);
    r.dateTime(QLatin1String("createdAt"), &s.createdAt);
    r.optionalString(QLatin1String("environment"), &s.environment);
    r.optionalStringList(QLatin1String("userIds"), &s.userIds);
    r.optionalDateTime(QLatin1String("firstTraceAt"), &s.firstTraceAt);
    r.optionalDateTime(QLatin1String("lastTraceAt"), &s.lastTraceAt);
    r.optionalInteger(QLatin1String("traceCount"), &s.traceCount);
    r.optionalInteger(QLatin1String("totalTokens"), &s.totalTokens);
    r.optionalNumber(QLatin1String("totalCost"), &s.totalCost);
    if (!r.finish(error))
        return std::nullopt;
    return s;
}

std::optional<SessionDetail> SessionDetail::fromJson(const QJsonObject &json, QString *error)
{
    SessionDetail d;
    auto session = SessionSummary::fromJson(json, error);
    if (!session)
        return std::nullopt;
    d.session = std::move(*session);
    JsonReader r(json, QString());
    r.objectList(QLatin1String("traces"), &d.traces);
    if (!r.finish(error))
        return std::nullopt;
    return d;
}

QUrlQuery SessionsQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    addTimeRange(q, from, to);
    addQueryValues(q, QStringLiteral("environment"), environments);
    addOptionalQueryValue(q, QStringLiteral("userId"), userId);
    if (!orderField.isEmpty())
        addQueryValue(q, QStringLiteral("orderBy"),
                      orderField + (descending ? QStringLiteral(".desc") : QStringLiteral(".asc")));
    return q;
}
