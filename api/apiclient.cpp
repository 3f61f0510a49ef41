// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/apiclient.h"

#include "api/apicall_p.h"
#include "api/decode.h"
#include "api/urlencoding.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>

#include <algorithm>
#include <optional>

Q_LOGGING_CATEGORY(lcApi, "xeroml.api", QtInfoMsg)

namespace {

ApiError networkError(QNetworkReply::NetworkError code, bool gotStatus, const QString &detail)
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
        return ApiError::make(K::Offline,
                              gotStatus ? QStringLiteral("The connection broke before the whole "
                                                         "answer arrived.")
                                        : QStringLiteral("The server closed the connection "
                                                         "unexpectedly."),
                              detail);
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
        return ApiError::make(K::Tls, QStringLiteral("A secure connection could not be made."),
                              detail);
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // transfer timeout; user cancels never get here
        return ApiError::make(K::Timeout, QStringLiteral("The server did not answer in time."),
                              detail);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return ApiError::make(K::Offline, QStringLiteral("The network is not available."), detail);
    default:
        return ApiError::make(K::Offline, QStringLiteral("The server could not be reached."),
                              detail);
    }
}

// Failures where the request most likely never reached the application: worth a retry.
bool isTransientNetworkError(QNetworkReply::NetworkError code)
{
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
        return true;
    default:
        return false;
    }
}

ApiError httpError(int status, const QByteArray &body, const QString &path)
{
    using K = ApiError::Kind;
    // The contract's error body is {"message","code"}; anything else is kept as detail only.
    const QString serverMessage = QJsonDocument::fromJson(body.left(64 * 1024))
                                      .object()
                                      .value(QLatin1String("message"))
                                      .toString()
                                      .left(500);
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
        return ApiError::make(
            K::Server,
            status == 503 ? QStringLiteral("The server is unavailable right now.")
                          : QStringLiteral("The server had a problem (HTTP %1).").arg(status),
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

// Retry-After is delay-seconds or an HTTP-date (RFC 9110).
std::optional<qint64> retryAfterMs(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(seconds * 1000);
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), else the RFC 2822 forms Qt knows.
    QDateTime at = QLocale::c().toDateTime(QString::fromLatin1(v),
                                           QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (at.isValid())
        at.setTimeSpec(Qt::UTC);
    else
        at = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!at.isValid())
        return std::nullopt;
    return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at));
}

template<typename T, typename Decode>
std::function<void(const ApiResult<QJsonDocument> &)>
typed(const QString &path, ApiClient::Callback<T> done, Decode decode)
{
    return [path, done = std::move(done), decode](const ApiResult<QJsonDocument> &result) {
        if (!result.ok())
            return done(result.error());
        QString error;
        std::optional<T> value = decode(result.value(), &error);
        if (!value) {
            qCWarning(lcApi) << "decoding" << path << "failed:" << error;
            return done(decodeError(path, error));
        }
        done(std::move(*value));
    };
}

} // namespace

// --- RequestHandle, ApiCall -----------------------------------------------------------------

RequestHandle::RequestHandle(QNetworkReply *reply)
    : m_request(reply)
{}

RequestHandle::RequestHandle(ApiCall *call)
    : m_request(call)
{}

void RequestHandle::cancel()
{
    if (auto *call = dynamic_cast<ApiCall *>(m_request.data())) {
        call->cancel();
    } else if (auto *reply = qobject_cast<QNetworkReply *>(m_request.data())) {
        reply->disconnect();
        reply->abort();
        reply->deleteLater();
    }
    m_request.clear();
}

bool RequestHandle::isActive() const
{
    if (auto *call = dynamic_cast<ApiCall *>(m_request.data()))
        return call->isActive();
    if (auto *reply = qobject_cast<QNetworkReply *>(m_request.data()))
        return reply->isRunning();
    return false;
}

ApiCall::ApiCall(ApiClient *client, QObject *context)
    : QObject(client)
    , m_client(client)
    , m_context(context)
    , m_hasContext(context != nullptr)
{
    retryTimer.setSingleShot(true);
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer);
    if (context)
        connect(context, &QObject::destroyed, this, &ApiCall::cancel);
}

void ApiCall::cancel()
{
    if (m_finished)
        return;
    m_finished = true;
    retryTimer.stop();
    deadline.stop();
    const auto children = std::exchange(m_children, {});
    for (RequestHandle child : children)
        child.cancel();
    if (m_client)
        m_client->m_queue.removeAll(QPointer<ApiCall>(this));
    if (reply) {
        QObject::disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
        reply.clear();
    }
    if (running && m_client) {
        m_client->release(this);
        m_client->pump();
    }
    deleteLater();
}

void ApiCall::abandon()
{
    m_finished = true;
    retryTimer.stop();
    deadline.stop();
    if (reply) {
        QObject::disconnect(reply, nullptr, this, nullptr);
        reply->abort();
    }
}

bool ApiCall::finish()
{
    if (m_finished)
        return false;
    m_finished = true;
    retryTimer.stop();
    deadline.stop();
    deleteLater();
    return !m_hasContext || m_context;
}

// --- ApiClient ------------------------------------------------------------------------------

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
    m_network.setAutoDeleteReplies(false);
    m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

ApiClient::~ApiClient()
{
    // Calls are children of this object; end them before the network manager goes, so no
    // abort below can reach a callback.
    const auto calls = findChildren<ApiCall *>(Qt::FindDirectChildrenOnly);
    for (ApiCall *call : calls)
        call->abandon();
    qDeleteAll(calls);
}

void ApiClient::setConnection(const Connection &connection)
{
    m_connection = connection;
    m_usersMissing = false;
    m_fallbackCache.reset();
    // An http_proxy meant for the outside world must not catch the embedded local server.
    const QHostAddress host(connection.baseUrl.host());
    const bool loopback =
        host.isLoopback() ||
        connection.baseUrl.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0;
    m_network.setProxy(loopback ? QNetworkProxy(QNetworkProxy::NoProxy)
                                : QNetworkProxy(QNetworkProxy::DefaultProxy));
    Q_EMIT connectionChanged();
}

void ApiClient::setMaxConcurrentRequests(int count)
{
    m_maxConcurrent = std::max(1, count);
    pump();
}

QString ApiClient::userAgent()
{
    return QStringLiteral("XeroML-Dashboard/%1 (Qt %2)")
        .arg(QLatin1String(XEROML_VERSION), QLatin1String(qVersion()));
}

RequestHandle ApiClient::send(Spec spec, QObject *context, JsonCallback done)
{
    auto *call = new ApiCall(this, context);
    call->spec = std::move(spec);
    call->done = std::move(done);
    connect(&call->retryTimer, &QTimer::timeout, call, [this, call] { enqueue(call); });
    connect(&call->deadline, &QTimer::timeout, call, [call] {
        call->timedOut = true;
        if (call->reply)
            call->reply->abort();
    });
    enqueue(call);
    return RequestHandle(call);
}

RequestHandle ApiClient::getJson(const QString &path, const QUrlQuery &query, QObject *context,
                                 JsonCallback done)
{
    return send({QByteArrayLiteral("GET"), path, query, {}}, context, std::move(done));
}

void ApiClient::enqueue(ApiCall *call)
{
    if (m_running < m_maxConcurrent)
        start(call);
    else
        m_queue.append(call);
}

void ApiClient::pump()
{
    while (m_running < m_maxConcurrent && !m_queue.isEmpty()) {
        QPointer<ApiCall> next = m_queue.takeFirst();
        if (next && next->isActive())
            start(next);
    }
}

void ApiClient::release(ApiCall *call)
{
    if (call->running) {
        call->running = false;
        --m_running;
    }
}

void ApiClient::start(ApiCall *call)
{
    QUrl url = m_connection.baseUrl;
    QString basePath = url.path(QUrl::FullyEncoded);
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + call->spec.path, QUrl::TolerantMode);
    url.setQuery(call->spec.query);

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    request.setRawHeader("Accept", "application/json");
    // No Accept-Encoding here: QNetworkAccessManager then asks for gzip/deflate itself and
    // decodes the body (with its decompression-bomb check).
    const QByteArray credentials =
        (m_connection.publicKey + QLatin1Char(':') + m_connection.secretKey).toUtf8();
    request.setRawHeader("Authorization", "Basic " + credentials.toBase64());

    ++call->attempts;
    call->tooLarge = false;
    call->timedOut = false;
    call->running = true;
    ++m_running;
    call->clock.start();
    QNetworkReply *reply = nullptr;
    if (call->spec.verb == "POST") {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        reply = m_network.post(request, call->spec.body);
    } else {
        reply = m_network.get(request);
    }
    call->reply = reply;
    call->deadline.start(m_timeout);

    const qint64 cap = m_maxResponseBytes;
    // Refuse an oversized body as soon as it announces or reaches the cap, before it is
    // buffered in memory.
    auto checkSize = [call, cap](qint64 bytes) {
        if (bytes > cap && !call->tooLarge && call->reply) {
            call->tooLarge = true;
            call->reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, call, [reply, checkSize] {
        checkSize(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, call,
            [checkSize](qint64 received, qint64) { checkSize(received); });
    connect(reply, &QNetworkReply::finished, call, [this, call] { attemptFinished(call); });
}

void ApiClient::attemptFinished(ApiCall *call)
{
    QNetworkReply *reply = call->reply;
    call->reply.clear();
    call->deadline.stop();
    release(call);
    reply->deleteLater();

    const QByteArray verb = call->spec.verb;
    const QString path = reply->url().path();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const qint64 elapsed = call->clock.elapsed();
    const QNetworkReply::NetworkError netError = reply->error();

    std::optional<ApiError> error;
    bool transient = false;
    std::optional<qint64> retryAfter;
    QJsonDocument doc;
    if (call->tooLarge) {
        error = ApiError::make(
            ApiError::Kind::TooLarge, QStringLiteral("The server's answer was too large."),
            QStringLiteral("%1: body over %2 bytes").arg(path).arg(m_maxResponseBytes), status);
    } else if (call->timedOut) {
        error = ApiError::make(
            ApiError::Kind::Timeout, QStringLiteral("The server did not answer in time."),
            QStringLiteral("%1: no complete answer within %2 ms").arg(path).arg(m_timeout.count()),
            status);
    } else if (netError != QNetworkReply::NoError && (status == 0 || int(netError) < 100)) {
        // Below 100 the connection itself failed, even when a status line had arrived (a
        // body cut short).
        error = networkError(netError, status != 0,
                             QStringLiteral("%1: %2").arg(path, reply->errorString()));
        transient = isTransientNetworkError(netError);
    } else {
        const QByteArray body = reply->readAll();
        qCDebug(lcApi).noquote() << verb << path << status << body.size() << "bytes in" << elapsed
                                 << "ms";
        if (status < 200 || status >= 300) {
            error = httpError(status, body, path);
            transient = status == 429 || status == 502 || status == 503 || status == 504;
            retryAfter = retryAfterMs(reply->rawHeader("Retry-After"));
        } else {
            QJsonParseError parseError{};
            doc = QJsonDocument::fromJson(body, &parseError);
            if (parseError.error != QJsonParseError::NoError)
                error = decodeError(path, QStringLiteral("invalid JSON at offset %1: %2")
                                              .arg(parseError.offset)
                                              .arg(parseError.errorString()));
        }
    }

    if (error && transient && verb == "GET" && call->attempts < m_retry.maxAttempts) {
        const qint64 base = m_retry.baseDelay.count() << std::min(call->attempts - 1, 20);
        const qint64 backoff = std::min<qint64>(base, m_retry.maxDelay.count());
        // Equal jitter: half fixed, half random, so clients that failed together spread out.
        qint64 delay =
            backoff / 2 + qint64(QRandomGenerator::global()->bounded(double(backoff / 2 + 1)));
        if (retryAfter)
            delay = *retryAfter;
        if (delay <= m_retry.maxDelay.count() &&
            call->waitedMs + delay <= m_retry.maxTotalDelay.count()) {
            call->waitedMs += delay;
            qCInfo(lcApi).nospace().noquote()
                << verb << " " << path << ": " << error->detail << "; retry " << call->attempts
                << " of " << m_retry.maxAttempts - 1 << " in " << delay << " ms";
            call->retryTimer.start(int(delay));
            pump();
            return;
        }
        if (retryAfter)
            error->detail += QStringLiteral(" (Retry-After %1 s is beyond the retry budget)")
                                 .arg(*retryAfter / 1000);
    }
    if (error) {
        if (call->attempts > 1)
            error->detail += QStringLiteral(" (after %1 attempts)").arg(call->attempts);
        qCWarning(lcApi).noquote()
            << verb << path << "failed after" << elapsed << "ms:" << error->detail;
    }

    pump();
    JsonCallback done = std::move(call->done);
    if (!call->finish())
        return;
    // Nothing after this line may touch `this`: a callback may delete the client.
    if (error)
        done(*error);
    else
        done(doc);
}

// --- Endpoints ------------------------------------------------------------------------------

RequestHandle ApiClient::health(QObject *context, Callback<QString> done)
{
    const QString path = QStringLiteral("/api/public/health");
    return getJson(
        path, {}, context,
        typed<QString>(path, std::move(done), [](const QJsonDocument &doc, QString *error) {
            const QJsonValue version = doc.object().value(QLatin1String("version"));
            if (!version.isString()) {
                *error = QStringLiteral("version: missing");
                return std::optional<QString>();
            }
            return std::optional<QString>(version.toString());
        }));
}

RequestHandle ApiClient::projects(QObject *context, Callback<QList<Project>> done)
{
    const QString path = QStringLiteral("/api/public/projects");
    return getJson(path, {}, context,
                   typed<QList<Project>>(path, std::move(done), &decodeDataList<Project>));
}

RequestHandle ApiClient::users(const UsersQuery &query, QObject *context,
                               std::function<void(const ApiResult<Page<UserSummary>> &)> done)
{
    if (m_usersMissing)
        return usersFallback(query, context, std::move(done));
    const QString path = QStringLiteral("/api/public/users");
    // A group, so that cancelling covers the fallback requests started on a 404.
    auto *group = new ApiCall(this, context);
    QPointer<ApiCall> guard(group);
    auto shared = std::make_shared<Callback<Page<UserSummary>>>(std::move(done));
    auto deliver = [guard, shared](const ApiResult<Page<UserSummary>> &result) {
        if (guard && guard->finish())
            (*shared)(result);
    };
    group->adopt(
        getJson(path, query.toUrlQuery(), group,
                typed<Page<UserSummary>>(
                    path,
                    [this, guard, query, deliver](const ApiResult<Page<UserSummary>> &result) {
                        if (!result.ok() && result.error().httpStatus == 404 && guard) {
                            qCInfo(lcApi) << "GET /api/public/users"
                                          << "answered 404: using the Metrics fallback";
                            m_usersMissing = true;
                            guard->adopt(usersFallback(query, guard.data(), deliver));
                            return;
                        }
                        deliver(result);
                    },
                    &decodePage<UserSummary>)));
    return RequestHandle(group);
}

RequestHandle ApiClient::user(const QString &userId, const UserScope &scope, QObject *context,
                              Callback<UserSummary> done)
{
    const QString path = QStringLiteral("/api/public/users/") + encodePathSegment(userId);
    return getJson(path, scope.toUrlQuery(), context,
                   typed<UserSummary>(path, std::move(done), &decodeObject<UserSummary>));
}

RequestHandle ApiClient::traces(const TracesQuery &query, QObject *context,
                                Callback<Page<TraceSummary>> done)
{
    const QString path = QStringLiteral("/api/public/traces");
    return getJson(path, query.toUrlQuery(), context,
                   typed<Page<TraceSummary>>(path, std::move(done), &decodePage<TraceSummary>));
}

RequestHandle ApiClient::trace(const QString &traceId, QObject *context, Callback<TraceDetail> done)
{
    const QString path = QStringLiteral("/api/public/traces/") + encodePathSegment(traceId);
    return getJson(path, {}, context,
                   typed<TraceDetail>(path, std::move(done), &decodeObject<TraceDetail>));
}

RequestHandle ApiClient::sessions(const SessionsQuery &query, QObject *context,
                                  Callback<Page<SessionSummary>> done)
{
    const QString path = QStringLiteral("/api/public/sessions");
    return getJson(path, query.toUrlQuery(), context,
                   typed<Page<SessionSummary>>(path, std::move(done), &decodePage<SessionSummary>));
}

RequestHandle ApiClient::session(const QString &sessionId, QObject *context,
                                 Callback<SessionDetail> done)
{
    const QString path = QStringLiteral("/api/public/sessions/") + encodePathSegment(sessionId);
    return getJson(path, {}, context,
                   typed<SessionDetail>(path, std::move(done), &decodeObject<SessionDetail>));
}

RequestHandle ApiClient::scores(const ScoresQuery &query, QObject *context,
                                Callback<Page<Score>> done)
{
    const QString path = QStringLiteral("/api/public/v2/scores");
    return getJson(path, query.toUrlQuery(), context,
                   typed<Page<Score>>(path, std::move(done), &decodePage<Score>));
}

RequestHandle ApiClient::dailyMetrics(const DailyMetricsQuery &query, QObject *context,
                                      Callback<Page<DailyMetrics>> done)
{
    const QString path = QStringLiteral("/api/public/metrics/daily");
    return getJson(path, query.toUrlQuery(), context,
                   typed<Page<DailyMetrics>>(path, std::move(done), &decodePage<DailyMetrics>));
}

RequestHandle ApiClient::metrics(const MetricsQuery &query, QObject *context,
                                 Callback<QList<MetricsRow>> done)
{
    const QString path = QStringLiteral("/api/public/metrics");
    QUrlQuery q;
    addQueryValue(q, QStringLiteral("query"),
                  QString::fromUtf8(QJsonDocument(query.toJson()).toJson(QJsonDocument::Compact)));
    return getJson(path, q, context,
                   typed<QList<MetricsRow>>(path, std::move(done),
                                            [query](const QJsonDocument &doc, QString *error) {
                                                return decodeMetricsRows(doc, query, error);
                                            }));
}

RequestHandle ApiClient::userCostHistogram(const UsersQuery &filter, QObject *context,
                                           Callback<UserCostHistogram> done)
{
    const QString path = QStringLiteral("/api/public/metrics/user-cost-histogram");
    return getJson(
        path, UserCostHistogram::urlQuery(filter), context,
        typed<UserCostHistogram>(path, std::move(done), &decodeObject<UserCostHistogram>));
}

RequestHandle ApiClient::createScore(const ScoreInput &score, QObject *context,
                                     Callback<QString> done)
{
    const QString path = QStringLiteral("/api/public/scores");
    return send({QByteArrayLiteral("POST"),
                 path,
                 {},
                 QJsonDocument(score.toJson()).toJson(QJsonDocument::Compact)},
                context,
                typed<QString>(path, std::move(done), [](const QJsonDocument &doc, QString *error) {
                    const QJsonValue id = doc.object().value(QLatin1String("id"));
                    if (!id.isString()) {
                        *error = QStringLiteral("id: missing");
                        return std::optional<QString>();
                    }
                    return std::optional<QString>(id.toString());
                }));
}
