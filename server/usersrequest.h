// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>
#include <QUrlQuery>
#include <QVariantList>

#include <optional>

namespace xeroml::server {

/// The orderBy fields of GET /api/public/users, in API.md order.
enum class UserOrderField {
    UserId,
    TotalTraces,
    TotalSessions,
    TotalObservations,
    InputTokens,
    OutputTokens,
    TotalTokens,
    TotalCost,
    AverageScore,
    FirstTraceAt,
    LastTraceAt,
};

/// A validated GET /api/public/users (or /users/{userId}) request.
struct UsersRequest
{
    static constexpr int DefaultLimit = 50;
    static constexpr int MaxLimit = 1000;

    int page = 1;
    int limit = DefaultLimit;
    /// Most recently active users first: what someone opening the users page looks for.
    UserOrderField orderField = UserOrderField::LastTraceAt;
    bool descending = true;
    QString search;               ///< case-insensitive substring of the user id; empty = all
    std::optional<qint64> fromMs; ///< inclusive, ms since the epoch (UTC)
    std::optional<qint64> toMs;   ///< exclusive
    QStringList environments;     ///< empty = every environment
    QString userId;               ///< exact user id (for /users/{userId}); empty = all users

    /// The WHERE condition over the traces table that selects this request's traces of users
    /// (window, environments, search, exact user id); its values are appended to *binds.
    [[nodiscard]] QString sqlWhere(QVariantList *binds) const;
    /// Parses the query string; nullopt with *error naming the bad parameter otherwise.
    /// withPaging = false ignores page, limit and orderBy (the single-user endpoint).
    [[nodiscard]] static std::optional<UsersRequest> fromQuery(const QUrlQuery &query,
                                                               bool withPaging, QString *error);
    /// "2026-12-04T15:05:01.123Z" → ms since the epoch; nullopt unless ISO 8601 with a zone.
    [[nodiscard]] static std::optional<qint64> parseTimestamp(const QString &text);
    /// ms since the epoch → "2026-12-04T15:05:01.123Z".
    [[nodiscard]] static QString formatTimestamp(qint64 ms);
    /// The API name of an orderBy field ("totalCost").
    [[nodiscard]] static QString fieldName(UserOrderField field);
    [[nodiscard]] static QStringList fieldNames();
};

/// One page of UserSummary objects plus the number of users matching the filters.
struct UsersPage
{
    QJsonArray data;
    qint64 totalItems = 0;
};

} // namespace xeroml::server
