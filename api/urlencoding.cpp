// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/urlencoding.h"

#include "api/jsonreader.h"

#include <QUrl>

QString encodePathSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

void addQueryValue(QUrlQuery &query, const QString &key, const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('%'), QLatin1String("%25"))
        .replace(QLatin1Char('+'), QLatin1String("%2B"));
    query.addQueryItem(key, escaped);
}

void addOptionalQueryValue(QUrlQuery &query, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        addQueryValue(query, key, value);
}

void addQueryValues(QUrlQuery &query, const QString &key, const QStringList &values)
{
    for (const QString &v : values)
        addQueryValue(query, key, v);
}

void addTimeRange(QUrlQuery &query, const QDateTime &from, const QDateTime &to)
{
    if (from.isValid())
        query.addQueryItem(QStringLiteral("fromTimestamp"), toIsoTime(from));
    if (to.isValid())
        query.addQueryItem(QStringLiteral("toTimestamp"), toIsoTime(to));
}
