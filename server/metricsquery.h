// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/readapi.h"
#include "server/tracecolumns.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>
#include <QUrlQuery>
#include <QVariantList>

#include <optional>

namespace xeroml::server {

/// GET /api/public/metrics?query=<JSON> (Metrics API v1): parses the query against a fixed
/// description of each view, then compiles it to one SELECT made only of whitelisted fragments
/// with every value from the request bound as a parameter.
class MetricsQuery
{
public:
    static constexpr int DefaultRowLimit = 100;
    static constexpr int MaxRowLimit = 1000;

    /// The whole endpoint: validation (400 naming the problem) and execution.
    /// `columns` (may be null) answers the per-user sums of the traces and observations views
    /// without SQL when the query only needs what they hold.
    [[nodiscard]] static ApiReply run(const QSqlDatabase &db, const TraceColumns *columns,
                                      const QUrlQuery &query);
    /// nullopt with *error naming the unknown view / field / measure / operator otherwise.
    [[nodiscard]] static std::optional<MetricsQuery> parse(const QJsonObject &query,
                                                           QString *error);
    /// The compiled statement (for tests and logging; values stay in binds()).
    [[nodiscard]] QString sql() const { return m_sql; }
    [[nodiscard]] const QVariantList &binds() const { return m_binds; }
    /// True when run() would answer from the trace columns.
    [[nodiscard]] bool usesColumns() const { return m_fast.has_value(); }

private:
    struct Output
    {
        QString key;
        enum Kind { Text, Integer, Real, Time } kind = Text;
        double scale = 1; // integer storage → API unit (nano-USD → USD, ms → s)
    };

    // A query the trace columns answer exactly: sums and counts by user (or in total) over
    // a time range and environments, for the traces view and, via the per-trace sums of
    // observations, the observations view.
    struct FastPlan
    {
        bool observations = false;
        bool byUser = false;
        TraceColumns::Filter filter;
        QList<QPair<QString, QString>> metrics; // output key, measure
        QList<QPair<QString, bool>> order;      // output key, descending
        int rowLimit = DefaultRowLimit;
    };

    [[nodiscard]] ApiReply execute(const QSqlDatabase &db) const;
    [[nodiscard]] ApiReply executeFast(const TraceColumns &columns) const;

    std::optional<FastPlan> m_fast;

    QString m_sql;
    QVariantList m_binds;
    QList<Output> m_outputs;
};

} // namespace xeroml::server
