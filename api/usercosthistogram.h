// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/usersquery.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <optional>

/// Users whose total cost lies in [lowerUsd, upperUsd).
struct CostBucket
{
    double lowerUsd = 0;
    double upperUsd = 0;
    qint64 users = 0;

    [[nodiscard]] static std::optional<CostBucket> fromJson(const QJsonObject &json,
                                                            QString *error);
};

/// GET /api/public/metrics/user-cost-histogram [XR]: how many users of a filter fall in each
/// (logarithmic) cost bucket, ascending, plus the users without cost.
struct UserCostHistogram
{
    QList<CostBucket> buckets;
    qint64 zeroCostUsers = 0;
    qint64 totalUsers = 0; ///< zeroCostUsers + every bucket's users

    /// Strict: counts ≥ 0, 0 < lower < upper, buckets ascending without overlap, and
    /// totalUsers equal to what the parts add up to.
    [[nodiscard]] static std::optional<UserCostHistogram> fromJson(const QJsonObject &json,
                                                                   QString *error);
    /// The filter part of a /users query (search, time range, environments).
    [[nodiscard]] static QUrlQuery urlQuery(const UsersQuery &filter);
};
