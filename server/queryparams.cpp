// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/queryparams.h"

#include "server/usersrequest.h"

namespace xeroml::server {

namespace {

// Strict integers only: "5x", "", " 5" and values beyond int are rejected rather than guessed.
std::optional<int> parseInt(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok, 10);
    if (!ok || text.trimmed() != text)
        return std::nullopt;
    return value;
}

// Keeps hostile names short and printable in error messages.
QString quoted(const QString &text)
{
    QString shown = text.left(60);
    for (QChar &c : shown) {
        if (!c.isPrint())
            c = QChar(0xfffd);
    }
    return QLatin1Char('"') + shown +
           (text.size() > 60 ? QStringLiteral("…\"") : QStringLiteral("\""));
}

} // namespace

QueryParams::QueryParams(const QUrlQuery &query)
    : m_query(query)
{}

bool QueryParams::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
    return false;
}

bool QueryParams::checkKeys(const QStringList &single, const QStringList &repeatable)
{
    QStringList seen;
    for (const auto &[key, value] : m_query.queryItems(QUrl::FullyDecoded)) {
        if (!single.contains(key) && !repeatable.contains(key)) {
            QStringList known = single + repeatable;
            known.sort();
            return fail(QStringLiteral("unknown parameter %1; known parameters: %2")
                            .arg(quoted(key), known.join(QLatin1String(", "))));
        }
        if (single.contains(key) && seen.contains(key))
            return fail(QStringLiteral("parameter %1 is given more than once").arg(key));
        seen.append(key);
        if (value.size() > MaxValueLength) {
            return fail(QStringLiteral("parameter %1 is longer than %2 characters")
                            .arg(key)
                            .arg(MaxValueLength));
        }
    }
    return true;
}

bool QueryParams::has(const QString &key) const
{
    return m_query.hasQueryItem(key);
}

QString QueryParams::value(const QString &key) const
{
    return m_query.queryItemValue(key, QUrl::FullyDecoded);
}

QStringList QueryParams::values(const QString &key) const
{
    QStringList result = m_query.allQueryItemValues(key, QUrl::FullyDecoded);
    result.removeAll(QString());
    result.removeDuplicates();
    return result;
}

bool QueryParams::paging(int defaultLimit, int maxLimit, int *page, int *limit)
{
    *page = 1;
    *limit = defaultLimit;
    if (has(QStringLiteral("page"))) {
        const auto parsed = parseInt(value(QStringLiteral("page")));
        if (!parsed || *parsed < 1)
            return fail(QStringLiteral("page must be an integer ≥ 1"));
        *page = *parsed;
    }
    if (has(QStringLiteral("limit"))) {
        const auto parsed = parseInt(value(QStringLiteral("limit")));
        if (!parsed || *parsed < 1 || *parsed > maxLimit)
            return fail(QStringLiteral("limit must be an integer from 1 to %1").arg(maxLimit));
        *limit = *parsed;
    }
    return true;
}

bool QueryParams::orderBy(const QStringList &fields, QString *field, bool *descending)
{
    if (!has(QStringLiteral("orderBy")))
        return true;
    const QString text = value(QStringLiteral("orderBy"));
    const qsizetype dot = text.lastIndexOf(QLatin1Char('.'));
    const QString name = dot < 0 ? text : text.left(dot);
    const QString direction = dot < 0 ? QString() : text.mid(dot + 1);
    if (!fields.contains(name) ||
        (direction != QLatin1String("asc") && direction != QLatin1String("desc"))) {
        return fail(QStringLiteral("orderBy must be <field>.asc or <field>.desc with field one of "
                                   "%1; got %2")
                        .arg(fields.join(QLatin1String(", ")), quoted(text)));
    }
    *field = name;
    *descending = direction == QLatin1String("desc");
    return true;
}

bool QueryParams::timeRange(std::optional<qint64> *from, std::optional<qint64> *to)
{
    for (const QString &key : {QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp")}) {
        if (!has(key))
            continue;
        const auto ms = UsersRequest::parseTimestamp(value(key));
        if (!ms) {
            return fail(QStringLiteral("%1 must be an ISO 8601 time with a zone, e.g. "
                                       "2026-12-04T15:05:01.123Z; got %2")
                            .arg(key, quoted(value(key))));
        }
        (key == QLatin1String("fromTimestamp") ? *from : *to) = ms;
    }
    if (*from && *to && **from > **to)
        return fail(QStringLiteral("fromTimestamp must not be after toTimestamp"));
    return true;
}

bool QueryParams::oneOf(const QString &key, const QStringList &allowed, QString *result)
{
    if (!has(key))
        return true;
    const QString text = value(key);
    if (!allowed.contains(text)) {
        return fail(QStringLiteral("%1 must be one of %2; got %3")
                        .arg(key, allowed.join(QLatin1String(", ")), quoted(text)));
    }
    *result = text;
    return true;
}

} // namespace xeroml::server
