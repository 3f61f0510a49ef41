// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

/// Notices data that arrived after the users page loaded: every interval() while active,
/// one cheap Metrics API query (traces of the page's filter: count, tokens, cost,
/// observations — what the summary strip asks for, so Langfuse-compatible servers answer
/// it too) is compared with the baseline answer taken when the filter was set. With an
/// interval of 0 nothing is asked; the timer runs only while active (the page shown in a
/// visible window); probes never overlap.
class NewDataWatcher : public QObject
{
    Q_OBJECT
public:
    explicit NewDataWatcher(QObject *parent = nullptr);

    void setClient(ApiClient *client);
    /// The filter whose figures are watched; takes a new baseline (at once when active) and
    /// clears hasNewData().
    void setFilter(const UsersQuery &filter);
    /// Milliseconds between probes; 0 = never probe.
    void setInterval(int ms);
    [[nodiscard]] int interval() const { return m_interval; }
    void setActive(bool active);
    [[nodiscard]] bool isActive() const { return m_active; }
    /// The figures differ from the baseline (probing pauses until the next setFilter()).
    [[nodiscard]] bool hasNewData() const { return m_newData; }
    /// The baseline answer for the current filter has arrived.
    [[nodiscard]] bool hasBaseline() const { return m_baseline.has_value(); }
    /// Probes now (when running), as the timer would.
    void probe();

    /// The probe's query for a filter.
    [[nodiscard]] static MetricsQuery query(const UsersQuery &filter);

Q_SIGNALS:
    void newDataChanged();
    /// hasBaseline() changed.
    void baselineChanged();

private:
    [[nodiscard]] bool canProbe() const;
    void update();
    void answered(const ApiResult<QList<MetricsRow>> &result);

    QPointer<ApiClient> m_client;
    UsersQuery m_filter;
    QTimer m_timer;
    RequestHandle m_request;
    std::optional<QList<double>> m_baseline;
    int m_interval = 0;
    bool m_active = false;
    bool m_newData = false;
};
