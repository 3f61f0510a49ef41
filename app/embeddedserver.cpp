// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/embeddedserver.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

using xeroml::server::LocalServer;

namespace {
const auto kPortKey = QStringLiteral("localServer/port");
}

EmbeddedServer::EmbeddedServer(QString dbPath, xeroml::server::DemoOptions demo, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
    , m_demo(demo)
{
    qRegisterMetaType<Connection>();
    m_thread.setObjectName(QStringLiteral("xeroml-local-server"));
}

EmbeddedServer::~EmbeddedServer()
{
    m_thread.quit();
    m_thread.wait();
}

xeroml::server::DemoOptions EmbeddedServer::defaultDemo()
{
    xeroml::server::DemoOptions demo;
    demo.users = 1000;
    demo.traces = 30000;
    demo.seed = 42;
    return demo;
}

QString EmbeddedServer::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/local-server.sqlite");
}

void EmbeddedServer::start()
{
    auto *server = new LocalServer;
    server->moveToThread(&m_thread);
    // The server is deleted in its own thread once the thread's event loop ends.
    connect(&m_thread, &QThread::finished, server, &QObject::deleteLater);
    connect(&m_thread, &QThread::started, server, [this, server] {
        QString error;
        if (!QDir().mkpath(QFileInfo(m_dbPath).absolutePath())) {
            Q_EMIT failed(tr("Cannot create the folder for %1.").arg(m_dbPath));
            return;
        }
        if (!server->open(m_dbPath, &error)) {
            Q_EMIT failed(tr("Cannot open the local database %1: %2").arg(m_dbPath, error));
            return;
        }
        if (server->isEmpty()) {
            const auto progress = [this](qint64 done, qint64 total) {
                Q_EMIT seeding(done, total);
            };
            if (!server->seedDemo(m_demo, progress, &error)) {
                Q_EMIT failed(tr("Cannot create the demo data: %1").arg(error));
                return;
            }
        }
        // The port of the last start when it is free, so that an SDK's LANGFUSE_BASE_URL set
        // from Settings keeps working after a restart; any free port otherwise.
        QSettings settings;
        const auto lastPort = quint16(settings.value(kPortKey, 0).toUInt());
        if ((lastPort == 0 || !server->listen(QHostAddress::LocalHost, lastPort, &error)) &&
            !server->listen(QHostAddress::LocalHost, 0, &error)) {
            Q_EMIT failed(tr("The local server cannot listen on 127.0.0.1: %1").arg(error));
            return;
        }
        settings.setValue(kPortKey, server->port());
        const xeroml::server::Credentials keys = server->credentials();
        Connection connection;
        connection.name = tr("Local server");
        connection.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port()));
        connection.publicKey = keys.publicKey;
        connection.secretKey = keys.secretKey;
        Q_EMIT ready(connection);
    });
    m_thread.start();
}
