// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

/// Parameters of GET /api/public/users (API.md).
struct UsersQuery
{
    int page = 1;
    int limit = 100;
    QString orderField = QStringLiteral("lastTraceAt"); ///< one of the orderBy fields of API.md
    bool descending = true;
    QString search;           ///< case-insensitive substring of the user id
    QDateTime from;           ///< inclusive; invalid = unbounded
    QDateTime to;             ///< exclusive; invalid = unbounded
    QStringList environments; ///< empty = all

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    [[nodiscard]] QString orderBy() const
    {
        return orderField + (descending ? QStringLiteral(".desc") : QStringLiteral(".asc"));
    }
    friend bool operator==(const UsersQuery &, const UsersQuery &) = default;
};

/// Parameters of GET /api/public/users/{userId}: the range the aggregates cover.
struct UserScope
{
    QDateTime from;           ///< inclusive; invalid = unbounded
    QDateTime to;             ///< exclusive; invalid = unbounded
    QStringList environments; ///< empty = all

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    friend bool operator==(const UserScope &, const UserScope &) = default;
};
