// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/newdatawatcher.h"

#include "views/userssummary.h"

namespace {

const QStringList kMetricKeys{QStringLiteral("count_count"), QStringLiteral("sum_totalTokens"),
                              QStringLiteral("sum_totalCost"),
                              QStringLiteral("sum_observationsCount")};

} // namespace

NewDataWatcher::NewDataWatcher(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(false);
    connect(&m_timer, &QTimer::timeout, this, &NewDataWatcher::probe);
}

MetricsQuery NewDataWatcher::query(const UsersQuery &filter)
{
    // The summary strip's traces query (count, tokens, cost over the filter) plus the
    // observation count, which grows when a trace gains a span without cost.
    MetricsQuery q = UsersSummary::queries(filter).constFirst();
    q.addMetric(QStringLiteral("observationsCount"), QStringLiteral("sum"));
    return q;
}

void NewDataWatcher::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    setFilter(m_filter);
}

void NewDataWatcher::setFilter(const UsersQuery &filter)
{
    m_filter = filter;
    m_request.cancel();
    m_request = {};
    if (m_baseline) {
        m_baseline.reset();
        Q_EMIT baselineChanged();
    }
    if (m_newData) {
        m_newData = false;
        Q_EMIT newDataChanged();
    }
    update();
}

void NewDataWatcher::setInterval(int ms)
{
    ms = std::max(0, ms);
    if (m_interval == ms)
        return;
    m_interval = ms;
    update();
}

void NewDataWatcher::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    update();
}

bool NewDataWatcher::canProbe() const
{
    return m_interval > 0 && m_client && !m_newData;
}

void NewDataWatcher::update()
{
    if (!canProbe() || !m_active)
        m_timer.stop();
    else if (!m_timer.isActive() || m_timer.interval() != m_interval)
        m_timer.start(m_interval);
    // The baseline is taken at once, shown or not, so that whatever arrives later counts;
    // coming back to the page looks at once at what happened meanwhile.
    probe();
}

void NewDataWatcher::probe()
{
    if (!canProbe() || m_request.isActive() || (m_baseline && !m_active))
        return;
    m_request = m_client->metrics(query(m_filter), this,
                                  [this](const ApiResult<QList<MetricsRow>> &result) {
                                      m_request = {};
                                      answered(result);
                                  });
}

void NewDataWatcher::answered(const ApiResult<QList<MetricsRow>> &result)
{
    if (!result.ok())
        return; // a passing failure: the next probe asks again
    QList<double> figures;
    const MetricsRow row = result.value().isEmpty() ? MetricsRow{} : result.value().constFirst();
    for (const QString &key : kMetricKeys)
        figures.append(row.metric(key).value_or(0));
    if (!m_baseline) {
        m_baseline = figures;
        Q_EMIT baselineChanged();
        return;
    }
    if (figures == *m_baseline)
        return;
    m_newData = true;
    m_timer.stop();
    Q_EMIT newDataChanged();
}
