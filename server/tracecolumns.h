// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/usersrequest.h"

#include <QHash>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>
#include <vector>

namespace xeroml::server {

/// An in-memory column copy of the per-trace aggregates (user, time, environment, session,
/// observation count, tokens, cost, numeric score sum/count): ~60 bytes per trace, so that
/// per-user figures over any window, environment set and search are one linear scan in C++
/// instead of a GROUP BY over the SQLite file (measured ×30 faster on 1M traces).
///
/// Kept exactly equal to the traces table: load() reads it whole; writers in this process
/// call Store::traceChanged(rowid) for each trace row they insert or update; commits by any
/// other connection change SQLite's data_version, which makes the next query reload.
class TraceColumns
{
public:
    /// One trace row's aggregate columns.
    struct Row
    {
        QString userId; ///< empty = no user
        qint64 ts = 0;
        QString environment;
        QString sessionId; ///< empty = no session
        qint64 observationCount = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 totalTokens = 0;
        qint64 costNanos = 0;
        double scoreSum = 0;
        qint64 scoreCount = 0;
    };

    /// Per-user sums over the rows a query selects.
    struct Totals
    {
        qint64 traces = 0;
        qint64 sessions = 0;
        qint64 observations = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 totalTokens = 0;
        qint64 costNanos = 0;
        double scoreSum = 0;
        qint64 scoreCount = 0;
        qint64 firstMs = 0;
        qint64 lastMs = 0;
        quint64 environments = 0; ///< bit i = environmentName(i)
    };

    /// What a scan selects.
    struct Filter
    {
        std::optional<qint64> fromMs;
        std::optional<qint64> toMs;
        QStringList environments; ///< empty = all
        QString search;           ///< case-insensitive substring of the user id
        QString userId;           ///< exact; empty = all
        bool withoutUser = false; ///< also sum traces without a user (index -1)
        bool onlyWithObservations = false;
    };

    [[nodiscard]] bool load(const QSqlDatabase &db, QString *error);
    [[nodiscard]] bool isLoaded() const { return m_loaded; }
    /// Reloads when another connection has committed since the last load.
    [[nodiscard]] bool refreshIfStale(const QSqlDatabase &db, QString *error);
    /// Adds or replaces the row with this rowid.
    void upsert(qint64 rowid, const Row &row);
    void remove(qint64 rowid);

    /// Per-user totals; users index into userId(); the entry for traces without a user is
    /// *noUser when filter.withoutUser. Users with no selected trace have traces == 0.
    void scan(const Filter &filter, std::vector<Totals> *users, Totals *noUser) const;

    /// A /users page (same semantics as Store's SQL version).
    [[nodiscard]] UsersPage users(const UsersRequest &request) const;

    [[nodiscard]] int userCount() const { return static_cast<int>(m_userIds.size()); }
    [[nodiscard]] const QString &userId(int index) const
    {
        return m_userIds[static_cast<size_t>(index)];
    }
    /// Position of user `index` in byte-wise UTF-8 order (SQLite's BINARY collation).
    [[nodiscard]] int userRank(int index) const;
    [[nodiscard]] QStringList environmentNames(quint64 mask) const;
    [[nodiscard]] qint64 rowCount() const { return static_cast<qint64>(m_ts.size()) - m_free; }

private:
    int userIndex(const QString &userId);
    int environmentIndex(const QString &environment);
    int pairIndex(int user, const QString &sessionId);
    void set(size_t position, const Row &row);
    void clear();

    /// The users a /users query selects, with their totals, in that query's order once a page
    /// past the first asked for it. Kept for the last query only: paging through all users
    /// (infinite scroll, export) then costs one scan and one sort instead of one per page.
    /// Any write drops it.
    struct Selection
    {
        Filter filter;
        UserOrderField field = UserOrderField::UserId;
        bool descending = false;
        std::vector<Totals> totals;
        std::vector<int> users; ///< indexes of users with a selected trace
        bool sorted = false;    ///< users is in the query's order
    };
    [[nodiscard]] bool sameQuery(const Selection &selection, const UsersRequest &request) const;

    bool m_loaded = false;
    qint64 m_dataVersion = -1;
    qint64 m_free = 0;

    // Users (index ↔ id), their lower-case ids for search, and their trace positions.
    std::vector<QString> m_userIds;
    std::vector<QString> m_userLower;
    QHash<QString, int> m_userIndex;
    std::vector<std::vector<int>> m_userRows;
    mutable std::vector<int> m_userRank;
    mutable bool m_rankDirty = true;

    QStringList m_environments; // at most 64
    QHash<QString, int> m_sessionIndex;
    QHash<quint64, int> m_pairIndex; // (user, session) → dense id, for distinct counting
    mutable std::vector<quint32> m_pairStamp;
    mutable quint32 m_epoch = 0;

    // The columns, one entry per trace row (position); user -2 marks a free slot.
    std::vector<qint32> m_user;
    std::vector<qint64> m_ts;
    std::vector<quint8> m_env;
    std::vector<qint32> m_pair;
    std::vector<qint32> m_observations;
    std::vector<qint64> m_input;
    std::vector<qint64> m_output;
    std::vector<qint64> m_total;
    std::vector<qint64> m_cost;
    std::vector<double> m_scoreSum;
    std::vector<qint32> m_scoreCount;
    QHash<qint64, int> m_positionOfRowid;

    mutable std::optional<Selection> m_lastSelection;
};

} // namespace xeroml::server
