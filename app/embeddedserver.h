// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/connection.h"
#include "server/localserver.h"

#include <QObject>
#include <QThread>

/// The embedded default: the local XeroML server in its own thread (so SQLite work never
/// blocks the window), over a SQLite file, seeded with demo data on first start, listening
/// on 127.0.0.1 on the port of its last start when free, else on any free port. The app talks
/// to it over HTTP like to any other server.
class EmbeddedServer : public QObject
{
    Q_OBJECT
public:
    EmbeddedServer(QString dbPath, xeroml::server::DemoOptions demo, QObject *parent = nullptr);
    ~EmbeddedServer() override;

    /// Opens, seeds when empty, listens; answers with ready() or failed().
    void start();
    /// Where the database lives by default: the XDG data dir of the app.
    [[nodiscard]] static QString defaultDatabasePath();
    /// The demo data of a first start (window and headless export alike): big enough to look
    /// like a real product, small enough to be ready in a second or two.
    [[nodiscard]] static xeroml::server::DemoOptions defaultDemo();

Q_SIGNALS:
    void seeding(qint64 done, qint64 total);
    void ready(const Connection &connection);
    void failed(const QString &error);

private:
    QString m_dbPath;
    xeroml::server::DemoOptions m_demo;
    QThread m_thread;
};
