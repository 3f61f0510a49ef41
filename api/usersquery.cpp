// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/usersquery.h"

#include "api/urlencoding.h"

QUrlQuery UsersQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    q.addQueryItem(QStringLiteral("orderBy"), orderBy());
    addOptionalQueryValue(q, QStringLiteral("search"), search);
    addTimeRange(q, from, to);
    addQueryValues(q, QStringLiteral("environment"), environments);
    return q;
}

QUrlQuery UserScope::toUrlQuery() const
{
    QUrlQuery q;
    addTimeRange(q, from, to);
    addQueryValues(q, QStringLiteral("environment"), environments);
    return q;
}
