// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "views/scoredistribution.h"
#include "views/timerange.h"

#include <QObject>
#include <QQmlEngine>
#include <QVariantMap>

/// One user's page: their totals over the page's time range and environment.
class UserPageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// The client to fetch through (AppContext.client).
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    /// The user shown, exactly as stored (any characters).
    Q_PROPERTY(QString userId READ userId WRITE setUserId NOTIFY userIdChanged)
    /// The time window of every figure on the page.
    Q_PROPERTY(TimeRange *timeRange READ timeRange CONSTANT)
    /// The one environment shown; empty = all.
    Q_PROPERTY(QString environment READ environment WRITE setEnvironment NOTIFY environmentChanged)
    /// The user's totals formatted for people, keyed like UserSummary's fields, plus
    /// firstTraceExact / lastTraceExact and environments; empty until loaded.
    Q_PROPERTY(QVariantMap figures READ figures NOTIFY summaryChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY summaryChanged)
    /// The first answer (figures or an error) has arrived.
    Q_PROPERTY(bool loaded READ loaded NOTIFY summaryChanged)
    /// Why the figures are missing, for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY summaryChanged)
    /// How the user's numeric scores spread, per score name.
    Q_PROPERTY(ScoreDistribution *scoreDistribution READ scoreDistribution CONSTANT)

public:
    explicit UserPageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    [[nodiscard]] QString userId() const { return m_userId; }
    void setUserId(const QString &userId);
    [[nodiscard]] TimeRange *timeRange() { return &m_timeRange; }
    [[nodiscard]] QString environment() const { return m_environment; }
    void setEnvironment(const QString &environment);
    [[nodiscard]] QVariantMap figures() const { return m_figures; }
    [[nodiscard]] bool loading() const { return m_request.isActive(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] ScoreDistribution *scoreDistribution() { return &m_scoreDistribution; }

    /// Loads everything again (Retry, F5); presets move with the clock.
    Q_INVOKABLE void refresh();

    /// A UserSummary formatted for people (also what the users page shows).
    [[nodiscard]] static QVariantMap describe(const UserSummary &user);

Q_SIGNALS:
    void clientChanged();
    void userIdChanged();
    void environmentChanged();
    void summaryChanged();

private:
    [[nodiscard]] UserScope scope() const;

    QPointer<ApiClient> m_client;
    QString m_userId;
    TimeRange m_timeRange;
    QString m_environment;
    RequestHandle m_request;
    QVariantMap m_figures;
    QString m_error;
    bool m_loaded = false;
    ScoreDistribution m_scoreDistribution;
};
