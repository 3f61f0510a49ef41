// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/deeplink.h"
#include "views/connectionstore.h"

#include <QObject>
#include <QQmlEngine>

#include <optional>

/// Lets QML see ApiClient as a property type without making it creatable.
struct ApiClientForeign
{
    Q_GADGET
    QML_FOREIGN(ApiClient)
    QML_ANONYMOUS
};

/// What the whole window shares: the API client and the state of the connection behind it
/// (for the embedded server: starting, seeding demo data, ready or failed).
/// app/ creates the one instance before QML loads; QML reaches it as `AppContext`.
class AppContext : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    /// The client every page fetches through.
    Q_PROPERTY(ApiClient *client READ client CONSTANT)
    /// The connection is usable: pages may load.
    Q_PROPERTY(bool ready READ ready NOTIFY stateChanged)
    /// What is happening while not ready ("Preparing demo data…"), or why it failed.
    Q_PROPERTY(QString statusText READ statusText NOTIFY stateChanged)
    /// 0…1 while a long start-up step runs, -1 when its length is unknown.
    Q_PROPERTY(double progress READ progress NOTIFY stateChanged)
    /// Start-up failed for good; statusText says why.
    Q_PROPERTY(bool failed READ failed NOTIFY stateChanged)
    /// "Local server" or the saved connection's name, with its host.
    Q_PROPERTY(QString connectionName READ connectionName NOTIFY stateChanged)
    /// The saved connections (row 0: the local server), for the settings page and switcher.
    Q_PROPERTY(ConnectionStore *connections READ connections CONSTANT)
    /// Name of the connection in use (ConnectionStore::localServerName() for the local one).
    Q_PROPERTY(QString currentConnection READ currentConnection NOTIFY stateChanged)
    /// The project of the connection's key pair, once /projects answered (links name it).
    Q_PROPERTY(QString projectId READ projectId NOTIFY projectChanged)
    Q_PROPERTY(QString projectName READ projectName NOTIFY projectChanged)
    /// Address of a server the last refused link named but no connection serves (empty when
    /// none): the UI offers to add a connection for it, and the link opens once one is saved.
    Q_PROPERTY(QString offeredBaseUrl READ offeredBaseUrl NOTIFY offerChanged)
    /// Where SDKs send traces to the embedded local server (LANGFUSE_BASE_URL); empty until
    /// it runs.
    Q_PROPERTY(QString localBaseUrl READ localBaseUrl NOTIFY localConnectionChanged)
    /// The embedded server's public key (LANGFUSE_PUBLIC_KEY); the secret key is only handed
    /// out on request (localSecretKey(), copyLocalSecretKey()).
    Q_PROPERTY(QString localPublicKey READ localPublicKey NOTIFY localConnectionChanged)

public:
    explicit AppContext(ApiClient *client, QObject *parent = nullptr);

    static AppContext *create(QQmlEngine *, QJSEngine *);
    /// Makes `context` the instance QML gets; call before the engine loads.
    static void setInstance(AppContext *context);

    [[nodiscard]] ApiClient *client() const { return m_client; }
    [[nodiscard]] bool ready() const { return m_ready; }
    [[nodiscard]] QString statusText() const { return m_statusText; }
    [[nodiscard]] double progress() const { return m_progress; }
    [[nodiscard]] bool failed() const { return m_failed; }
    [[nodiscard]] QString connectionName() const;

    [[nodiscard]] ConnectionStore *connections() { return &m_connections; }
    [[nodiscard]] QString currentConnection() const { return m_currentConnection; }
    [[nodiscard]] QString projectId() const { return m_projectId; }
    [[nodiscard]] QString projectName() const { return m_projectName; }
    /// /projects answered (with a project or an error) since the last setReady().
    [[nodiscard]] bool projectLoaded() const { return m_projectLoaded; }

    void setStarting(const QString &statusText, double progress);
    void setReady(const Connection &connection);
    /// Like setReady(), naming the saved connection (for the switcher).
    void setReady(const Connection &connection, const QString &savedName);
    [[nodiscard]] QString offeredBaseUrl() const { return m_offerBaseUrl; }
    [[nodiscard]] QString localBaseUrl() const;
    [[nodiscard]] QString localPublicKey() const { return m_local.publicKey; }
    /// app/ tells where the embedded server listens, with its key pair, once it runs.
    void setLocalConnection(const Connection &connection);
    /// The embedded server's secret key, for the reveal toggle in Settings (never logged).
    Q_INVOKABLE QString localSecretKey() const { return m_local.secretKey; }
    /// Puts the embedded server's secret key on the clipboard.
    Q_INVOKABLE void copyLocalSecretKey() const;
    /// Puts the three `export LANGFUSE_…=…` lines for the embedded server on the clipboard.
    Q_INVOKABLE void copyLocalEnvironment() const;
    /// --connection / --base-url: links for other servers are refused from then on, until
    /// the user switches connection.
    void setFixedConnection(const QString &name) { m_fixedConnection = name; }

    /// The user switches to the saved connection `name` (or the local server); pages reload.
    Q_INVOKABLE void switchConnection(const QString &name);
    /// Routes a deep link (command line, Open link box, another launch, the OS): picks the
    /// connection by the link's host and port, switches to it, checks the project and asks
    /// the window to open the page. Returns why not (for people), or an empty string.
    /// A link to a server with no connection sets offeredBaseUrl and sends no request.
    Q_INVOKABLE QString openLink(const QString &text);
    /// Shows why a link did not open: with an "Add connection…" offer when the link named a
    /// server with no connection (see addConnectionOffered()), as a plain notice otherwise.
    Q_INVOKABLE void showLinkProblem(const QString &message);
    /// xeroml:// link to the user on the current connection and project (for "Copy link").
    Q_INVOKABLE QString userLink(const QString &userId) const;
    /// Puts `text` on the clipboard (secret keys only through copyLocalSecretKey()).
    Q_INVOKABLE void copyToClipboard(const QString &text) const;
    /// Checks a connection before saving it: health, then projects. An empty secretKey
    /// uses the stored one of `savedName`. Answers with connectionTested().
    Q_INVOKABLE void testConnection(const QString &baseUrl, const QString &publicKey,
                                    const QString &secretKey, const QString &savedName);
    /// Shows a message to the user (a refused link, a failed switch).
    void notify(const QString &message);
    void setFailed(const QString &statusText);

    /// Asks the window to show a user, trace or session (a deep link, the command line, a
    /// second instance). kind: "users", "traces" or "sessions"; options: "tab", "from",
    /// "to" (ISO 8601). Held back until the connection is ready.
    Q_INVOKABLE void requestOpen(const QString &kind, const QString &id,
                                 const QVariantMap &options = {});

    /// A page calls this once its first data, or its error, is on screen.
    Q_INVOKABLE void reportPageReady(const QString &error = {});
    /// The error the page reported with reportPageReady(); empty when its data arrived.
    [[nodiscard]] QString pageError() const { return m_pageError; }

Q_SIGNALS:
    void stateChanged();
    void pageReady();
    /// The window should show this (see requestOpen()).
    void openRequested(const QString &kind, const QString &id, const QVariantMap &options);
    /// app/ should connect to the saved connection `name` (see switchConnection(), links).
    void switchRequested(const QString &name);
    /// A link could not open after all (project mismatch); also shown as a notice.
    void linkFailed(const QString &message);
    void offerChanged();
    void localConnectionChanged();
    /// The connection saved for an offered link serves it: the link opens now.
    void offeredLinkOpening();
    void projectChanged();
    /// Something the user should read (a refused link, a project mismatch).
    void notice(const QString &message);
    /// A link named a server with no saved connection: offer to add one for `baseUrl`.
    void addConnectionOffered(const QString &baseUrl, const QString &message);
    /// Result of testConnection(): ok, or the message says what failed.
    void connectionTested(bool ok, const QString &message, const QString &projectId,
                          const QString &projectName);

private:
    ApiClient *m_client;
    bool m_ready = false;
    bool m_failed = false;
    QString m_statusText;
    double m_progress = -1;
    QString m_pageError;
    struct PendingOpen
    {
        QString kind;
        QString id;
        QVariantMap options;
    };
    QList<PendingOpen> m_pendingOpens;
    ConnectionStore m_connections;
    QString m_currentConnection;
    QString m_projectId;
    QString m_projectName;
    bool m_projectLoaded = false;
    RequestHandle m_projectRequest;
    void openPendingLink();
    void clearOffer();
    void connectionSaved(const QString &name, const QString &error);

    QString m_fixedConnection;
    std::optional<DeepLink> m_pendingLink;
    QString m_offerBaseUrl;
    QString m_offerLink;
    Connection m_local;
    std::unique_ptr<ApiClient> m_testClient;
};
