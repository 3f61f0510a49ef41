// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/usersummary.h"

#include "api/jsonreader.h"

std::optional<UserSummary> UserSummary::fromJson(const QJsonObject &json, QString *error)
{
    UserSummary u;
    JsonReader r(json, QString());
    r.string(QLatin1String("userId"), &u.userId);
    r.integer(QLatin1String("totalTraces"), &u.totalTraces);
    r.integer(QLatin1String("totalSessions"), &u.totalSessions);
    r.integer(QLatin1String("totalObservations"), &u.totalObservations);
    r.integer(QLatin1String("inputTokens"), &u.inputTokens);
    r.integer(QLatin1String("outputTokens"), &u.outputTokens);
    r.integer(QLatin1String("totalTokens"), &u.totalTokens);
    r.number(QLatin1String("totalCost"), &u.totalCost);
    r.optionalNumber(QLatin1String("averageScore"), &u.averageScore);
    r.integer(QLatin1String("scoreCount"), &u.scoreCount);
    r.dateTime(QLatin1String("firstTraceAt"), &u.firstTraceAt);
    r.dateTime(QLatin1String("lastTraceAt"), &u.lastTraceAt);
    r.optionalStringList(QLatin1String("environments"), &u.environments);
    if (!r.finish(error))
        return std::nullopt;
    return u;
}

std::optional<PageMeta> PageMeta::fromJson(const QJsonObject &json, QString *error)
{
    PageMeta m;
    JsonReader r(json, QStringLiteral("meta"));
    r.integer(QLatin1String("page"), &m.page);
    r.integer(QLatin1String("limit"), &m.limit);
    r.integer(QLatin1String("totalItems"), &m.totalItems);
    r.integer(QLatin1String("totalPages"), &m.totalPages);
    if (!r.finish(error))
        return std::nullopt;
    return m;
}
