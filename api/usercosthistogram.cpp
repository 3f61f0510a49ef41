// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/usercosthistogram.h"

#include "api/jsonreader.h"
#include "api/urlencoding.h"

#include <cmath>

std::optional<CostBucket> CostBucket::fromJson(const QJsonObject &json, QString *error)
{
    CostBucket b;
    JsonReader r(json, QString());
    r.number(QLatin1String("lowerUsd"), &b.lowerUsd);
    r.number(QLatin1String("upperUsd"), &b.upperUsd);
    r.integer(QLatin1String("users"), &b.users);
    if (!r.finish(error))
        return std::nullopt;
    QString problem;
    if (!std::isfinite(b.lowerUsd) || !std::isfinite(b.upperUsd) || b.lowerUsd <= 0)
        problem = QStringLiteral("lowerUsd: must be a positive number");
    else if (b.upperUsd <= b.lowerUsd)
        problem = QStringLiteral("upperUsd: must be above lowerUsd");
    else if (b.users < 0)
        problem = QStringLiteral("users: must not be negative");
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    return b;
}

std::optional<UserCostHistogram> UserCostHistogram::fromJson(const QJsonObject &json,
                                                             QString *error)
{
    UserCostHistogram h;
    JsonReader r(json, QString());
    r.objectList(QLatin1String("buckets"), &h.buckets);
    r.integer(QLatin1String("zeroCostUsers"), &h.zeroCostUsers);
    r.integer(QLatin1String("totalUsers"), &h.totalUsers);
    if (!r.finish(error))
        return std::nullopt;
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (h.zeroCostUsers < 0)
        return fail(QStringLiteral("zeroCostUsers: must not be negative"));
    qint64 sum = h.zeroCostUsers;
    for (qsizetype i = 0; i < h.buckets.size(); ++i) {
        if (i > 0 && h.buckets.at(i).lowerUsd < h.buckets.at(i - 1).upperUsd) {
            return fail(
                QStringLiteral("buckets[%1]: overlaps or precedes the bucket before it").arg(i));
        }
        // Each count is at most totalUsers, which is checked below: no overflow when it holds.
        if (h.buckets.at(i).users > h.totalUsers)
            return fail(QStringLiteral("buckets[%1].users: more than totalUsers").arg(i));
        sum += h.buckets.at(i).users;
        if (sum > h.totalUsers)
            break;
    }
    if (sum != h.totalUsers) {
        return fail(QStringLiteral("totalUsers: %1 is not zeroCostUsers plus the buckets' users")
                        .arg(h.totalUsers));
    }
    return h;
}

QUrlQuery UserCostHistogram::urlQuery(const UsersQuery &filter)
{
    QUrlQuery q;
    addOptionalQueryValue(q, QStringLiteral("search"), filter.search);
    addTimeRange(q, filter.from, filter.to);
    addQueryValues(q, QStringLiteral("environment"), filter.environments);
    return q;
}
