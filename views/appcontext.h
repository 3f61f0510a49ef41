// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"

#include <QObject>
#include <QQmlEngine>

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

    void setStarting(const QString &statusText, double progress);
    void setReady(const Connection &connection);
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
};
