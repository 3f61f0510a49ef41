// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/scoredistribution.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

ScoreDistribution::ScoreDistribution(QObject *parent)
    : QObject(parent)
{}

MetricsQuery ScoreDistribution::base() const
{
    MetricsQuery q;
    q.view = QStringLiteral("scores-numeric");
    q.filterEquals(QStringLiteral("userId"), m_userId);
    q.filterEnvironments(m_environments);
    q.from = m_from;
    q.to = m_to;
    return q;
}

void ScoreDistribution::load(ApiClient *client, const QString &userId, const QDateTime &from,
                             const QDateTime &to, const QStringList &environments)
{
    for (RequestHandle &r : m_requests)
        r.cancel();
    m_requests.clear();
    m_names.clear();
    m_error.clear();
    m_namesPending = false;
    m_expected = false;
    m_current = 0;
    m_client = client;
    m_userId = userId;
    m_from = from;
    m_to = to;
    m_environments = environments;
    if (!client || userId.isEmpty()) {
        publish();
        return;
    }
    MetricsQuery q = base();
    q.dimensions = {QStringLiteral("name")};
    const QString count = q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    const QString avg = q.addMetric(QStringLiteral("value"), QStringLiteral("avg"));
    const QString min = q.addMetric(QStringLiteral("value"), QStringLiteral("min"));
    const QString max = q.addMetric(QStringLiteral("value"), QStringLiteral("max"));
    q.orderBy = {{count, true}};
    q.rowLimit = MaxNames;
    m_namesPending = true;
    m_requests.append(client->metrics(
        q, this, [this, count, avg, min, max](const ApiResult<QList<MetricsRow>> &result) {
            m_namesPending = false;
            if (!result.ok()) {
                m_error = tr("Score distribution unavailable: %1").arg(result.error().message);
                return publish();
            }
            for (const MetricsRow &row : result.value()) {
                Name n;
                n.name = row.dimension(QStringLiteral("name"));
                n.count = qint64(row.metric(count).value_or(0));
                n.average = row.metric(avg).value_or(0);
                n.min = row.metric(min).value_or(0);
                n.max = row.metric(max).value_or(0);
                n.counts = QList<qint64>(Buckets, 0);
                if (n.count > 0)
                    m_names.append(n);
            }
            m_current = std::clamp(m_current, 0, std::max(0, int(m_names.size()) - 1));
            // Each bucket is a query over all of the user's scores: only the name on screen
            // is counted; the others when they are picked.
            if (!m_names.isEmpty())
                loadBuckets(m_current);
            publish();
        }));
    publish();
}

void ScoreDistribution::setCurrent(int index)
{
    if (index == m_current || index < 0 || (index >= m_names.size() && !m_names.isEmpty()))
        return;
    m_current = index;
    if (index < m_names.size())
        loadBuckets(index);
    publish();
}

void ScoreDistribution::expect()
{
    if (m_expected)
        return;
    m_expected = true;
    Q_EMIT changed();
}

bool ScoreDistribution::loading() const
{
    if (m_expected || m_namesPending)
        return true;
    return m_current < m_names.size() && !m_names.at(m_current).loaded && m_error.isEmpty();
}

void ScoreDistribution::loadBuckets(int i)
{
    Name &n = m_names[i];
    if (n.asked || !m_client)
        return;
    n.asked = true;
    if (n.max <= n.min) { // one value only: a single full bucket
        n.counts[0] = n.count;
        n.loaded = true;
        return;
    }
    const double width = (n.max - n.min) / Buckets;
    for (int b = 0; b < Buckets; ++b) {
        MetricsQuery q = base();
        q.filterEquals(QStringLiteral("name"), n.name);
        const double lower = n.min + width * b;
        q.filters.append({QStringLiteral("value"), QStringLiteral(">="), QJsonValue(lower),
                          QStringLiteral("number")});
        // The last bucket includes the maximum itself.
        if (b < Buckets - 1)
            q.filters.append({QStringLiteral("value"), QStringLiteral("<"),
                              QJsonValue(n.min + width * (b + 1)), QStringLiteral("number")});
        const QString key = q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
        ++n.pending;
        m_requests.append(m_client->metrics(
            q, this, [this, i, b, key](const ApiResult<QList<MetricsRow>> &result) {
                Name &name = m_names[i];
                --name.pending;
                if (!result.ok())
                    m_error = tr("Score distribution unavailable: %1").arg(result.error().message);
                else if (!result.value().isEmpty())
                    name.counts[b] = qint64(result.value().constFirst().metric(key).value_or(0));
                if (name.pending == 0) {
                    name.loaded = m_error.isEmpty();
                    publish();
                }
            }));
    }
}

void ScoreDistribution::publish()
{
    m_series.clear();
    if (!m_namesPending && m_error.isEmpty()) {
        const QLocale locale(QLocale::English, QLocale::UnitedStates);
        for (const Name &n : m_names) {
            QVariantList labels;
            QVariantList counts;
            const double width = (n.max - n.min) / Buckets;
            for (int b = 0; b < Buckets; ++b) {
                labels.append(n.max > n.min ? locale.toString(n.min + width * b, 'g', 3)
                                            : locale.toString(n.min, 'g', 3));
                counts.append(n.counts.at(b));
                if (n.max <= n.min)
                    break;
            }
            m_series.append(QVariantMap{{QStringLiteral("name"), n.name},
                                        {QStringLiteral("count"), n.count},
                                        {QStringLiteral("average"), n.average},
                                        {QStringLiteral("min"), n.min},
                                        {QStringLiteral("max"), n.max},
                                        {QStringLiteral("labels"), labels},
                                        {QStringLiteral("counts"), counts},
                                        {QStringLiteral("loaded"), n.loaded}});
        }
    }
    Q_EMIT changed();
}
