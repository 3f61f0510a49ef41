// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to api/: the user list of a server without /api/public/users, built from the
// Metrics API as API.md prescribes.
#pragma once

#include "api/metricsquery.h"
#include "api/usersquery.h"
#include "api/usersummary.h"

#include <QHash>
#include <QList>
#include <QString>

/// Which view and metric key ranks users for a /users orderBy field.
struct FallbackRanking
{
    QString view;      ///< traces, observations, scores-numeric
    QString metricKey; ///< e.g. "sum_totalCost"; empty when ranking by userId
    QString field;     ///< the UserSummary field that orders the list (meta.orderedBy)
};

namespace usersfallback {

inline constexpr int kRowLimit = 1000;

[[nodiscard]] FallbackRanking ranking(const QString &orderField);
/// The three queries of API.md (traces, observations, scores-numeric by userId) for a
/// /users query; index 0 traces, 1 observations, 2 scores-numeric.
[[nodiscard]] QList<MetricsQuery> queries(const UsersQuery &query);
/// The same view query restricted to these user ids.
[[nodiscard]] MetricsQuery restrictedTo(const MetricsQuery &query, const QStringList &userIds);
/// Index (0 traces, 1 observations, 2 scores-numeric) of the view that ranks the list.
[[nodiscard]] int rankingView(const QString &orderField);
/// Merges rows by userId into summaries, ordered by query.orderField (ties: userId
/// ascending, missing averages last) and cut to kRowLimit. When the ranking view hit the
/// row limit (rankingComplete false), only users it returned can be ranked for sure, so
/// the list holds just those.
[[nodiscard]] QList<UserSummary> merge(const UsersQuery &query,
                                       const QList<QList<MetricsRow>> &views, bool rankingComplete);
/// UserSummary fields the Metrics API cannot give.
[[nodiscard]] QStringList unavailableFields();

} // namespace usersfallback
