// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A local server on a free port (optionally with a small demo data set) for the ingestion
// tests: POST / GET with the server's keys, plus a read-only SQL connection to the same file.
#include "server/localserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

#include <memory>

struct IngestReply
{
    int status = -1;
    QJsonObject json;
    QByteArray body;
};

class IngestFixture
{
public:
    /// Opens a fresh store (seeded with `demoTraces` demo traces when > 0) and listens.
    bool start(QString *error, int demoTraces = 0)
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary folder");
            return false;
        }
        m_server = std::make_unique<xeroml::server::LocalServer>();
        if (!m_server->open(dbPath(), error))
            return false;
        if (demoTraces > 0) {
            xeroml::server::DemoOptions options;
            options.users = 20;
            options.traces = demoTraces;
            options.seed = 3;
            options.anchor = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
            if (!m_server->seedDemo(options, {}, error))
                return false;
        }
        m_connection = QStringLiteral("ingest-fixture-") + QUuid::createUuid().toString();
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        m_db.setDatabaseName(dbPath());
        if (!m_db.open()) {
            *error = m_db.lastError().text();
            return false;
        }
        return m_server->listen(QHostAddress::LocalHost, 0, error);
    }

    ~IngestFixture()
    {
        if (m_db.isValid()) {
            m_db.close();
            m_db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connection);
        }
    }

    [[nodiscard]] QString dbPath() const { return m_dir.filePath(QStringLiteral("ingest.db")); }
    [[nodiscard]] QUrl url(const QString &encodedPath) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()) + encodedPath);
    }
    [[nodiscard]] QByteArray authorization() const
    {
        const auto keys = m_server->credentials();
        return "Basic " + (keys.publicKey + QLatin1Char(':') + keys.secretKey).toUtf8().toBase64();
    }

    [[nodiscard]] IngestReply get(const QString &encodedPath, const QUrlQuery &query = {})
    {
        QUrl target = url(encodedPath);
        if (!query.isEmpty())
            target.setQuery(query);
        QNetworkRequest request(target);
        request.setRawHeader("Authorization", authorization());
        return finish(m_nam.get(request));
    }

    /// POST with Content-Type application/json unless `headers` names another one.
    [[nodiscard]] IngestReply post(const QString &path, const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers = {},
                                   bool authorized = true)
    {
        QNetworkRequest request(url(path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (authorized)
            request.setRawHeader("Authorization", authorization());
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        return finish(m_nam.post(request, body));
    }
    [[nodiscard]] IngestReply post(const QString &path, const QJsonObject &body)
    {
        return post(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    [[nodiscard]] IngestReply batch(const QJsonArray &events)
    {
        return post(QStringLiteral("/api/public/ingestion"),
                    QJsonObject{{QLatin1String("batch"), events}});
    }

    /// The /users row of one user (empty when absent).
    [[nodiscard]] QJsonObject user(const QString &userId)
    {
        const IngestReply reply = get(QStringLiteral("/api/public/users/") +
                                      QString::fromLatin1(QUrl::toPercentEncoding(userId)));
        return reply.status == 200 ? reply.json : QJsonObject();
    }

    [[nodiscard]] qint64 scalar(const QString &statement, const QVariantList &binds = {})
    {
        QSqlQuery query(m_db);
        if (!query.prepare(statement))
            qFatal("prepare failed: %s", qPrintable(query.lastError().text()));
        for (const QVariant &value : binds)
            query.addBindValue(value);
        if (!query.exec())
            qFatal("query failed: %s", qPrintable(query.lastError().text()));
        return query.next() ? query.value(0).toLongLong() : -1;
    }

    [[nodiscard]] xeroml::server::LocalServer *server() const { return m_server.get(); }

private:
    static IngestReply finish(QNetworkReply *reply)
    {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        IngestReply result;
        if (reply->isFinished() || finished.wait(60000)) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            result.json = QJsonDocument::fromJson(result.body).object();
        }
        reply->deleteLater();
        return result;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<xeroml::server::LocalServer> m_server;
    QNetworkAccessManager m_nam;
    QString m_connection;
    QSqlDatabase m_db;
};
