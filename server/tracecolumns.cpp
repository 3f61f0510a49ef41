// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/tracecolumns.h"

#include "server/logging.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <numeric>

namespace xeroml::server {

namespace {

constexpr qint32 kFree = -2;
constexpr int kMaxEnvironments = 64;

qint64 dataVersion(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (query.exec(QStringLiteral("PRAGMA data_version")) && query.next())
        return query.value(0).toLongLong();
    return -1;
}

} // namespace

void TraceColumns::clear()
{
    *this = TraceColumns();
}

bool TraceColumns::load(const QSqlDatabase &db, QString *error)
{
    QElapsedTimer timer;
    timer.start();
    clear();
    m_dataVersion = dataVersion(db);
    // Both statements read covering indexes only (traces_user, traces_no_user); rows come
    // grouped by user and in time order, so that scans accumulate one user at a time.
    const char *const statements[] = {
        "SELECT rowid, user_id, ts, environment, session_id, observation_count, input_tokens,"
        " output_tokens, total_tokens, total_cost_nanos, score_sum, score_count FROM traces"
        " WHERE user_id IS NOT NULL ORDER BY user_id, ts",
        "SELECT rowid, NULL, ts, environment, session_id, observation_count, input_tokens,"
        " output_tokens, total_tokens, total_cost_nanos, 0, 0 FROM traces WHERE user_id IS NULL"};
    for (const char *statement : statements) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(QLatin1String(statement))) {
            *error = query.lastError().text();
            clear();
            return false;
        }
        Row row;
        while (query.next()) {
            row.userId = query.value(1).toString();
            row.ts = query.value(2).toLongLong();
            row.environment = query.value(3).toString();
            row.sessionId = query.value(4).toString();
            row.observationCount = query.value(5).toLongLong();
            row.inputTokens = query.value(6).toLongLong();
            row.outputTokens = query.value(7).toLongLong();
            row.totalTokens = query.value(8).toLongLong();
            row.costNanos = query.value(9).toLongLong();
            row.scoreSum = query.value(10).toDouble();
            row.scoreCount = query.value(11).toLongLong();
            upsert(query.value(0).toLongLong(), row);
            if (m_environments.size() > kMaxEnvironments) {
                // Beyond what a bit mask holds: callers fall back to SQL.
                clear();
                qCInfo(lcServer) << "more than" << kMaxEnvironments
                                 << "environments: per-user aggregates come from SQL";
                return true;
            }
        }
        if (query.lastError().isValid()) {
            *error = query.lastError().text();
            clear();
            return false;
        }
    }
    m_loaded = true;
    qCInfo(lcServer).nospace() << "trace columns: " << rowCount() << " traces, " << m_userIds.size()
                               << " users loaded in " << timer.elapsed() << " ms";
    return true;
}

bool TraceColumns::refreshIfStale(const QSqlDatabase &db, QString *error)
{
    if (m_loaded && dataVersion(db) == m_dataVersion)
        return true;
    return load(db, error);
}

int TraceColumns::userIndex(const QString &userId)
{
    const auto it = m_userIndex.constFind(userId);
    if (it != m_userIndex.constEnd())
        return it.value();
    const int index = static_cast<int>(m_userIds.size());
    m_userIds.push_back(userId);
    m_userLower.push_back(userId.toLower());
    m_userRows.emplace_back();
    m_userIndex.insert(userId, index);
    m_rankDirty = true;
    return index;
}

int TraceColumns::environmentIndex(const QString &environment)
{
    const qsizetype index = m_environments.indexOf(environment);
    if (index >= 0)
        return static_cast<int>(index);
    m_environments.append(environment);
    return static_cast<int>(m_environments.size() - 1);
}

int TraceColumns::pairIndex(int user, const QString &sessionId)
{
    auto session = m_sessionIndex.constFind(sessionId);
    if (session == m_sessionIndex.constEnd())
        session = m_sessionIndex.insert(sessionId, static_cast<int>(m_sessionIndex.size()));
    const quint64 key = (static_cast<quint64>(static_cast<quint32>(user)) << 32) |
                        static_cast<quint32>(session.value());
    const auto it = m_pairIndex.constFind(key);
    if (it != m_pairIndex.constEnd())
        return it.value();
    const int index = static_cast<int>(m_pairIndex.size());
    m_pairIndex.insert(key, index);
    return index;
}

void TraceColumns::set(size_t p, const Row &row)
{
    m_lastSelection.reset();
    const int user = row.userId.isEmpty() ? -1 : userIndex(row.userId);
    m_user[p] = user;
    m_ts[p] = row.ts;
    m_env[p] = static_cast<quint8>(environmentIndex(row.environment));
    m_pair[p] = row.sessionId.isEmpty() ? -1 : pairIndex(user, row.sessionId);
    m_observations[p] = static_cast<qint32>(row.observationCount);
    m_input[p] = row.inputTokens;
    m_output[p] = row.outputTokens;
    m_total[p] = row.totalTokens;
    m_cost[p] = row.costNanos;
    m_scoreSum[p] = row.scoreSum;
    m_scoreCount[p] = static_cast<qint32>(row.scoreCount);
    if (user >= 0)
        m_userRows[static_cast<size_t>(user)].push_back(static_cast<int>(p));
}

void TraceColumns::remove(qint64 rowid)
{
    m_lastSelection.reset();
    const auto it = m_positionOfRowid.constFind(rowid);
    if (it == m_positionOfRowid.constEnd())
        return;
    const size_t p = static_cast<size_t>(it.value());
    const int user = m_user[p];
    if (user >= 0) {
        auto &rows = m_userRows[static_cast<size_t>(user)];
        rows.erase(std::remove(rows.begin(), rows.end(), static_cast<int>(p)), rows.end());
    }
    m_user[p] = kFree;
    ++m_free;
    m_positionOfRowid.erase(it);
}

void TraceColumns::upsert(qint64 rowid, const Row &row)
{
    remove(rowid);
    const size_t p = m_ts.size();
    for (auto *column : {&m_ts, &m_input, &m_output, &m_total, &m_cost})
        column->push_back(0);
    for (auto *column : {&m_user, &m_pair, &m_observations, &m_scoreCount})
        column->push_back(0);
    m_env.push_back(0);
    m_scoreSum.push_back(0);
    set(p, row);
    m_positionOfRowid.insert(rowid, static_cast<int>(p));
    if (m_pairStamp.size() < static_cast<size_t>(m_pairIndex.size()))
        m_pairStamp.resize(static_cast<size_t>(m_pairIndex.size()) * 2, 0);
}

int TraceColumns::userRank(int index) const
{
    if (m_rankDirty) {
        std::vector<QByteArray> utf8(m_userIds.size());
        for (size_t i = 0; i < utf8.size(); ++i)
            utf8[i] = m_userIds[i].toUtf8();
        std::vector<int> order(m_userIds.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&utf8](int a, int b) {
            return utf8[static_cast<size_t>(a)] < utf8[static_cast<size_t>(b)];
        });
        m_userRank.assign(order.size(), 0);
        for (size_t r = 0; r < order.size(); ++r)
            m_userRank[static_cast<size_t>(order[r])] = static_cast<int>(r);
        m_rankDirty = false;
    }
    return m_userRank[static_cast<size_t>(index)];
}

QStringList TraceColumns::environmentNames(quint64 mask) const
{
    QStringList names;
    for (qsizetype i = 0; i < m_environments.size(); ++i) {
        if (mask & (quint64(1) << i))
            names.append(m_environments[i]);
    }
    names.sort();
    return names;
}

void TraceColumns::scan(const Filter &filter, std::vector<Totals> *users, Totals *noUser) const
{
    users->assign(m_userIds.size(), Totals());
    if (noUser)
        *noUser = Totals();
    quint64 allowed = ~quint64(0);
    if (!filter.environments.isEmpty()) {
        allowed = 0;
        for (const QString &name : filter.environments) {
            const qsizetype index = m_environments.indexOf(name);
            if (index >= 0)
                allowed |= quint64(1) << index;
        }
        if (allowed == 0)
            return;
    }
    const qint64 from = filter.fromMs.value_or(std::numeric_limits<qint64>::min());
    const qint64 to = filter.toMs.value_or(std::numeric_limits<qint64>::max());
    if (++m_epoch == 0) {
        std::fill(m_pairStamp.begin(), m_pairStamp.end(), 0);
        m_epoch = 1;
    }
    const quint32 epoch = m_epoch;
    const auto add = [&](size_t p) {
        const qint32 user = m_user[p];
        if (user == kFree)
            return;
        const qint64 ts = m_ts[p];
        if (ts < from || ts >= to || !(allowed & (quint64(1) << m_env[p])))
            return;
        if (filter.onlyWithObservations && m_observations[p] == 0)
            return;
        Totals *t = nullptr;
        if (user >= 0)
            t = &(*users)[static_cast<size_t>(user)];
        else if (filter.withoutUser && noUser)
            t = noUser;
        else
            return;
        if (t->traces == 0) {
            t->firstMs = ts;
            t->lastMs = ts;
        } else {
            t->firstMs = std::min(t->firstMs, ts);
            t->lastMs = std::max(t->lastMs, ts);
        }
        ++t->traces;
        const qint32 pair = m_pair[p];
        if (pair >= 0 && m_pairStamp[static_cast<size_t>(pair)] != epoch) {
            m_pairStamp[static_cast<size_t>(pair)] = epoch;
            ++t->sessions;
        }
        t->observations += m_observations[p];
        t->inputTokens += m_input[p];
        t->outputTokens += m_output[p];
        t->totalTokens += m_total[p];
        t->costNanos += m_cost[p];
        t->scoreSum += m_scoreSum[p];
        t->scoreCount += m_scoreCount[p];
        t->environments |= quint64(1) << m_env[p];
    };

    const bool narrowed = !filter.userId.isEmpty() || !filter.search.isEmpty();
    if (!narrowed) {
        for (size_t p = 0; p < m_ts.size(); ++p)
            add(p);
        return;
    }
    if (!filter.userId.isEmpty()) {
        const auto it = m_userIndex.constFind(filter.userId);
        if (it != m_userIndex.constEnd()) {
            for (const int p : m_userRows[static_cast<size_t>(it.value())])
                add(static_cast<size_t>(p));
        }
        return;
    }
    // Only the matching users' rows: through their row lists when few match, else one
    // sequential pass that skips the others.
    const QString needle = filter.search.toLower();
    std::vector<bool> matches(m_userIds.size(), false);
    qint64 matchedRows = 0;
    for (size_t u = 0; u < m_userIds.size(); ++u) {
        if (m_userLower[u].contains(needle)) {
            matches[u] = true;
            matchedRows += static_cast<qint64>(m_userRows[u].size());
        }
    }
    if (matchedRows * 8 < static_cast<qint64>(m_ts.size())) {
        for (size_t u = 0; u < m_userIds.size(); ++u) {
            if (matches[u]) {
                for (const int p : m_userRows[u])
                    add(static_cast<size_t>(p));
            }
        }
    } else {
        for (size_t p = 0; p < m_ts.size(); ++p) {
            const qint32 user = m_user[p];
            if (user >= 0 && matches[static_cast<size_t>(user)])
                add(p);
        }
    }
}

bool TraceColumns::sameQuery(const Selection &selection, const UsersRequest &request) const
{
    const Filter &f = selection.filter;
    return f.fromMs == request.fromMs && f.toMs == request.toMs &&
           f.environments == request.environments && f.search == request.search &&
           f.userId == request.userId && selection.field == request.orderField &&
           selection.descending == request.descending;
}

UsersPage TraceColumns::users(const UsersRequest &request) const
{
    if (!request.userId.isEmpty() && !m_userIndex.contains(request.userId))
        return {};
    if (!m_lastSelection || !sameQuery(*m_lastSelection, request)) {
        Selection selection;
        selection.filter.fromMs = request.fromMs;
        selection.filter.toMs = request.toMs;
        selection.filter.environments = request.environments;
        selection.filter.search = request.search;
        selection.filter.userId = request.userId;
        selection.field = request.orderField;
        selection.descending = request.descending;
        scan(selection.filter, &selection.totals, nullptr);
        selection.users.reserve(selection.totals.size());
        for (size_t u = 0; u < selection.totals.size(); ++u) {
            if (selection.totals[u].traces > 0)
                selection.users.push_back(static_cast<int>(u));
        }
        m_lastSelection = std::move(selection);
    }
    Selection &selection = *m_lastSelection;
    const std::vector<Totals> &totals = selection.totals;
    std::vector<int> &selected = selection.users;

    UsersPage page;
    page.totalItems = static_cast<qint64>(selected.size());
    const size_t offset =
        static_cast<size_t>(request.page - 1) * static_cast<size_t>(request.limit);
    if (offset >= selected.size())
        return page;
    const size_t end = std::min(selected.size(), offset + static_cast<size_t>(request.limit));

    // The key each orderBy field sorts on; ties by user id ascending (byte-wise UTF-8).
    const bool desc = request.descending;
    const UserOrderField field = request.orderField;
    const auto number = [&totals, field](int u) -> qint64 {
        const Totals &t = totals[static_cast<size_t>(u)];
        switch (field) {
        case UserOrderField::TotalTraces:
            return t.traces;
        case UserOrderField::TotalSessions:
            return t.sessions;
        case UserOrderField::TotalObservations:
            return t.observations;
        case UserOrderField::InputTokens:
            return t.inputTokens;
        case UserOrderField::OutputTokens:
            return t.outputTokens;
        case UserOrderField::TotalTokens:
            return t.totalTokens;
        case UserOrderField::TotalCost:
            return t.costNanos;
        case UserOrderField::AverageScore:
            // Rounded like the SQL version, so that summation noise cannot reorder users.
            return t.scoreCount > 0 ? qRound64(t.scoreSum / static_cast<double>(t.scoreCount) * 1e9)
                                    : 0;
        case UserOrderField::FirstTraceAt:
            return t.firstMs;
        case UserOrderField::LastTraceAt:
            return t.lastMs;
        case UserOrderField::UserId:
            return 0;
        }
        return 0;
    };
    (void)userRank(0);
    const auto less = [&](int a, int b) {
        const int ra = m_userRank[static_cast<size_t>(a)];
        const int rb = m_userRank[static_cast<size_t>(b)];
        if (field == UserOrderField::UserId)
            return desc ? ra > rb : ra < rb;
        if (field == UserOrderField::AverageScore) {
            const bool na = totals[static_cast<size_t>(a)].scoreCount == 0;
            const bool nb = totals[static_cast<size_t>(b)].scoreCount == 0;
            if (na != nb)
                return nb; // users without scores last in both directions
        }
        const qint64 ka = number(a);
        const qint64 kb = number(b);
        if (ka != kb)
            return desc ? ka > kb : ka < kb;
        return ra < rb;
    };
    if (!selection.sorted) {
        if (offset == 0) {
            // The first page alone: sort just its rows, and leave the rest for a next page.
            // partial_sort only permutes the selection, so the set stays valid for later.
            std::partial_sort(selected.begin(), selected.begin() + static_cast<qsizetype>(end),
                              selected.end(), less);
        } else {
            // A page past the first: sort the whole selection once; further pages are slices.
            std::sort(selected.begin(), selected.end(), less);
            selection.sorted = true;
        }
    }

    for (size_t i = offset; i < end; ++i) {
        const int u = selected[i];
        const Totals &t = totals[static_cast<size_t>(u)];
        QJsonObject user;
        user.insert(QLatin1String("userId"), m_userIds[static_cast<size_t>(u)]);
        user.insert(QLatin1String("totalTraces"), t.traces);
        user.insert(QLatin1String("totalSessions"), t.sessions);
        user.insert(QLatin1String("totalObservations"), t.observations);
        user.insert(QLatin1String("inputTokens"), t.inputTokens);
        user.insert(QLatin1String("outputTokens"), t.outputTokens);
        user.insert(QLatin1String("totalTokens"), t.totalTokens);
        user.insert(QLatin1String("totalCost"), static_cast<double>(t.costNanos) / 1e9);
        user.insert(QLatin1String("averageScore"),
                    t.scoreCount > 0 ? QJsonValue(t.scoreSum / static_cast<double>(t.scoreCount))
                                     : QJsonValue(QJsonValue::Null));
        user.insert(QLatin1String("scoreCount"), t.scoreCount);
        user.insert(QLatin1String("firstTraceAt"), UsersRequest::formatTimestamp(t.firstMs));
        user.insert(QLatin1String("lastTraceAt"), UsersRequest::formatTimestamp(t.lastMs));
        user.insert(QLatin1String("environments"),
                    QJsonArray::fromStringList(environmentNames(t.environments)));
        page.data.append(user);
    }
    return page;
}

} // namespace xeroml::server
