// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userpagecontroller.h"

#include "models/format.h"

UserPageController::UserPageController(QObject *parent)
    : QObject(parent)
{
    connect(&m_timeRange, &TimeRange::changed, this, &UserPageController::refresh);
}

void UserPageController::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    Q_EMIT clientChanged();
    refresh();
}

void UserPageController::setUserId(const QString &userId)
{
    if (m_userId == userId)
        return;
    m_userId = userId;
    Q_EMIT userIdChanged();
    refresh();
}

void UserPageController::setEnvironment(const QString &environment)
{
    if (m_environment == environment)
        return;
    m_environment = environment;
    Q_EMIT environmentChanged();
    refresh();
}

UserScope UserPageController::scope() const
{
    UserScope s;
    s.from = m_timeRange.from(QDateTime::currentDateTimeUtc());
    s.to = m_timeRange.to();
    if (!m_environment.isEmpty())
        s.environments = {m_environment};
    return s;
}

void UserPageController::refresh()
{
    m_request.cancel();
    if (!m_client || m_userId.isEmpty())
        return;
    const UserScope s = scope();
    m_scoreDistribution.load(m_client, m_userId, s.from, s.to, s.environments);
    m_request = m_client->user(m_userId, s, this, [this](const ApiResult<UserSummary> &result) {
        m_request = {};
        m_loaded = true;
        if (result.ok()) {
            m_error.clear();
            m_figures = describe(result.value());
        } else {
            m_figures.clear();
            m_error = result.error().kind == ApiError::Kind::NotFound
                          ? tr("This user has no traces in %1.").arg(m_timeRange.label().toLower())
                          : result.error().message;
        }
        Q_EMIT summaryChanged();
    });
    Q_EMIT summaryChanged();
}

QVariantMap UserPageController::describe(const UserSummary &u)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return {
        {QStringLiteral("userId"), u.userId},
        {QStringLiteral("totalTraces"), Format::count(u.totalTraces)},
        {QStringLiteral("totalSessions"), Format::count(u.totalSessions)},
        {QStringLiteral("totalObservations"), Format::count(u.totalObservations)},
        {QStringLiteral("inputTokens"), Format::count(u.inputTokens)},
        {QStringLiteral("outputTokens"), Format::count(u.outputTokens)},
        {QStringLiteral("totalTokens"), Format::count(u.totalTokens)},
        {QStringLiteral("totalCost"), Format::cost(u.totalCost)},
        {QStringLiteral("averageScore"), Format::score(u.averageScore)},
        {QStringLiteral("scoreCount"), Format::count(u.scoreCount)},
        {QStringLiteral("firstTraceAt"), Format::relativeTime(u.firstTraceAt, now)},
        {QStringLiteral("firstTraceExact"), Format::exactTime(u.firstTraceAt)},
        {QStringLiteral("lastTraceAt"), Format::relativeTime(u.lastTraceAt, now)},
        {QStringLiteral("lastTraceExact"), Format::exactTime(u.lastTraceAt)},
        {QStringLiteral("environments"), u.environments.join(QStringLiteral(", "))},
    };
}
