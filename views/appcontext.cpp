// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/appcontext.h"

#include <utility>

namespace {
AppContext *s_instance = nullptr;
}

AppContext::AppContext(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{}

AppContext *AppContext::create(QQmlEngine *, QJSEngine *engine)
{
    Q_ASSERT(s_instance);
    // The instance belongs to app/, not to the engine that asks for it.
    engine->setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void AppContext::setInstance(AppContext *context)
{
    s_instance = context;
}

QString AppContext::connectionName() const
{
    const Connection &c = m_client->connection();
    if (!c.isValid())
        return {};
    return QStringLiteral("%1 · %2").arg(c.name, c.baseUrl.toDisplayString(QUrl::RemovePath));
}

void AppContext::setStarting(const QString &statusText, double progress)
{
    m_statusText = statusText;
    m_progress = progress;
    Q_EMIT stateChanged();
}

void AppContext::setReady(const Connection &connection)
{
    m_client->setConnection(connection);
    m_ready = true;
    m_failed = false;
    m_statusText.clear();
    Q_EMIT stateChanged();
    const QList<PendingOpen> pending = std::exchange(m_pendingOpens, {});
    for (const PendingOpen &open : pending)
        Q_EMIT openRequested(open.kind, open.id, open.options);
}

void AppContext::requestOpen(const QString &kind, const QString &id, const QVariantMap &options)
{
    if (!m_ready) {
        m_pendingOpens.append({kind, id, options});
        return;
    }
    Q_EMIT openRequested(kind, id, options);
}

void AppContext::setFailed(const QString &statusText)
{
    m_failed = true;
    m_ready = false;
    m_statusText = statusText;
    Q_EMIT stateChanged();
}

void AppContext::reportPageReady(const QString &error)
{
    m_pageError = error;
    Q_EMIT pageReady();
}
