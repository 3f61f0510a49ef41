// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/score.h"

#include "api/jsonreader.h"
#include "api/urlencoding.h"

std::optional<Score> Score::fromJson(const QJsonObject &json, QString *error)
{
    Score s;
    JsonReader r(json, QString());
    r.string(QLatin1String("id"), &s.id);
    r.optionalString(QLatin1String("traceId"), &s.traceId);
    r.optionalString(QLatin1String("observationId"), &s.observationId);
    r.optionalString(QLatin1String("sessionId"), &s.sessionId);
    r.string(QLatin1String("name"), &s.name);
    r.optionalNumber(QLatin1String("value"), &s.value);
    r.optionalString(QLatin1String("stringValue"), &s.stringValue);
    r.string(QLatin1String("dataType"), &s.dataType);
    r.optionalString(QLatin1String("source"), &s.source);
    r.optionalString(QLatin1String("comment"), &s.comment);
    r.optionalString(QLatin1String("authorUserId"), &s.authorUserId);
    r.dateTime(QLatin1String("timestamp"), &s.timestamp);
    r.optionalString(QLatin1String("environment"), &s.environment);
    QJsonObject trace;
    r.optionalObject(QLatin1String("trace"), &trace);
    if (r.ok()) {
        JsonReader tr(trace, QStringLiteral("trace"));
        tr.optionalString(QLatin1String("userId"), &s.traceUserId);
        if (!tr.finish(error))
            return std::nullopt;
    }
    if (!r.finish(error))
        return std::nullopt;
    return s;
}

QUrlQuery ScoresQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    addOptionalQueryValue(q, QStringLiteral("userId"), userId);
    addOptionalQueryValue(q, QStringLiteral("traceId"), traceId);
    addOptionalQueryValue(q, QStringLiteral("sessionId"), sessionId);
    addOptionalQueryValue(q, QStringLiteral("name"), name);
    addOptionalQueryValue(q, QStringLiteral("source"), source);
    addOptionalQueryValue(q, QStringLiteral("dataType"), dataType);
    addTimeRange(q, from, to);
    addQueryValues(q, QStringLiteral("environment"), environments);
    return q;
}

QJsonObject ScoreInput::toJson() const
{
    QJsonObject json{{QLatin1String("traceId"), traceId}, {QLatin1String("name"), name}};
    if (value)
        json.insert(QLatin1String("value"), *value);
    else
        json.insert(QLatin1String("value"), stringValue);
    auto optional = [&json](QLatin1String key, const QString &v) {
        if (!v.isEmpty())
            json.insert(key, v);
    };
    optional(QLatin1String("observationId"), observationId);
    optional(QLatin1String("sessionId"), sessionId);
    optional(QLatin1String("dataType"), dataType);
    optional(QLatin1String("comment"), comment);
    optional(QLatin1String("source"), source);
    return json;
}
