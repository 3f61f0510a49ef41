// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "views/appcontext.h"

#include <QObject>
#include <QQmlApplicationEngine>

#include <memory>

class EmbeddedServer;
class QApplication;

/// Everything main() wires together: the command line, the connection (embedded server
/// or a remote one), the QML window, and the --screenshot mode.
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
    void screenshotAfterFrames();
    void takeScreenshot();

    QApplication &m_app;
    ApiClient m_client;
    AppContext m_context;
    std::unique_ptr<EmbeddedServer> m_embedded;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QString m_screenshotPath;
    bool m_screenshotTaken = false;
    bool m_screenshotTimedOut = false;
};
