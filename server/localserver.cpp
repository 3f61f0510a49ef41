// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/localserver.h"

#include "server/costhistogram.h"
#include "server/demogenerator.h"
#include "server/ingestor.h"
#include "server/ingestqueue.h"
#include "server/logging.h"
#include "server/metricsquery.h"
#include "server/queryparams.h"
#include "server/readapi.h"
#include "server/store.h"
#include "server/usersrequest.h"
#include "server/writeapi.h"

#include <QCryptographicHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThreadPool>
#include <QUrlQuery>

#include <functional>
#include <map>
#include <optional>

namespace xeroml::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

const QLatin1String kUsersPrefix("/api/public/users/");
const QLatin1String kTracesPrefix("/api/public/traces/");
const QLatin1String kSessionsPrefix("/api/public/sessions/");

QHttpServerResponse errorResponse(StatusCode status, const QString &code, const QString &message)
{
    return QHttpServerResponse(
        QJsonObject{{QLatin1String("message"), message}, {QLatin1String("code"), code}}, status);
}

QHttpServerResponse invalidRequest(const QString &message)
{
    return errorResponse(StatusCode::BadRequest, QStringLiteral("invalid_request"), message);
}

// Equal-time comparison: hashing first makes the loop length independent of both inputs.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff |= static_cast<unsigned char>(ha[i] ^ hb[i]);
    return diff == 0;
}

// Replies go out with TCP_NODELAY: a response written as header + body segments must not wait
// for the client's delayed ACK (Nagle), which costs 40 ms per request on Linux.
class LowDelayTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        addPendingConnection(socket);
    }
};

} // namespace

struct LocalServer::Private
{
    Store store;
    Ingestor ingestor{store};
    WriteApi writeApi{ingestor};
    Credentials credentials;
    QHttpServer *http = nullptr;
    quint16 port = 0;

    [[nodiscard]] bool authorized(const QHttpServerRequest &request) const;
    [[nodiscard]] QHttpServerResponse unauthorized() const;
    [[nodiscard]] QHttpServerResponse health() const;
    [[nodiscard]] QHttpServerResponse projects(const QHttpServerRequest &request) const;
    [[nodiscard]] QHttpServerResponse users(const QHttpServerRequest &request) const;
    [[nodiscard]] QHttpServerResponse user(const QHttpServerRequest &request,
                                           const QString &userId) const;
    [[nodiscard]] QHttpServerResponse fallback(const QHttpServerRequest &request) const;
    IngestQueue *ingestQueue = nullptr;
    /// Decodes write requests (JSON parse, OTLP mapping) while this thread writes the previous.
    QThreadPool decoders;
    /// Responders of requests being decoded, by ticket.
    std::map<quint64, std::pair<std::unique_ptr<QHttpServerResponder>, QPointer<QTcpSocket>>>
        decoding;
    quint64 nextTicket = 0;
    /// Checks auth, then decodes on a worker; refused requests are answered at once, the others
    /// queued for group commit.
    void write(const QHttpServerRequest &request, QHttpServerResponder &&responder,
               WriteApi::Prepared (*prepare)(const WriteApi::Request &));
    void decoded(quint64 ticket, WriteApi::Prepared prepared);
    /// Runs one ReadApi / metrics call behind the auth check.
    [[nodiscard]] QHttpServerResponse
    read(const QHttpServerRequest &request,
         const std::function<ApiReply(const ReadApi &)> &call) const;
};

QHttpServerResponse
LocalServer::Private::read(const QHttpServerRequest &request,
                           const std::function<ApiReply(const ReadApi &)> &call) const
{
    if (!authorized(request))
        return unauthorized();
    const ReadApi api(store.database(), store.metaValue(QStringLiteral("project_id")));
    const ApiReply reply = call(api);
    return QHttpServerResponse(reply.json, reply.status);
}

void LocalServer::Private::write(const QHttpServerRequest &request,
                                 QHttpServerResponder &&responder,
                                 WriteApi::Prepared (*prepare)(const WriteApi::Request &))
{
    if (!authorized(request)) {
        unauthorized().write(std::move(responder));
        return;
    }
    const quint64 ticket = ++nextTicket;
    QPointer<QTcpSocket> socket = responder.socket();
    decoding.emplace(
        ticket,
        std::make_pair(std::make_unique<QHttpServerResponder>(std::move(responder)), socket));
    Private *p = this;
    IngestQueue *queue = ingestQueue;
    decoders.start([p, queue, ticket, prepare, input = WriteApi::Request::from(request)] {
        WriteApi::Prepared prepared = prepare(input);
        // Back on the server's thread; dropped if the server is gone (it waits for us first).
        QMetaObject::invokeMethod(
            queue,
            [p, ticket, prepared = std::move(prepared)]() mutable {
                p->decoded(ticket, std::move(prepared));
            },
            Qt::QueuedConnection);
    });
}

void LocalServer::Private::decoded(quint64 ticket, WriteApi::Prepared prepared)
{
    const auto it = decoding.find(ticket);
    if (it == decoding.end())
        return;
    std::unique_ptr<QHttpServerResponder> responder = std::move(it->second.first);
    const bool connected = !it->second.second.isNull();
    decoding.erase(it);
    if (!connected)
        return; // the client hung up meanwhile
    if (prepared.reply) {
        QHttpServerResponse(prepared.reply->json, prepared.reply->status)
            .write(std::move(*responder));
        return;
    }
    ingestQueue->submit(std::move(prepared.job), std::move(*responder));
}

bool LocalServer::Private::authorized(const QHttpServerRequest &request) const
{
    if (credentials.secretKey.isEmpty())
        return false;
    QByteArray header;
    for (const auto &[name, value] : request.headers()) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            header = value;
    }
    if (!header.startsWith("Basic ") && !header.startsWith("basic "))
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(header.mid(6).trimmed(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QByteArray &pair = *decoded;
    const qsizetype colon = pair.indexOf(':');
    if (colon < 0)
        return false;
    const bool publicOk = pair.left(colon) == credentials.publicKey.toUtf8();
    const bool secretOk = sameSecret(pair.mid(colon + 1), credentials.secretKey.toUtf8());
    return publicOk && secretOk;
}

QHttpServerResponse LocalServer::Private::unauthorized() const
{
    QHttpServerResponse response = errorResponse(
        StatusCode::Unauthorized, QStringLiteral("unauthorized"),
        QStringLiteral("Invalid or missing credentials: use HTTP Basic auth with the public key "
                       "as user name and the secret key as password"));
    response.setHeader("WWW-Authenticate", "Basic realm=\"XeroML\"");
    return response;
}

QHttpServerResponse LocalServer::Private::health() const
{
    return QHttpServerResponse(
        QJsonObject{{QLatin1String("status"), QStringLiteral("OK")},
                    {QLatin1String("version"), QStringLiteral(XEROML_VERSION)}});
}

QHttpServerResponse LocalServer::Private::projects(const QHttpServerRequest &request) const
{
    if (!authorized(request))
        return unauthorized();
    const QJsonObject project{
        {QLatin1String("id"), store.metaValue(QStringLiteral("project_id"))},
        {QLatin1String("name"), store.metaValue(QStringLiteral("project_name"))},
        {QLatin1String("metadata"), QJsonObject()}};
    return QHttpServerResponse(QJsonObject{{QLatin1String("data"), QJsonArray{project}}});
}

QHttpServerResponse LocalServer::Private::users(const QHttpServerRequest &request) const
{
    if (!authorized(request))
        return unauthorized();
    QString error;
    QueryParams params(request.query());
    if (!params.checkKeys({QStringLiteral("page"), QStringLiteral("limit"),
                           QStringLiteral("orderBy"), QStringLiteral("search"),
                           QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp")},
                          {QStringLiteral("environment")}))
        return invalidRequest(params.error());
    const auto parsed = UsersRequest::fromQuery(request.query(), true, &error);
    if (!parsed)
        return invalidRequest(error);
    const auto page = store.users(*parsed, &error);
    if (!page) {
        qCWarning(lcServer) << "users query failed:" << error;
        return errorResponse(StatusCode::InternalServerError, QStringLiteral("internal"),
                             QStringLiteral("The users query failed"));
    }
    const qint64 totalPages = (page->totalItems + parsed->limit - 1) / parsed->limit;
    const QJsonObject meta{{QLatin1String("page"), parsed->page},
                           {QLatin1String("limit"), parsed->limit},
                           {QLatin1String("totalItems"), page->totalItems},
                           {QLatin1String("totalPages"), totalPages}};
    return QHttpServerResponse(
        QJsonObject{{QLatin1String("data"), page->data}, {QLatin1String("meta"), meta}});
}

QHttpServerResponse LocalServer::Private::user(const QHttpServerRequest &request,
                                               const QString &userId) const
{
    if (!authorized(request))
        return unauthorized();
    QString error;
    QueryParams params(request.query());
    if (!params.checkKeys({QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp")},
                          {QStringLiteral("environment")}))
        return invalidRequest(params.error());
    auto parsed = UsersRequest::fromQuery(request.query(), false, &error);
    if (!parsed)
        return invalidRequest(error);
    parsed->userId = userId;
    parsed->limit = 1;
    const auto page = store.users(*parsed, &error);
    if (!page) {
        qCWarning(lcServer) << "user query failed:" << error;
        return errorResponse(StatusCode::InternalServerError, QStringLiteral("internal"),
                             QStringLiteral("The user query failed"));
    }
    if (page->data.isEmpty()) {
        return errorResponse(StatusCode::NotFound, QStringLiteral("not_found"),
                             QStringLiteral("No trace of this user in the requested range"));
    }
    return QHttpServerResponse(page->data.first().toObject());
}

QHttpServerResponse LocalServer::Private::fallback(const QHttpServerRequest &request) const
{
    // The router matches decoded paths, where a user id's "%2F" has become a "/"; the
    // single-user route therefore looks at the still-encoded path itself.
    // The same holds for trace and session ids.
    const QString encodedPath = request.url().path(QUrl::FullyEncoded);
    const auto idAfter = [&encodedPath](QLatin1String prefix) -> std::optional<QString> {
        if (!encodedPath.startsWith(prefix))
            return std::nullopt;
        const QString encodedId = encodedPath.mid(prefix.size());
        if (encodedId.isEmpty() || encodedId.contains(QLatin1Char('/')))
            return std::nullopt;
        return QUrl::fromPercentEncoding(encodedId.toUtf8());
    };
    if (request.method() == QHttpServerRequest::Method::Get) {
        if (const auto id = idAfter(kUsersPrefix))
            return user(request, *id);
        if (const auto id = idAfter(kTracesPrefix))
            return read(request, [&](const ReadApi &api) { return api.trace(*id); });
        if (const auto id = idAfter(kSessionsPrefix))
            return read(request, [&](const ReadApi &api) { return api.session(*id); });
    }
    return errorResponse(StatusCode::NotFound, QStringLiteral("not_found"),
                         QStringLiteral("No such endpoint: %1").arg(request.url().path()));
}

LocalServer::LocalServer(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    // A child, so that moveToThread() on the LocalServer takes the HTTP server along.
    d->http = new QHttpServer(this);
    Private *p = d.get();
    const auto get = QHttpServerRequest::Method::Get;
    d->http->route(QStringLiteral("/api/public/health"), get, [p] { return p->health(); });
    d->http->route(QStringLiteral("/api/public/projects"), get,
                   [p](const QHttpServerRequest &request) { return p->projects(request); });
    d->http->route(QStringLiteral("/api/public/users"), get,
                   [p](const QHttpServerRequest &request) { return p->users(request); });
    d->http->route(
        QStringLiteral("/api/public/traces"), get, [p](const QHttpServerRequest &request) {
            return p->read(request,
                           [&request](const ReadApi &api) { return api.traces(request.query()); });
        });
    d->http->route(QStringLiteral("/api/public/sessions"), get,
                   [p](const QHttpServerRequest &request) {
                       return p->read(request, [&request](const ReadApi &api) {
                           return api.sessions(request.query());
                       });
                   });
    d->http->route(
        QStringLiteral("/api/public/v2/scores"), get, [p](const QHttpServerRequest &request) {
            return p->read(request,
                           [&request](const ReadApi &api) { return api.scores(request.query()); });
        });
    d->http->route(QStringLiteral("/api/public/metrics/daily"), get,
                   [p](const QHttpServerRequest &request) {
                       return p->read(request, [&request](const ReadApi &api) {
                           return api.dailyMetrics(request.query());
                       });
                   });
    // [XR] users per decade of cost; its own path, clear of /users/{userId}.
    d->http->route(QStringLiteral("/api/public/metrics/user-cost-histogram"), get,
                   [p](const QHttpServerRequest &request) {
                       return p->read(request, [&request, p](const ReadApi &) {
                           return CostHistogram::reply(p->store, request.query());
                       });
                   });
    d->http->route(
        QStringLiteral("/api/public/metrics"), get, [p](const QHttpServerRequest &request) {
            return p->read(request, [&request, p](const ReadApi &) {
                return MetricsQuery::run(p->store.database(), p->store.columns(), request.query());
            });
        });
    // Ingestion (API.md): batch events, OTLP/HTTP JSON, scores; [XR] unpriced counts.
    const auto post = QHttpServerRequest::Method::Post;
    d->ingestQueue = new IngestQueue(d->ingestor, this);
    d->http->route(QStringLiteral("/api/public/ingestion"), post,
                   [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       p->write(request, std::move(responder), &WriteApi::ingestion);
                   });
    d->http->route(QStringLiteral("/api/public/otel/v1/traces"), post,
                   [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       p->write(request, std::move(responder), &WriteApi::otlpTraces);
                   });
    d->http->route(QStringLiteral("/api/public/scores"), post,
                   [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       p->write(request, std::move(responder), &WriteApi::scores);
                   });
    d->http->route(QStringLiteral("/api/public/ingestion/stats"), get,
                   [p](const QHttpServerRequest &request) {
                       if (!p->authorized(request))
                           return p->unauthorized();
                       const ApiReply reply = p->writeApi.stats();
                       return QHttpServerResponse(reply.json, reply.status);
                   });
    d->http->setMissingHandler(
        [p](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            p->fallback(request).write(std::move(responder));
        });
    d->http->afterRequest([](QHttpServerResponse &&response, const QHttpServerRequest &request) {
        // Path and status only: the query may hold search text, headers hold the keys.
        qCDebug(lcServer) << request.method() << request.url().path()
                          << static_cast<int>(response.statusCode());
        return std::move(response);
    });
}

LocalServer::~LocalServer()
{
    // The route handlers point into d: stop serving before d goes away.
    delete d->http;
    d->http = nullptr;
    // Decoders post back to the queue: let them finish before it goes.
    d->decoders.waitForDone();
    delete d->ingestQueue;
    d->ingestQueue = nullptr;
}

bool LocalServer::open(const QString &dbPath, QString *error)
{
    if (!d->store.open(dbPath, error))
        return false;
    if (d->credentials.secretKey.isEmpty()) {
        d->credentials.publicKey = d->store.metaValue(QStringLiteral("public_key"));
        d->credentials.secretKey = d->store.metaValue(QStringLiteral("secret_key"));
    }
    return true;
}

bool LocalServer::isEmpty() const
{
    return d->store.isEmpty();
}

bool LocalServer::seedDemo(const DemoOptions &options,
                           const std::function<void(qint64, qint64)> &progress, QString *error)
{
    if (!d->store.isOpen()) {
        *error = QStringLiteral("the store is not open");
        return false;
    }
    DemoGenerator generator(d->store);
    return generator.run(options, progress, error);
}

Credentials LocalServer::credentials() const
{
    return d->credentials;
}

void LocalServer::setCredentials(const Credentials &credentials)
{
    d->credentials = credentials;
}

bool LocalServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!d->store.isOpen()) {
        *error = QStringLiteral("the store is not open");
        return false;
    }
    // Builds the in-memory trace columns now rather than on the first /users request.
    (void)d->store.columns();
    auto *tcp = new LowDelayTcpServer(d->http);
    if (!tcp->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    d->http->bind(tcp);
    d->port = tcp->serverPort();
    qCInfo(lcServer).nospace().noquote() << "serving on " << address.toString() << ":" << d->port;
    return true;
}

quint16 LocalServer::port() const
{
    return d->port;
}

QString LocalServer::projectId() const
{
    return d->store.metaValue(QStringLiteral("project_id"));
}

QString LocalServer::projectName() const
{
    return d->store.metaValue(QStringLiteral("project_name"));
}

} // namespace xeroml::server
