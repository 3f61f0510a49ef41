// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/usersquery.h"

#include "api/jsonreader.h"

namespace {

// QUrlQuery takes values in its "pretty decoded" form: a literal '%' would start an escape
// and a literal '+' reads as a space on most servers, so both are escaped here.
QString queryValue(QString value)
{
    return value.replace(QLatin1Char('%'), QLatin1String("%25"))
        .replace(QLatin1Char('+'), QLatin1String("%2B"));
}

} // namespace

QUrlQuery UsersQuery::toUrlQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page"), QString::number(page));
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    q.addQueryItem(QStringLiteral("orderBy"), orderBy());
    if (!search.isEmpty())
        q.addQueryItem(QStringLiteral("search"), queryValue(search));
    if (from.isValid())
        q.addQueryItem(QStringLiteral("fromTimestamp"), toIsoTime(from));
    if (to.isValid())
        q.addQueryItem(QStringLiteral("toTimestamp"), toIsoTime(to));
    for (const QString &env : environments)
        q.addQueryItem(QStringLiteral("environment"), queryValue(env));
    return q;
}
