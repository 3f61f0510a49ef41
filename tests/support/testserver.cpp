// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/testserver.h"

using xeroml::server::LocalServer;

TestServer::TestServer() = default;
TestServer::~TestServer() = default;

bool TestServer::start(const xeroml::server::DemoOptions &options, QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    m_server = std::make_unique<LocalServer>();
    if (!m_server->open(dbPath(), error))
        return false;
    if (options.traces > 0 && !m_server->seedDemo(options, {}, error))
        return false;
    return m_server->listen(QHostAddress::LocalHost, 0, error);
}

QUrl TestServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()));
}

QString TestServer::dbPath() const
{
    return m_dir.filePath(QStringLiteral("test.db"));
}

xeroml::server::Credentials TestServer::credentials() const
{
    return m_server->credentials();
}
