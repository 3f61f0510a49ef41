// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVariantMap>

/// Totals over every user matching the users page's filter — traces, tokens (input /
/// output / total), cost and the average numeric score — aggregated by the server through
/// the Metrics API, plus the environments the project has (for the filter).
class UsersSummary : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by UsersPageController")
    /// Totals formatted for people: traces, inputTokens, outputTokens, totalTokens, cost,
    /// averageScore, scoreCount (keys as in the API) and inputOutput ("95.6M / 20.3M");
    /// empty until they arrive.
    Q_PROPERTY(QVariantMap figures READ figures NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    /// Why the totals are missing, for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)
    /// Every environment with traces, most traces first.
    Q_PROPERTY(QStringList environments READ environments NOTIFY environmentsChanged)

public:
    explicit UsersSummary(QObject *parent = nullptr);

    /// Asks for the totals of this filter (cancelling what is in flight).
    void load(ApiClient *client, const UsersQuery &filter);
    /// Asks for the environment list.
    void loadEnvironments(ApiClient *client);

    [[nodiscard]] QVariantMap figures() const { return m_figures; }
    [[nodiscard]] bool loading() const { return m_pending > 0; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QStringList environments() const { return m_environments; }

    /// The three queries behind the totals (public for tests).
    [[nodiscard]] static QList<MetricsQuery> queries(const UsersQuery &filter);

Q_SIGNALS:
    void changed();
    void environmentsChanged();

private:
    void cancel();
    void answered(int index, const ApiResult<QList<MetricsRow>> &result);

    QList<RequestHandle> m_requests;
    QList<std::optional<MetricsRow>> m_rows;
    int m_pending = 0;
    QVariantMap m_figures;
    QString m_error;
    QStringList m_environments;
    RequestHandle m_environmentRequest;
};
