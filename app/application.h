// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/deeplink.h"
#include "views/appcontext.h"

#include <QObject>
#include <QQmlApplicationEngine>

#include <memory>

class EmbeddedServer;
class QApplication;
class SingleInstance;

/// Everything main() wires together: the command line, the connection (embedded server,
/// a saved one or --base-url), single-instance forwarding of links, the QML window, and the
/// --screenshot mode. Links are routed by AppContext::openLink().
class Application : public QObject
{
    Q_OBJECT
public:
    explicit Application(QApplication &app);
    ~Application() override;

    /// Parses the command line and starts; returns the exit code to use right away, or -1
    /// to enter the event loop.
    int start();

private:
    void startEmbeddedServer();
    void useLocalServer();
    void switchTo(const QString &name);
    void raiseWindow();
    [[nodiscard]] bool screenshotPageShown() const;
    void screenshotAfterFrames();
    void takeScreenshot();

    QApplication &m_app;
    ApiClient m_client;
    AppContext m_context;
    std::unique_ptr<EmbeddedServer> m_embedded;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    std::unique_ptr<SingleInstance> m_instance;
    Connection m_embeddedConnection;
    bool m_wantLocal = false; // the embedded server's ready() makes it the connection
    std::optional<DeepLink> m_screenshotLink;
    QString m_screenshotPath;
    bool m_screenshotTaken = false;
    bool m_screenshotTimedOut = false;
};
