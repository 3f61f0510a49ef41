// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/tracecolumns.h"
#include "server/usersrequest.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace xeroml::server {

/// The SQLite store: schema, project metadata and the read queries behind the REST API.
/// One QSqlDatabase connection per instance, used only from the thread that opened it.
///
/// Each trace row carries denormalised aggregates of its observations and scores
/// (observation_count, *_tokens, total_cost_nanos, score_sum/score_count of NUMERIC scores);
/// every writer keeps them equal to the raw rows, so per-user figures are one GROUP BY over
/// traces. Money is stored as integer nano-USD so that sums are exact in any order.
class Store
{
public:
    Store();
    ~Store();
    Q_DISABLE_COPY_MOVE(Store)

    /// Opens or creates the file (mode 0600), enables WAL, creates the schema and, on the
    /// first open, the project and its key pair.
    [[nodiscard]] bool open(const QString &path, QString *error);
    [[nodiscard]] bool isOpen() const;
    [[nodiscard]] QSqlDatabase database() const { return m_db; }
    [[nodiscard]] bool isEmpty() const;

    [[nodiscard]] QString metaValue(const QString &key) const;
    [[nodiscard]] bool setMetaValue(const QString &key, const QString &value, QString *error);

    /// One page of user summaries (API.md UserSummary objects), from the in-memory trace
    /// columns (reloaded first when another connection has written) or, failing that, SQL.
    [[nodiscard]] std::optional<UsersPage> users(const UsersRequest &request, QString *error) const;
    /// The same page computed by one GROUP BY over the traces table (reference and fallback).
    [[nodiscard]] std::optional<UsersPage> usersSql(const UsersRequest &request,
                                                    QString *error) const;
    /// The up-to-date trace columns, or nullptr when they cannot serve (load failed).
    [[nodiscard]] const TraceColumns *columns() const;

    /// Writers in this process call this after inserting or updating a trace row (including
    /// its aggregate columns), once committed; the columns then stay equal to the table.
    ///
    /// The daily rollup (daily_traces per user, UTC day and environment; daily_models per user,
    /// day, environment and model) needs no call: SQLite triggers on traces and observations
    /// apply each inserted, updated or deleted row as a delta in the writer's own transaction
    /// (an observation adds 1 to its model's trace count only when no other observation of
    /// the trace has that model), whichever connection writes. Writers must therefore change
    /// rows with INSERT / UPDATE / DELETE or an UPSERT, never INSERT OR REPLACE (its implicit
    /// delete fires no trigger unless recursive_triggers is on), and bulk loads go through
    /// dropIndexes() / createIndexes() / rebuildDailyRollup().
    void traceChanged(qint64 rowid);
    /// After bulk writes: the columns are rebuilt on next use.
    void invalidateColumns();

    /// Drops / recreates the secondary indexes and the rollup triggers around a bulk load into
    /// an empty store (call both inside the load's transaction, then rebuildDailyRollup()).
    [[nodiscard]] bool dropIndexes(QString *error);
    [[nodiscard]] bool createIndexes(QString *error);
    /// Recomputes daily_traces / daily_models from the rows (after a bulk load).
    [[nodiscard]] bool rebuildDailyRollup(QString *error);

    /// Refreshes the planner's statistics and shrinks the WAL after a bulk load.
    void analyze();

    static constexpr int SchemaVersion = 1;

private:
    [[nodiscard]] bool exec(const QString &sql, QString *error);
    [[nodiscard]] bool createSchema(QString *error);
    [[nodiscard]] bool ensureProject(QString *error);
    [[nodiscard]] bool addIngestionColumns(QString *error);

    QString m_connectionName;
    QSqlDatabase m_db;
    mutable TraceColumns m_columns;
    std::optional<QSqlQuery> m_traceRow; ///< traceChanged()'s statement, prepared once
};

} // namespace xeroml::server
