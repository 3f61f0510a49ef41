// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A seeded local server on a free port plus a read-only SQL connection to the same file, for
// the server tests that compare API answers with aggregates computed from the raw rows.
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

#include <functional>
#include <memory>

struct Reply
{
    int status = -1;
    QJsonObject json;
    QByteArray body;
};

class ServerFixture
{
public:
    /// Opens and seeds the store, runs `beforeListen` (extra rows written with a separate
    /// connection), then serves on a free port.
    bool start(int users, int traces, quint64 seed, QString *error,
               const std::function<bool(QSqlDatabase &)> &beforeListen = {})
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary folder");
            return false;
        }
        m_server = std::make_unique<xeroml::server::LocalServer>();
        xeroml::server::DemoOptions options;
        options.users = users;
        options.traces = traces;
        options.seed = seed;
        options.anchor = anchor();
        if (!m_server->open(dbPath(), error) || !m_server->seedDemo(options, {}, error))
            return false;
        m_connection = QStringLiteral("fixture-") + QUuid::createUuid().toString();
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        m_db.setDatabaseName(dbPath());
        if (!m_db.open()) {
            *error = m_db.lastError().text();
            return false;
        }
        if (beforeListen && !beforeListen(m_db)) {
            *error = QStringLiteral("preparing extra rows failed");
            return false;
        }
        return m_server->listen(QHostAddress::LocalHost, 0, error);
    }

    ~ServerFixture()
    {
        if (m_db.isValid()) {
            m_db.close();
            m_db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connection);
        }
    }

    [[nodiscard]] static QDateTime anchor()
    {
        return QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
    }
    [[nodiscard]] QString dbPath() const { return m_dir.filePath(QStringLiteral("test.db")); }
    [[nodiscard]] QSqlDatabase &db() { return m_db; }

    /// GET of a path (already percent-encoded where needed) with a query.
    [[nodiscard]] Reply get(const QString &encodedPath, const QUrlQuery &query = QUrlQuery())
    {
        QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()) + encodedPath);
        if (!query.isEmpty())
            url.setQuery(query);
        QNetworkRequest request(url);
        const auto keys = m_server->credentials();
        request.setRawHeader(
            "Authorization",
            "Basic " + (keys.publicKey + QLatin1Char(':') + keys.secretKey).toUtf8().toBase64());
        QNetworkReply *reply = m_nam.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        Reply result;
        if (reply->isFinished() || finished.wait(60000)) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.body = reply->readAll();
            result.json = QJsonDocument::fromJson(result.body).object();
        }
        reply->deleteLater();
        return result;
    }

    /// Runs SQL on the raw rows; aborts the test program on an SQL error (a broken test).
    [[nodiscard]] QSqlQuery sql(const QString &statement, const QVariantList &binds = {})
    {
        QSqlQuery query(m_db);
        if (!query.prepare(statement))
            qFatal("prepare failed: %s: %s", qPrintable(statement),
                   qPrintable(query.lastError().text()));
        for (const QVariant &value : binds)
            query.addBindValue(value);
        if (!query.exec())
            qFatal("query failed: %s", qPrintable(query.lastError().text()));
        return query;
    }

    [[nodiscard]] qint64 scalar(const QString &statement, const QVariantList &binds = {})
    {
        QSqlQuery query = sql(statement, binds);
        return query.next() ? query.value(0).toLongLong() : -1;
    }

    /// Every page of a paged endpoint; fails the current test on duplicates or bad meta.
    [[nodiscard]] QJsonArray fetchAll(const QString &path, const QUrlQuery &query, int limit,
                                      const QString &idKey = QStringLiteral("id"))
    {
        QJsonArray all;
        QSet<QString> seen;
        for (int page = 1;; ++page) {
            QUrlQuery paged = query;
            paged.addQueryItem(QStringLiteral("limit"), QString::number(limit));
            paged.addQueryItem(QStringLiteral("page"), QString::number(page));
            const Reply reply = get(path, paged);
            if (reply.status != 200) {
                qWarning() << path << paged.toString() << reply.status << reply.body;
                return {};
            }
            const QJsonObject meta = reply.json.value(QLatin1String("meta")).toObject();
            const QJsonArray data = reply.json.value(QLatin1String("data")).toArray();
            const qint64 total = meta.value(QLatin1String("totalItems")).toInteger();
            if (meta.value(QLatin1String("page")).toInt() != page ||
                meta.value(QLatin1String("limit")).toInt() != limit ||
                meta.value(QLatin1String("totalPages")).toInteger() !=
                    (total + limit - 1) / limit) {
                qWarning() << "bad meta" << meta;
                return {};
            }
            for (const QJsonValue &value : data) {
                const QString id = value.toObject().value(idKey).toString();
                if (seen.contains(id)) {
                    qWarning() << id << "on two pages";
                    return {};
                }
                seen.insert(id);
                all.append(value);
            }
            if (static_cast<qint64>(page) * limit >= total) {
                if (all.size() != total) {
                    qWarning() << "got" << all.size() << "of" << total;
                    return {};
                }
                return all;
            }
            if (data.size() != limit) {
                qWarning() << "short page" << page;
                return {};
            }
        }
    }

    [[nodiscard]] static QString iso(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
    }
    [[nodiscard]] static QString encoded(const QString &id)
    {
        return QString::fromLatin1(QUrl::toPercentEncoding(id));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<xeroml::server::LocalServer> m_server;
    QNetworkAccessManager m_nam;
    QString m_connection;
    QSqlDatabase m_db;
};
