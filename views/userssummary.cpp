// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userssummary.h"

#include "models/format.h"

#include <cmath>

namespace {

enum Query { Traces, Observations, Scores, QueryCount };

// Rows of traces that belong to a user matching the page's search. `contains` with an
// empty text keeps every trace that has a user id, like the users list.
void filterUsers(MetricsQuery &q, const UsersQuery &filter)
{
    q.filters.append({QStringLiteral("userId"), QStringLiteral("contains"),
                      QJsonValue(filter.search), QStringLiteral("string")});
    q.filterEnvironments(filter.environments);
    q.from = filter.from;
    q.to = filter.to;
}

qint64 whole(const std::optional<double> &value)
{
    return value ? qint64(std::llround(*value)) : 0;
}

} // namespace

UsersSummary::UsersSummary(QObject *parent)
    : QObject(parent)
{}

QList<MetricsQuery> UsersSummary::queries(const UsersQuery &filter)
{
    MetricsQuery traces;
    traces.view = QStringLiteral("traces");
    traces.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    traces.addMetric(QStringLiteral("totalTokens"), QStringLiteral("sum"));
    traces.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    filterUsers(traces, filter);

    MetricsQuery observations;
    observations.view = QStringLiteral("observations");
    observations.addMetric(QStringLiteral("inputTokens"), QStringLiteral("sum"));
    observations.addMetric(QStringLiteral("outputTokens"), QStringLiteral("sum"));
    filterUsers(observations, filter);

    MetricsQuery scores;
    scores.view = QStringLiteral("scores-numeric");
    scores.addMetric(QStringLiteral("value"), QStringLiteral("avg"));
    scores.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    filterUsers(scores, filter);
    return {traces, observations, scores};
}

void UsersSummary::cancel()
{
    for (RequestHandle &r : m_requests)
        r.cancel();
    m_requests.clear();
    m_pending = 0;
}

void UsersSummary::load(ApiClient *client, const UsersQuery &filter)
{
    cancel();
    m_rows = QList<std::optional<MetricsRow>>(QueryCount);
    m_error.clear();
    if (!client) {
        Q_EMIT changed();
        return;
    }
    const QList<MetricsQuery> all = queries(filter);
    m_pending = int(all.size());
    for (int i = 0; i < all.size(); ++i) {
        m_requests.append(
            client->metrics(all.at(i), this, [this, i](const ApiResult<QList<MetricsRow>> &result) {
                answered(i, result);
            }));
    }
    Q_EMIT changed();
}

void UsersSummary::answered(int index, const ApiResult<QList<MetricsRow>> &result)
{
    --m_pending;
    if (!result.ok())
        m_error = tr("Totals unavailable: %1").arg(result.error().message);
    else if (!result.value().isEmpty())
        m_rows[index] = result.value().constFirst();
    else
        m_rows[index] = MetricsRow{}; // no rows: nothing matched, every total is 0
    if (m_pending > 0) {
        return;
    }
    m_requests.clear();
    if (!m_error.isEmpty()) {
        m_figures.clear();
        Q_EMIT changed();
        return;
    }
    const MetricsRow &t = *m_rows.at(Traces);
    const MetricsRow &o = *m_rows.at(Observations);
    const MetricsRow &s = *m_rows.at(Scores);
    const qint64 scoreCount = whole(s.metric(QStringLiteral("count_count")));
    const std::optional<double> average =
        scoreCount > 0 ? s.metric(QStringLiteral("avg_value")) : std::nullopt;
    const qint64 input = whole(o.metric(QStringLiteral("sum_inputTokens")));
    const qint64 output = whole(o.metric(QStringLiteral("sum_outputTokens")));
    m_figures = {
        {QStringLiteral("inputOutput"),
         QStringLiteral("%1 / %2").arg(Format::compactCount(input), Format::compactCount(output))},
        {QStringLiteral("traces"), Format::count(whole(t.metric(QStringLiteral("count_count"))))},
        {QStringLiteral("totalTokens"),
         Format::count(whole(t.metric(QStringLiteral("sum_totalTokens"))))},
        {QStringLiteral("cost"),
         Format::cost(t.metric(QStringLiteral("sum_totalCost")).value_or(0))},
        {QStringLiteral("inputTokens"), Format::count(input)},
        {QStringLiteral("outputTokens"), Format::count(output)},
        {QStringLiteral("averageScore"), Format::score(average)},
        {QStringLiteral("scoreCount"), Format::count(scoreCount)},
    };
    Q_EMIT changed();
}

void UsersSummary::loadEnvironments(ApiClient *client)
{
    m_environmentRequest.cancel();
    if (!client)
        return;
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.dimensions = {QStringLiteral("environment")};
    const QString count = q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    q.orderBy = {{count, true}};
    q.rowLimit = 100;
    m_environmentRequest =
        client->metrics(q, this, [this](const ApiResult<QList<MetricsRow>> &result) {
            if (!result.ok())
                return; // the filter then offers "All environments" only
            QStringList names;
            for (const MetricsRow &row : result.value()) {
                const QString name = row.dimension(QStringLiteral("environment"));
                if (!name.isEmpty())
                    names.append(name);
            }
            if (names != m_environments) {
                m_environments = names;
                Q_EMIT environmentsChanged();
            }
        });
}
