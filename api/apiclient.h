// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apierror.h"
#include "api/connection.h"
#include "api/usersquery.h"
#include "api/usersummary.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>

#include <QNetworkReply>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

/// A request in flight. cancel() aborts it and guarantees its callback never runs, so a
/// reply that arrives after the query changed cannot touch a model.
class RequestHandle
{
public:
    RequestHandle() = default;
    explicit RequestHandle(QNetworkReply *reply)
        : m_reply(reply)
    {}

    void cancel();
    [[nodiscard]] bool isActive() const;

private:
    QPointer<QNetworkReply> m_reply;
};

/// The only code that speaks HTTP to a XeroML (or Langfuse-shaped) server: builds
/// authenticated requests, handles every reply in one place (status, errors, size cap,
/// decoding) and hands typed results to callbacks. Callbacks run in the client's thread
/// and are dropped when their context object is gone.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setConnection(const Connection &connection);
    [[nodiscard]] const Connection &connection() const { return m_connection; }

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }

    /// GET /api/public/health: the server's version.
    RequestHandle health(QObject *context, std::function<void(const ApiResult<QString> &)> done);
    /// GET /api/public/users: one page of per-user aggregates.
    RequestHandle users(const UsersQuery &query, QObject *context,
                        std::function<void(const ApiResult<Page<UserSummary>> &)> done);

    /// The User-Agent sent with every request.
    [[nodiscard]] static QString userAgent();

Q_SIGNALS:
    void connectionChanged();

private:
    using JsonCallback = std::function<void(const ApiResult<QJsonDocument> &)>;
    RequestHandle getJson(const QString &path, const QUrlQuery &query, QObject *context,
                          JsonCallback done);
    void handleReply(QNetworkReply *reply, const JsonCallback &done) const;

    QNetworkAccessManager m_network;
    Connection m_connection;
    std::chrono::milliseconds m_timeout{30000};
    qint64 m_maxResponseBytes = 64 * 1024 * 1024;
};
