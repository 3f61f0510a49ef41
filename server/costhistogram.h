// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/readapi.h"
#include "server/tracecolumns.h"
#include "server/usersrequest.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QUrlQuery>

#include <map>
#include <optional>

namespace xeroml::server {

class Store;

/// How many users' total cost (over a filter: time window, environments, search) falls in
/// each decade of USD — [0.01, 0.1), [0.1, 1), … — plus the users without cost. Behind the
/// XeroML addition GET /api/public/metrics/user-cost-histogram:
/// {"buckets":[{"lowerUsd","upperUsd","users"}…], "zeroCostUsers", "totalUsers"}, buckets
/// ascending and contiguous from the lowest to the highest non-empty decade.
///
/// Costs are integer nano-USD, so a decade is the number of digits: exact at every boundary.
struct CostHistogram
{
    /// Decade exponent k (bucket [10^k, 10^(k+1)) USD) → users in it.
    std::map<int, qint64> decades;
    /// Users with traces in the filter whose cost sums to 0 (or less).
    qint64 zeroCostUsers = 0;

    /// Counts one user with this total cost.
    void add(qint64 costNanos);
    [[nodiscard]] qint64 totalUsers() const;
    [[nodiscard]] QJsonObject toJson() const;
    /// The decade of a positive cost: 1 nano-USD → -9, 0.05 USD → -2, 3 USD → 0.
    [[nodiscard]] static int decadeOf(qint64 costNanos);
    /// 10^k as the double nearest to it (what nano-USD / 1e9 gives at the boundary).
    [[nodiscard]] static double powerOfTen(int k);

    /// From the in-memory columns (one scan, like /users).
    [[nodiscard]] static CostHistogram fromColumns(const TraceColumns &columns,
                                                   const UsersRequest &request);
    /// From SQL: one GROUP BY user over the traces table (the fallback, and a reference).
    [[nodiscard]] static std::optional<CostHistogram>
    fromSql(const QSqlDatabase &db, const UsersRequest &request, QString *error);

    /// The whole endpoint: validates the query strictly (400 naming the parameter), then
    /// answers from the columns when they serve, else from SQL.
    [[nodiscard]] static ApiReply reply(const Store &store, const QUrlQuery &query);
};

} // namespace xeroml::server
