// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/appcontext.h"

#include "api/deeplink.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLoggingCategory>

#include <utility>

Q_LOGGING_CATEGORY(lcLinks, "xeroml.links")

namespace {
AppContext *s_instance = nullptr;
}

AppContext::AppContext(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    connect(this, &AppContext::projectChanged, this, &AppContext::openPendingLink);
    connect(this, &AppContext::stateChanged, this, &AppContext::openPendingLink);
    connect(
        &m_connections, &ConnectionStore::saveFinished, this,
        [this](const QString &name, const QString &error, bool) { connectionSaved(name, error); });
}

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

void AppContext::switchConnection(const QString &name)
{
    m_fixedConnection.clear(); // the user chooses from now on
    Q_EMIT switchRequested(name);
}

QString AppContext::openLink(const QString &text)
{
    clearOffer();
    QString error;
    const std::optional<DeepLink> link = DeepLink::parse(text, &error);
    if (!link)
        return tr("This link cannot be opened: %1").arg(error);
    const Connection &current = m_client->connection();
    QString target;
    if (current.isValid() && link->matchesBaseUrl(current.baseUrl)) {
        target = m_currentConnection;
    } else if (const std::optional<SavedConnection> saved = m_connections.findFor(*link)) {
        target = saved->name;
    } else if (link->isLoopback()) {
        // Links to this computer with no saved connection for their port go to the embedded
        // server: requests go to its own port, never to the port the link names.
        target = ConnectionStore::localServerName();
    } else {
        // Never send stored credentials to a host the user has not set up.
        m_offerBaseUrl = QStringLiteral("https://%1").arg(link->authority());
        m_offerLink = link->toString();
        Q_EMIT offerChanged();
        return tr("No connection is set up for %1. Add one to open this link.")
            .arg(link->authority());
    }
    if (!m_fixedConnection.isEmpty() && target != m_fixedConnection)
        return tr("This link is for %1, not for the connection %2 given on the command line")
            .arg(link->authority(), m_fixedConnection);
    m_pendingLink = link;
    if (target != m_currentConnection || !current.isValid())
        Q_EMIT switchRequested(target);
    openPendingLink();
    return {};
}

void AppContext::showLinkProblem(const QString &message)
{
    if (!m_offerBaseUrl.isEmpty())
        Q_EMIT addConnectionOffered(m_offerBaseUrl, message);
    else
        Q_EMIT notice(message);
}

void AppContext::clearOffer()
{
    if (m_offerBaseUrl.isEmpty() && m_offerLink.isEmpty())
        return;
    m_offerBaseUrl.clear();
    m_offerLink.clear();
    Q_EMIT offerChanged();
}

void AppContext::connectionSaved(const QString &name, const QString &error)
{
    if (!error.isEmpty() || m_offerLink.isEmpty())
        return;
    const std::optional<SavedConnection> saved = m_connections.find(name);
    const std::optional<DeepLink> link = DeepLink::parse(m_offerLink, nullptr);
    if (!saved || !link || !link->matchesBaseUrl(saved->baseUrl))
        return; // a connection for another server: the offer stands
    const QString text = m_offerLink;
    Q_EMIT offeredLinkOpening();
    if (const QString problem = openLink(text); !problem.isEmpty())
        notify(problem);
}

void AppContext::openPendingLink()
{
    if (!m_pendingLink || !m_ready || !m_projectLoaded)
        return;
    const Connection &current = m_client->connection();
    const bool onLocal = m_currentConnection == ConnectionStore::localServerName();
    if (!m_pendingLink->matchesBaseUrl(current.baseUrl) &&
        !(m_pendingLink->isLoopback() && onLocal))
        return; // still switching
    const DeepLink link = *std::exchange(m_pendingLink, std::nullopt);
    if (!m_projectId.isEmpty() && link.projectId != m_projectId) {
        const QString message =
            tr("This link is for project \"%1\", but the connection %2 reads project \"%3\" "
               "(%4). Open it with a connection to that project.")
                .arg(link.projectId, m_currentConnection, m_projectName, m_projectId);
        notify(message);
        Q_EMIT linkFailed(message);
        return;
    }
    QVariantMap options;
    if (!link.tab.isEmpty())
        options.insert(QStringLiteral("tab"), link.tab);
    if (!link.from.isEmpty())
        options.insert(QStringLiteral("from"), link.from);
    if (!link.to.isEmpty())
        options.insert(QStringLiteral("to"), link.to);
    qCInfo(lcLinks) << "opening" << link.kind << link.id;
    requestOpen(link.kind, link.id, options);
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

QString AppContext::localBaseUrl() const
{
    return m_local.isValid() ? m_local.baseUrl.toString() : QString();
}

void AppContext::setLocalConnection(const Connection &connection)
{
    m_local = connection;
    Q_EMIT localConnectionChanged();
}

void AppContext::copyLocalSecretKey() const
{
    copyToClipboard(m_local.secretKey);
}

void AppContext::copyLocalEnvironment() const
{
    if (!m_local.isValid())
        return;
    copyToClipboard(QStringLiteral("export LANGFUSE_BASE_URL=%1\n"
                                   "export LANGFUSE_PUBLIC_KEY=%2\n"
                                   "export LANGFUSE_SECRET_KEY=%3\n")
                        .arg(localBaseUrl(), m_local.publicKey, m_local.secretKey));
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
