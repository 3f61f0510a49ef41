// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/scoredistribution.h"

#include <QLocale>

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
    m_pending = 0;
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
    m_pending = 1;
    m_requests.append(client->metrics(
        q, this, [this, count, avg, min, max](const ApiResult<QList<MetricsRow>> &result) {
            --m_pending;
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
            loadBuckets();
        }));
    publish();
}

void ScoreDistribution::loadBuckets()
{
    for (int i = 0; i < m_names.size(); ++i) {
        const Name &n = m_names.at(i);
        if (n.max <= n.min) { // one value only: a single full bucket
            m_names[i].counts[0] = n.count;
            continue;
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
            ++m_pending;
            m_requests.append(m_client->metrics(
                q, this, [this, i, b, key](const ApiResult<QList<MetricsRow>> &result) {
                    --m_pending;
                    if (!result.ok())
                        m_error =
                            tr("Score distribution unavailable: %1").arg(result.error().message);
                    else if (!result.value().isEmpty())
                        m_names[i].counts[b] =
                            qint64(result.value().constFirst().metric(key).value_or(0));
                    if (m_pending == 0)
                        publish();
                }));
        }
    }
    if (m_pending == 0)
        publish();
}

void ScoreDistribution::publish()
{
    m_series.clear();
    if (m_pending == 0 && m_error.isEmpty()) {
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
                                        {QStringLiteral("counts"), counts}});
        }
    }
    Q_EMIT changed();
}
