// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/tracesummary.h"

#include "api/jsonreader.h"
#include "api/urlencoding.h"

std::optional<TraceSummary> TraceSummary::fromJson(const QJsonObject &json, QString *error)
{
    TraceSummary t;
    JsonReader r(json, QString());
    r.string(QLatin1String("id"), &t.id);
    r.dateTime(QLatin1String("timestamp"), &t.timestamp);
    r.optionalString(QLatin1String("name"), &t.name);
    r.optionalString(QLatin1String("userId"), &t.userId);
    r.optionalString(QLatin1String("sessionId"), &t.sessionId);
    r.optionalString(QLatin1String("environment"), &t.environment);
    r.optionalString(QLatin1String("release"), &t.release);
    r.optionalString(QLatin1String("version"), &t.version);
    r.optionalStringList(QLatin1String("tags"), &t.tags);
    r.anyValue(QLatin1String("metadata"), &t.metadata);
    r.anyValue(QLatin1String("input"), &t.input);
    r.anyValue(QLatin1String("output"), &t.output);
    r.optionalNumber(QLatin1String("latency"), &t.latency);
    r.optionalNumber(QLatin1String("totalCost"), &t.totalCost);
    r.optionalInteger(QLatin1String("inputTokens"), &t.inputTokens);
    r.optionalInteger(QLatin1String("outputTokens"), &t.outputTokens);
    r.optionalInteger(QLatin1String("totalTokens"), &t.totalTokens);
    r.optionalInteger(QLatin1String("observationCount"), &t.observationCount);
    r.optionalStringList(QLatin1String("scores"), &t.scores);
    r.optionalString(QLatin1String("htmlPath"), &t.htmlPath);
    if (!r.finish(error))
        return std::nullopt;
    return t;
}

QUrlQuery TracesQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    addOptionalQueryValue(q, QStringLiteral("userId"), userId);
    addOptionalQueryValue(q, QStringLiteral("sessionId"), sessionId);
    addOptionalQueryValue(q, QStringLiteral("name"), name);
    addQueryValues(q, QStringLiteral("tags"), tags);
    addQueryValues(q, QStringLiteral("environment"), environments);
    addTimeRange(q, from, to);
    if (!orderField.isEmpty())
        addQueryValue(q, QStringLiteral("orderBy"),
                      orderField + (descending ? QStringLiteral(".desc") : QStringLiteral(".asc")));
    if (!fields.isEmpty())
        addQueryValue(q, QStringLiteral("fields"), fields.join(QLatin1Char(',')));
    return q;
}
