// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/localserver.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>

/// A local XeroML server for tests: a fresh SQLite file in a temporary folder, seeded with
/// demo data, listening on 127.0.0.1 on a free port in the calling thread.
class TestServer
{
public:
    TestServer();
    ~TestServer();

    /// Opens the database, seeds it (unless options.traces == 0) and starts listening.
    [[nodiscard]] bool start(const xeroml::server::DemoOptions &options, QString *error);

    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] QString dbPath() const;
    [[nodiscard]] xeroml::server::Credentials credentials() const;
    [[nodiscard]] xeroml::server::LocalServer *server() const { return m_server.get(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<xeroml::server::LocalServer> m_server;
};
