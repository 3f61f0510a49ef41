// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/appcontext.h"

#include "api/deeplink.h"

#include <QClipboard>
#include <QGuiApplication>

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
    setReady(connection, connection.name);
}

void AppContext::setReady(const Connection &connection, const QString &savedName)
{
    m_currentConnection = savedName;
    m_projectRequest.cancel();
    m_projectId.clear();
    m_projectName.clear();
    m_projectLoaded = false;
    Q_EMIT projectChanged();
    m_client->setConnection(connection);
    m_projectRequest = m_client->projects(this, [this](const ApiResult<QList<Project>> &result) {
        m_projectLoaded = true;
        if (!result.ok() || result.value().isEmpty()) {
            Q_EMIT projectChanged();
            return;
        }
        m_projectId = result.value().constFirst().id;
        m_projectName = result.value().constFirst().name;
        Q_EMIT projectChanged();
    });
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

void AppContext::setLinkHandler(std::function<QString(const QString &)> handler)
{
    m_linkHandler = std::move(handler);
}

void AppContext::switchConnection(const QString &name)
{
    Q_EMIT switchRequested(name);
}

QString AppContext::openLink(const QString &text)
{
    if (!m_linkHandler)
        return tr("Links cannot be opened here");
    return m_linkHandler(text);
}

QString AppContext::userLink(const QString &userId) const
{
    const Connection &c = m_client->connection();
    if (!c.isValid() || m_projectId.isEmpty() || userId.isEmpty())
        return {};
    return DeepLink::forServer(c.baseUrl, m_projectId, QStringLiteral("users"), userId).toString();
}

void AppContext::copyToClipboard(const QString &text) const
{
    if (auto *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

void AppContext::notify(const QString &message)
{
    Q_EMIT notice(message);
}

void AppContext::testConnection(const QString &baseUrl, const QString &publicKey,
                                const QString &secretKey, const QString &savedName)
{
    if (const QString e = m_connections.validateBaseUrl(baseUrl); !e.isEmpty()) {
        Q_EMIT connectionTested(false, e, {}, {});
        return;
    }
    Connection connection;
    connection.name = savedName;
    connection.baseUrl = QUrl(baseUrl.trimmed()).adjusted(QUrl::StripTrailingSlash);
    connection.publicKey = publicKey.trimmed();
    connection.secretKey = secretKey;
    auto run = [this](const Connection &c) {
        // A client of its own: the test never disturbs the pages' connection.
        m_testClient = std::make_unique<ApiClient>();
        m_testClient->setConnection(c);
        m_testClient->health(this, [this](const ApiResult<QString> &health) {
            if (!health.ok()) {
                Q_EMIT connectionTested(false, health.error().message, {}, {});
                return;
            }
            m_testClient->projects(this, [this](const ApiResult<QList<Project>> &projects) {
                if (!projects.ok()) {
                    Q_EMIT connectionTested(false, projects.error().message, {}, {});
                    return;
                }
                if (projects.value().isEmpty()) {
                    Q_EMIT connectionTested(false, tr("The server names no project for this key"),
                                            {}, {});
                    return;
                }
                const Project &p = projects.value().constFirst();
                Q_EMIT connectionTested(true, tr("Connected to project %1 (%2)").arg(p.name, p.id),
                                        p.id, p.name);
            });
        });
    };
    if (!secretKey.isEmpty() || savedName.isEmpty()) {
        if (secretKey.isEmpty()) {
            Q_EMIT connectionTested(false, tr("Enter the secret key (sk-…)"), {}, {});
            return;
        }
        run(connection);
        return;
    }
    m_connections.load(
        savedName, [this, connection, run](const Connection &saved, const QString &error) mutable {
            if (!error.isEmpty()) {
                Q_EMIT connectionTested(false, error, {}, {});
                return;
            }
            // The stored secret only goes to the address it was saved for.
            if (saved.baseUrl != connection.baseUrl) {
                Q_EMIT connectionTested(false, tr("Enter the secret key again for the new address"),
                                        {}, {});
                return;
            }
            connection.secretKey = saved.secretKey;
            run(connection);
        });
}
