// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/apiclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QHostAddress>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

Q_LOGGING_CATEGORY(lcApi, "xeroml.api", QtInfoMsg)

namespace {

constexpr const char *kTooLargeProperty = "xeroml_tooLarge";
constexpr const char *kTimerProperty = "xeroml_startedMs";

ApiError networkError(QNetworkReply::NetworkError code, const QString &detail)
{
    using K = ApiError::Kind;
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        return ApiError::make(K::Offline, QStringLiteral("The server refused the connection."),
                              detail);
    case QNetworkReply::HostNotFoundError:
        return ApiError::make(K::Offline, QStringLiteral("The server's name could not be found."),
                              detail);
    case QNetworkReply::RemoteHostClosedError:
        return ApiError::make(
            K::Offline, QStringLiteral("The server closed the connection unexpectedly."), detail);
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
        return ApiError::make(K::Tls, QStringLiteral("A secure connection could not be made."),
                              detail);
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // transfer timeout; user cancels never get here
        return ApiError::make(K::Timeout, QStringLiteral("The server did not answer in time."),
                              detail);
    default:
        return ApiError::make(K::Offline, QStringLiteral("The server could not be reached."),
                              detail);
    }
}

ApiError httpError(int status, const QByteArray &body, const QString &path)
{
    using K = ApiError::Kind;
    // The contract's error body is {"message","code"}; anything else is kept as detail only.
    const QString serverMessage =
        QJsonDocument::fromJson(body).object().value(QLatin1String("message")).toString();
    const QString detail =
        QStringLiteral("HTTP %1 on %2%3")
            .arg(status)
            .arg(path, serverMessage.isEmpty() ? QString() : QStringLiteral(": ") + serverMessage);
    switch (status) {
    case 401:
        return ApiError::make(K::Unauthorized, QStringLiteral("The server rejected the API keys."),
                              detail, status);
    case 403:
        return ApiError::make(K::Forbidden,
                              QStringLiteral("These API keys may not read this project."), detail,
                              status);
    case 404:
        return ApiError::make(K::NotFound, QStringLiteral("Not found on the server."), detail,
                              status);
    case 413:
        return ApiError::make(K::TooLarge, QStringLiteral("The request was too large."), detail,
                              status);
    case 429:
        return ApiError::make(K::RateLimited,
                              QStringLiteral("The server is rate limiting requests; try again "
                                             "shortly."),
                              detail, status);
    default:
        break;
    }
    if (status >= 500)
        return ApiError::make(K::Server,
                              QStringLiteral("The server had a problem (HTTP %1).").arg(status),
                              detail, status);
    return ApiError::make(
        K::BadRequest,
        serverMessage.isEmpty()
            ? QStringLiteral("The server did not accept the request (HTTP %1).").arg(status)
            : serverMessage,
        detail, status);
}

ApiError decodeError(const QString &path, const QString &what)
{
    return ApiError::make(ApiError::Kind::Decode,
                          QStringLiteral("The server's answer could not be read."),
                          QStringLiteral("%1: %2").arg(path, what));
}

} // namespace

void RequestHandle::cancel()
{
    if (!m_reply)
        return;
    m_reply->disconnect();
    m_reply->abort();
    m_reply->deleteLater();
    m_reply.clear();
}

bool RequestHandle::isActive() const
{
    return m_reply && m_reply->isRunning();
}

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
    m_network.setAutoDeleteReplies(false);
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

ApiClient::~ApiClient() = default;

void ApiClient::setConnection(const Connection &connection)
{
    m_connection = connection;
    // An http_proxy meant for the outside world must not catch the embedded local server.
    const QHostAddress host(connection.baseUrl.host());
    const bool loopback = host.isLoopback()
                          || connection.baseUrl.host().compare(QLatin1String("localhost"),
                                                               Qt::CaseInsensitive)
                                 == 0;
    m_network.setProxy(loopback ? QNetworkProxy(QNetworkProxy::NoProxy)
                                : QNetworkProxy(QNetworkProxy::DefaultProxy));
    Q_EMIT connectionChanged();
}

QString ApiClient::userAgent()
{
    return QStringLiteral("XeroML-Dashboard/%1 (Qt %2)")
        .arg(QLatin1String(XEROML_VERSION), QLatin1String(qVersion()));
}

RequestHandle ApiClient::getJson(const QString &path, const QUrlQuery &query, QObject *context,
                                 JsonCallback done)
{
    QUrl url = m_connection.baseUrl;
    QString basePath = url.path(QUrl::FullyEncoded);
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path, QUrl::TolerantMode);
    url.setQuery(query);

    QNetworkRequest request(url);
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    request.setRawHeader("Accept", "application/json");
    const QByteArray credentials =
        (m_connection.publicKey + QLatin1Char(':') + m_connection.secretKey).toUtf8();
    request.setRawHeader("Authorization", "Basic " + credentials.toBase64());

    QNetworkReply *reply = m_network.get(request);
    reply->setProperty(kTimerProperty, QDateTime::currentMSecsSinceEpoch());
    const qint64 cap = m_maxResponseBytes;
    // Refuse an oversized body as soon as it announces or reaches the cap, before it is
    // buffered in memory.
    auto checkSize = [reply, cap](qint64 bytes) {
        if (bytes > cap && !reply->property(kTooLargeProperty).toBool()) {
            reply->setProperty(kTooLargeProperty, true);
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, checkSize] {
        checkSize(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, reply,
            [checkSize](qint64 received, qint64) { checkSize(received); });
    connect(reply, &QNetworkReply::finished, context ? context : this,
            [this, reply, done = std::move(done)] { handleReply(reply, done); });
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    return RequestHandle(reply);
}

void ApiClient::handleReply(QNetworkReply *reply, const JsonCallback &done) const
{
    const QString path = reply->url().path();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const qint64 elapsed =
        QDateTime::currentMSecsSinceEpoch() - reply->property(kTimerProperty).toLongLong();

    if (reply->property(kTooLargeProperty).toBool()) {
        qCWarning(lcApi) << "GET" << path << "refused: body over" << m_maxResponseBytes << "bytes";
        return done(ApiError::make(
            ApiError::Kind::TooLarge, QStringLiteral("The server's answer was too large."),
            QStringLiteral("%1: body over %2 bytes").arg(path).arg(m_maxResponseBytes), status));
    }
    if (status == 0 && reply->error() != QNetworkReply::NoError) {
        qCWarning(lcApi) << "GET" << path << "failed after" << elapsed
                         << "ms:" << reply->errorString();
        return done(
            networkError(reply->error(), QStringLiteral("%1: %2").arg(path, reply->errorString())));
    }
    const QByteArray body = reply->readAll();
    qCDebug(lcApi) << "GET" << path << status << body.size() << "bytes in" << elapsed << "ms";
    if (status < 200 || status >= 300)
        return done(httpError(status, body, path));

    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return done(decodeError(path, QStringLiteral("invalid JSON at offset %1: %2")
                                          .arg(parseError.offset)
                                          .arg(parseError.errorString())));
    done(doc);
}

RequestHandle ApiClient::health(QObject *context,
                                std::function<void(const ApiResult<QString> &)> done)
{
    return getJson(QStringLiteral("/api/public/health"), {}, context,
                   [done = std::move(done)](const ApiResult<QJsonDocument> &result) {
                       if (!result.ok())
                           return done(result.error());
                       const QJsonValue version =
                           result.value().object().value(QLatin1String("version"));
                       if (!version.isString())
                           return done(decodeError(QStringLiteral("/api/public/health"),
                                                   QStringLiteral("version: missing")));
                       done(version.toString());
                   });
}

RequestHandle ApiClient::users(const UsersQuery &query, QObject *context,
                               std::function<void(const ApiResult<Page<UserSummary>> &)> done)
{
    const QString path = QStringLiteral("/api/public/users");
    return getJson(
        path, query.toUrlQuery(), context,
        [path, done = std::move(done)](const ApiResult<QJsonDocument> &result) {
            if (!result.ok())
                return done(result.error());
            const QJsonObject root = result.value().object();
            const QJsonValue data = root.value(QLatin1String("data"));
            if (!data.isArray())
                return done(decodeError(path, QStringLiteral("data: expected an array")));
            Page<UserSummary> page;
            QString error;
            const auto meta =
                PageMeta::fromJson(root.value(QLatin1String("meta")).toObject(), &error);
            if (!meta)
                return done(decodeError(path, error));
            page.meta = *meta;
            const QJsonArray rows = data.toArray();
            page.items.reserve(rows.size());
            for (qsizetype i = 0; i < rows.size(); ++i) {
                if (!rows.at(i).isObject())
                    return done(
                        decodeError(path, QStringLiteral("data[%1]: expected an object").arg(i)));
                auto user = UserSummary::fromJson(rows.at(i).toObject(), &error);
                if (!user)
                    return done(decodeError(path, QStringLiteral("data[%1].%2").arg(i).arg(error)));
                page.items.append(std::move(*user));
            }
            done(page);
        });
}
