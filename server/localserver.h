// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace xeroml::server {

/// Shape of the generated demo data set; the same options always give the same rows.
struct DemoOptions
{
    int users = 500;
    int traces = 20000;
    quint64 seed = 42;
    /// End of the generated time span (traces fall in the 90 days before it);
    /// invalid = the current UTC time truncated to the hour.
    QDateTime anchor;
};

/// A public/secret key pair for HTTP Basic auth.
struct Credentials
{
    QString publicKey;
    QString secretKey;
};

/// The local XeroML server: a SQLite store behind the public REST API of API.md.
/// Lives in one thread: create, open, seed and listen from the thread that owns it.
class LocalServer : public QObject
{
    Q_OBJECT
public:
    explicit LocalServer(QObject *parent = nullptr);
    ~LocalServer() override;

    /// Opens (creating when needed, mode 0600) the SQLite file and its schema.
    [[nodiscard]] bool open(const QString &dbPath, QString *error);
    /// True when the store holds no trace.
    [[nodiscard]] bool isEmpty() const;
    /// Adds the deterministic demo data set; progress(done, total) is called now and then.
    [[nodiscard]] bool seedDemo(const DemoOptions &options,
                                const std::function<void(qint64 done, qint64 total)> &progress,
                                QString *error);
    /// The key pair requests must carry: the one stored in the database (created on the
    /// first open with a random secret) unless setCredentials() replaced it.
    [[nodiscard]] Credentials credentials() const;
    void setCredentials(const Credentials &credentials);

    /// Starts serving; port 0 picks a free port (see port()).
    [[nodiscard]] bool listen(const QHostAddress &address, quint16 port, QString *error);
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] QString projectId() const;
    [[nodiscard]] QString projectName() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace xeroml::server
