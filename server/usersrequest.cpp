// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/usersrequest.h"

#include <QDateTime>

#include <array>

namespace xeroml::server {

namespace {

struct FieldName
{
    UserOrderField field;
    QLatin1String name;
};

constexpr std::array<FieldName, 11> kFields{{
    {UserOrderField::UserId, QLatin1String("userId")},
    {UserOrderField::TotalTraces, QLatin1String("totalTraces")},
    {UserOrderField::TotalSessions, QLatin1String("totalSessions")},
    {UserOrderField::TotalObservations, QLatin1String("totalObservations")},
    {UserOrderField::InputTokens, QLatin1String("inputTokens")},
    {UserOrderField::OutputTokens, QLatin1String("outputTokens")},
    {UserOrderField::TotalTokens, QLatin1String("totalTokens")},
    {UserOrderField::TotalCost, QLatin1String("totalCost")},
    {UserOrderField::AverageScore, QLatin1String("averageScore")},
    {UserOrderField::FirstTraceAt, QLatin1String("firstTraceAt")},
    {UserOrderField::LastTraceAt, QLatin1String("lastTraceAt")},
}};

// Strict integers only: "5x", "", " 5" and values beyond int are rejected rather than guessed.
std::optional<int> parseInt(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok, 10);
    if (!ok || text.trimmed() != text)
        return std::nullopt;
    return value;
}

} // namespace

QString UsersRequest::fieldName(UserOrderField field)
{
    for (const auto &entry : kFields) {
        if (entry.field == field)
            return entry.name;
    }
    return {};
}

QStringList UsersRequest::fieldNames()
{
    QStringList names;
    for (const auto &entry : kFields)
        names.append(entry.name);
    return names;
}

std::optional<qint64> UsersRequest::parseTimestamp(const QString &text)
{
    // A time without a zone would silently mean the server's local time: refuse it.
    if (!text.contains(QLatin1Char('T')))
        return std::nullopt;
    const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

QString UsersRequest::formatTimestamp(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString UsersRequest::sqlWhere(QVariantList *binds) const
{
    QString where = QStringLiteral("user_id IS NOT NULL");
    if (fromMs) {
        where += QStringLiteral(" AND ts >= ?");
        binds->append(*fromMs);
    }
    if (toMs) {
        where += QStringLiteral(" AND ts < ?");
        binds->append(*toMs);
    }
    if (!environments.isEmpty()) {
        QStringList marks;
        for (const QString &environment : environments) {
            marks.append(QStringLiteral("?"));
            binds->append(environment);
        }
        where += QStringLiteral(" AND environment IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    if (!search.isEmpty()) {
        // Both sides lower-cased by Qt (full Unicode), compared with instr(): no LIKE
        // wildcards to escape and no ASCII-only case folding.
        where += QStringLiteral(" AND instr(user_id_lower, ?) > 0");
        binds->append(search.toLower());
    }
    if (!userId.isEmpty()) {
        where += QStringLiteral(" AND user_id = ?");
        binds->append(userId);
    }
    return where;
}

std::optional<UsersRequest> UsersRequest::fromQuery(const QUrlQuery &query, bool withPaging,
                                                    QString *error)
{
    UsersRequest request;
    const auto value = [&query](const char *key) {
        return query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    const auto has = [&query](const char *key) { return query.hasQueryItem(QLatin1String(key)); };

    if (withPaging && has("page")) {
        const auto page = parseInt(value("page"));
        if (!page || *page < 1) {
            *error = QStringLiteral("page must be an integer ≥ 1");
            return std::nullopt;
        }
        request.page = *page;
    }
    if (withPaging && has("limit")) {
        const auto limit = parseInt(value("limit"));
        if (!limit || *limit < 1 || *limit > MaxLimit) {
            *error = QStringLiteral("limit must be an integer from 1 to %1").arg(MaxLimit);
            return std::nullopt;
        }
        request.limit = *limit;
    }
    if (withPaging && has("orderBy")) {
        const QString orderBy = value("orderBy");
        const qsizetype dot = orderBy.lastIndexOf(QLatin1Char('.'));
        const QString field = dot < 0 ? orderBy : orderBy.left(dot);
        const QString direction = dot < 0 ? QString() : orderBy.mid(dot + 1);
        bool found = false;
        for (const auto &entry : kFields) {
            if (field == entry.name) {
                request.orderField = entry.field;
                found = true;
            }
        }
        if (!found || (direction != QLatin1String("asc") && direction != QLatin1String("desc"))) {
            *error = QStringLiteral("orderBy must be <field>.asc or <field>.desc with field one "
                                    "of %1")
                         .arg(fieldNames().join(QLatin1String(", ")));
            return std::nullopt;
        }
        request.descending = direction == QLatin1String("desc");
    }
    for (const char *key : {"fromTimestamp", "toTimestamp"}) {
        if (!has(key))
            continue;
        const auto ms = parseTimestamp(value(key));
        if (!ms) {
            *error = QStringLiteral("%1 must be an ISO 8601 time with a zone, e.g. "
                                    "2026-12-04T15:05:01.123Z")
                         .arg(QLatin1String(key));
            return std::nullopt;
        }
        (qstrcmp(key, "fromTimestamp") == 0 ? request.fromMs : request.toMs) = ms;
    }
    if (request.fromMs && request.toMs && *request.fromMs > *request.toMs) {
        *error = QStringLiteral("fromTimestamp must not be after toTimestamp");
        return std::nullopt;
    }
    request.search = value("search");
    request.environments =
        query.allQueryItemValues(QStringLiteral("environment"), QUrl::FullyDecoded);
    request.environments.removeAll(QString());
    request.environments.removeDuplicates();
    return request;
}

} // namespace xeroml::server
