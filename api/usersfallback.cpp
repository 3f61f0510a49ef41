// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/usersfallback.h"

#include "api/apicall_p.h"
#include "api/apiclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace {

const QString kUserId = QStringLiteral("userId");

qint64 count(const std::optional<double> &v)
{
    return v ? std::llround(*v) : 0;
}

std::optional<double> sortValue(const UserSummary &u, const QString &field)
{
    if (field == QLatin1String("totalTraces"))
        return double(u.totalTraces);
    if (field == QLatin1String("totalObservations"))
        return double(u.totalObservations);
    if (field == QLatin1String("inputTokens"))
        return double(u.inputTokens);
    if (field == QLatin1String("outputTokens"))
        return double(u.outputTokens);
    if (field == QLatin1String("totalTokens"))
        return double(u.totalTokens);
    if (field == QLatin1String("totalCost"))
        return u.totalCost;
    if (field == QLatin1String("averageScore"))
        return u.averageScore;
    return std::nullopt;
}

} // namespace

namespace usersfallback {

FallbackRanking ranking(const QString &orderField)
{
    const QString traces = QStringLiteral("traces");
    if (orderField == QLatin1String("userId"))
        return {traces, QString(), orderField};
    if (orderField == QLatin1String("totalObservations"))
        return {traces, QStringLiteral("sum_observationsCount"), orderField};
    if (orderField == QLatin1String("totalTokens"))
        return {traces, QStringLiteral("sum_totalTokens"), orderField};
    if (orderField == QLatin1String("totalCost"))
        return {traces, QStringLiteral("sum_totalCost"), orderField};
    if (orderField == QLatin1String("inputTokens"))
        return {QStringLiteral("observations"), QStringLiteral("sum_inputTokens"), orderField};
    if (orderField == QLatin1String("outputTokens"))
        return {QStringLiteral("observations"), QStringLiteral("sum_outputTokens"), orderField};
    if (orderField == QLatin1String("averageScore"))
        return {QStringLiteral("scores-numeric"), QStringLiteral("avg_value"), orderField};
    // totalTraces, and the fields the Metrics API cannot rank (sessions, first/last trace).
    return {traces, QStringLiteral("count_count"), QStringLiteral("totalTraces")};
}

int rankingView(const QString &orderField)
{
    const QString view = ranking(orderField).view;
    if (view == QLatin1String("observations"))
        return 1;
    if (view == QLatin1String("scores-numeric"))
        return 2;
    return 0;
}

QList<MetricsQuery> queries(const UsersQuery &query)
{
    const FallbackRanking rank = ranking(query.orderField);
    auto base = [&query](const QString &view) {
        MetricsQuery q;
        q.view = view;
        q.dimensions = {kUserId};
        q.filterEnvironments(query.environments);
        if (!query.search.isEmpty())
            q.filters.append(
                {kUserId, QStringLiteral("contains"), query.search, QStringLiteral("string")});
        // Langfuse requires both ends; an open range is the whole history up to now.
        q.from = query.from.isValid() ? query.from : QDateTime::fromMSecsSinceEpoch(0, Qt::UTC);
        q.to = query.to.isValid() ? query.to : QDateTime::currentDateTimeUtc().addDays(1);
        q.rowLimit = kRowLimit;
        return q;
    };
    MetricsQuery traces = base(QStringLiteral("traces"));
    traces.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    traces.addMetric(QStringLiteral("totalTokens"), QStringLiteral("sum"));
    traces.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    traces.addMetric(QStringLiteral("observationsCount"), QStringLiteral("sum"));
    MetricsQuery observations = base(QStringLiteral("observations"));
    observations.addMetric(QStringLiteral("inputTokens"), QStringLiteral("sum"));
    observations.addMetric(QStringLiteral("outputTokens"), QStringLiteral("sum"));
    MetricsQuery scores = base(QStringLiteral("scores-numeric"));
    scores.addMetric(QStringLiteral("value"), QStringLiteral("avg"));
    scores.addMetric(QStringLiteral("count"), QStringLiteral("count"));

    QList<MetricsQuery> all{traces, observations, scores};
    for (MetricsQuery &q : all) {
        // Each view keeps its own top rows; the ranking view orders by the chosen measure.
        if (q.view == rank.view && rank.metricKey.isEmpty())
            q.orderBy = {{kUserId, query.descending}};
        else if (q.view == rank.view)
            q.orderBy = {{rank.metricKey, query.descending}, {kUserId, false}};
        else
            q.orderBy = {{q.metrics.first().key(), true}, {kUserId, false}};
    }
    return all;
}

MetricsQuery restrictedTo(const MetricsQuery &query, const QStringList &userIds)
{
    MetricsQuery q = query;
    q.filters.append({kUserId, QStringLiteral("any of"), QJsonArray::fromStringList(userIds),
                      QStringLiteral("stringOptions")});
    return q;
}

QStringList unavailableFields()
{
    return {QStringLiteral("totalSessions"), QStringLiteral("firstTraceAt"),
            QStringLiteral("lastTraceAt"), QStringLiteral("environments")};
}

QList<UserSummary> merge(const UsersQuery &query, const QList<QList<MetricsRow>> &views,
                         bool rankingComplete)
{
    const FallbackRanking rank = ranking(query.orderField);
    QHash<QString, qsizetype> index;
    QList<UserSummary> users;
    auto at = [&](const MetricsRow &row) -> UserSummary & {
        const QString id = row.dimension(kUserId);
        auto it = index.constFind(id);
        if (it != index.constEnd())
            return users[*it];
        index.insert(id, users.size());
        users.append(UserSummary{});
        users.last().userId = id;
        return users.last();
    };
    for (qsizetype v = 0; v < views.size() && v < 3; ++v) {
        for (const MetricsRow &row : views.at(v)) {
            // Traces without a user id are not a user.
            if (row.dimension(kUserId).isEmpty())
                continue;
            UserSummary &u = at(row);
            if (v == 0) {
                u.totalTraces = count(row.metric(QStringLiteral("count_count")));
                u.totalTokens = count(row.metric(QStringLiteral("sum_totalTokens")));
                u.totalCost = row.metric(QStringLiteral("sum_totalCost")).value_or(0.0);
                u.totalObservations = count(row.metric(QStringLiteral("sum_observationsCount")));
            } else if (v == 1) {
                u.inputTokens = count(row.metric(QStringLiteral("sum_inputTokens")));
                u.outputTokens = count(row.metric(QStringLiteral("sum_outputTokens")));
            } else {
                u.averageScore = row.metric(QStringLiteral("avg_value"));
                u.scoreCount = count(row.metric(QStringLiteral("count_count")));
            }
        }
    }
    if (!rankingComplete) {
        // Users beyond the ranking view's row limit cannot be placed: leave them out rather
        // than rank them on a value the server did not send.
        QSet<QString> ranked;
        const int r = rankingView(query.orderField);
        for (const MetricsRow &row : views.value(r))
            ranked.insert(row.dimension(kUserId));
        users.removeIf([&ranked](const UserSummary &u) { return !ranked.contains(u.userId); });
    }
    const bool byUserId = rank.metricKey.isEmpty();
    const bool desc = query.descending;
    const QString field = rank.field;
    std::stable_sort(users.begin(), users.end(),
                     [byUserId, desc, &field](const UserSummary &a, const UserSummary &b) {
                         if (!byUserId) {
                             const auto va = sortValue(a, field);
                             const auto vb = sortValue(b, field);
                             if (va.has_value() != vb.has_value())
                                 return va.has_value(); // no value sorts last either way
                             if (va && *va != *vb)
                                 return desc ? *va > *vb : *va < *vb;
                             return a.userId < b.userId;
                         }
                         return desc ? a.userId > b.userId : a.userId < b.userId;
                     });
    if (users.size() > kRowLimit)
        users.resize(kRowLimit);
    return users;
}

} // namespace usersfallback

/// The cached merged list of the last fallback query, so paging through it does not ask
/// the server three times per page.
struct UsersFallbackCache
{
    UsersQuery key;
    QList<UserSummary> rows;
    QElapsedTimer age;
};

namespace {

// One fallback run: three view queries, then (for views that hit the row limit) queries
// restricted to the ranked users those views left out.
struct FallbackJob
{
    ApiClient *client = nullptr;
    QPointer<ApiCall> group;
    UsersQuery query;
    QList<MetricsQuery> queries;
    QList<QList<MetricsRow>> rows{{}, {}, {}};
    int pending = 0;
    bool failed = false;
    bool rankingComplete = true;
    std::function<void(const ApiResult<QList<UserSummary>> &)> done;
};

constexpr int kChunk = 100;

void runQuery(const std::shared_ptr<FallbackJob> &job, int view, const MetricsQuery &q,
              const std::function<void()> &next)
{
    if (!job->group)
        return;
    ++job->pending;
    job->group->adopt(job->client->metrics(
        q, job->group, [job, view, next](const ApiResult<QList<MetricsRow>> &result) {
            --job->pending;
            if (job->failed)
                return;
            if (!result.ok()) {
                job->failed = true;
                return job->done(result.error());
            }
            job->rows[view].append(result.value());
            if (job->pending == 0)
                next();
        }));
}

} // namespace

RequestHandle
ApiClient::usersFallback(const UsersQuery &query, QObject *context,
                         std::function<void(const ApiResult<Page<UserSummary>> &)> done)
{
    UsersQuery key = query;
    key.page = 1;
    key.limit = 0;
    auto *group = new ApiCall(this, context);
    QPointer<ApiCall> guard(group);
    const FallbackRanking rank = usersfallback::ranking(query.orderField);
    auto finishPage = [guard, query, rank,
                       done = std::move(done)](const ApiResult<QList<UserSummary>> &all) {
        if (!guard || !guard->finish())
            return;
        if (!all.ok())
            return done(all.error());
        Page<UserSummary> page;
        const qsizetype limit = std::max(1, query.limit);
        const qsizetype first = qsizetype(std::max(0, query.page - 1)) * limit;
        page.items = all.value().mid(first, limit);
        page.meta.page = query.page;
        page.meta.limit = int(limit);
        page.meta.totalItems = all.value().size();
        page.meta.totalPages = int((all.value().size() + limit - 1) / limit);
        page.meta.capped = true;
        page.meta.orderedBy = rank.field;
        page.meta.unavailableFields = usersfallback::unavailableFields();
        done(page);
    };

    if (m_fallbackCache && m_fallbackCache->key == key && m_fallbackCache->age.elapsed() < 60000) {
        // Answer from the cache, but never synchronously: callers expect a callback later.
        QList<UserSummary> rows = m_fallbackCache->rows;
        QTimer::singleShot(0, group, [finishPage, rows] { finishPage(rows); });
        return RequestHandle(group);
    }

    auto job = std::make_shared<FallbackJob>();
    job->client = this;
    job->group = group;
    job->query = query;
    job->queries = usersfallback::queries(query);
    QPointer<ApiClient> self(this);
    job->done = [self, key, finishPage](const ApiResult<QList<UserSummary>> &result) {
        if (result.ok() && self) {
            self->m_fallbackCache = std::make_shared<UsersFallbackCache>();
            self->m_fallbackCache->key = key;
            self->m_fallbackCache->rows = result.value();
            self->m_fallbackCache->age.start();
        }
        finishPage(result);
    };

    auto complete = [job] {
        job->done(usersfallback::merge(job->query, job->rows, job->rankingComplete));
    };
    // Phase 2: views that returned a full page may have left out ranked users.
    auto fillGaps = [job, complete] {
        job->rankingComplete = job->rows[usersfallback::rankingView(job->query.orderField)].size() <
                               usersfallback::kRowLimit;
        const QList<UserSummary> ranked =
            usersfallback::merge(job->query, job->rows, job->rankingComplete);
        bool asked = false;
        for (int view = 0; view < 3; ++view) {
            if (job->rows[view].size() < usersfallback::kRowLimit)
                continue;
            QSet<QString> seen;
            for (const MetricsRow &row : std::as_const(job->rows[view]))
                seen.insert(row.dimension(QStringLiteral("userId")));
            QStringList missing;
            for (const UserSummary &u : ranked) {
                if (!seen.contains(u.userId))
                    missing.append(u.userId);
            }
            for (qsizetype i = 0; i < missing.size(); i += kChunk) {
                asked = true;
                runQuery(job, view,
                         usersfallback::restrictedTo(job->queries[view], missing.mid(i, kChunk)),
                         complete);
            }
        }
        if (!asked)
            complete();
    };
    for (int view = 0; view < 3; ++view)
        runQuery(job, view, job->queries[view], fillGaps);
    return RequestHandle(group);
}
