// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/faultserver.h"

#include <QtHttpServer/QHttpServerRequest>

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>
#include <zlib.h>

namespace {

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray gzip(const QByteArray &data)
{
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        return {};
    QByteArray out(int(deflateBound(&zs, uLong(data.size()))) + 32, Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

QByteArray head(int status, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray h = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    for (const auto &[name, value] : headers)
        h += name + ": " + value + "\r\n";
    return h + "\r\n";
}

} // namespace

FaultServer::FaultServer(QObject *parent)
    : QAbstractHttpServer(parent)
{
    m_network.setProxy(QNetworkProxy::NoProxy);
    m_network.setAutoDeleteReplies(true);
}

FaultServer::~FaultServer() = default;

bool FaultServer::start()
{
    m_port = listen(QHostAddress::LocalHost, 0);
    return m_port != 0;
}

QUrl FaultServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

void FaultServer::setReplies(const QString &path, const QList<Reply> &replies)
{
    m_replies.insert(path, replies);
    m_served.remove(path);
}

FaultServer::Reply FaultServer::json(const QByteArray &body, int status)
{
    Reply r;
    r.status = status;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    return r;
}

int FaultServer::requestCount(const QString &path) const
{
    int n = 0;
    for (const Request &r : m_requests)
        n += r.path == path ? 1 : 0;
    return n;
}

int FaultServer::hangingConnections() const
{
    int n = 0;
    for (QTcpSocket *s : m_hanging)
        n += s->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    return n;
}

bool FaultServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Request r;
    switch (request.method()) {
    case QHttpServerRequest::Method::Post:
        r.method = "POST";
        break;
    case QHttpServerRequest::Method::Get:
        r.method = "GET";
        break;
    default:
        r.method = "OTHER";
        break;
    }
    r.path = request.url().path();
    r.encodedPath = request.url().path(QUrl::FullyEncoded).toLatin1();
    r.query = request.query();
    for (const auto &[name, value] : request.headers())
        r.headers.insert(name.toLower(), value);
    r.body = request.body();
    m_requests.append(r);

    const auto it = m_replies.constFind(r.path);
    if (it == m_replies.constEnd() || it->isEmpty()) {
        if (m_upstream.isValid()) {
            forward(r, socket);
        } else {
            Reply notFound = json(R"({"message":"no such path","code":"not_found"})", 404);
            QTimer::singleShot(0, socket, [this, socket, notFound] { respond(socket, notFound); });
        }
        return true;
    }
    const int n = m_served[r.path]++;
    const Reply reply = it->at(std::min<qsizetype>(n, it->size() - 1));
    // Never answer from inside the request handler: real servers are not synchronous.
    QTimer::singleShot(std::max(0, reply.delayMs), socket,
                       [this, socket, reply] { respond(socket, reply); });
    return true;
}

void FaultServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    respond(socket, json(R"({"message":"no handler","code":"not_found"})", 404));
}

void FaultServer::respond(QTcpSocket *socket, const Reply &reply)
{
    switch (reply.fault) {
    case Fault::Hang:
        m_hanging.append(socket);
        connect(socket, &QObject::destroyed, this, [this, socket] { m_hanging.removeAll(socket); });
        return;
    case Fault::Reset: {
        // SO_LINGER with a zero timeout turns close() into a TCP RST.
        linger lingerOption{1, 0};
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lingerOption,
                     sizeof lingerOption);
        socket->abort();
        return;
    }
    case Fault::Stream:
        return stream(socket, reply);
    case Fault::Truncate:
    case Fault::None:
        break;
    }
    QByteArray body = reply.gzip ? gzip(reply.body) : reply.body;
    auto headers = reply.headers;
    if (reply.gzip)
        headers.append(qMakePair(QByteArrayLiteral("Content-Encoding"), QByteArray("gzip")));
    headers.append(qMakePair(QByteArrayLiteral("Content-Length"),
                             QByteArray(QByteArray::number(body.size()))));
    if (reply.fault == Fault::Truncate)
        body.truncate(body.size() / 2);
    socket->write(head(reply.status, headers) + body);
    if (reply.fault == Fault::Truncate) {
        socket->flush();
        socket->disconnectFromHost();
    }
}

void FaultServer::stream(QTcpSocket *socket, const Reply &reply)
{
    auto headers = reply.headers;
    if (reply.chunked)
        headers.append(qMakePair(QByteArrayLiteral("Transfer-Encoding"), QByteArray("chunked")));
    else
        headers.append(qMakePair(QByteArrayLiteral("Content-Length"),
                                 QByteArray(QByteArray::number(reply.streamBytes))));
    socket->write(head(reply.status, headers));
    // The body is a JSON string of spaces inside an array, produced as the socket drains, so
    // the server never holds more than a few chunks of it.
    auto remaining = std::make_shared<qint64>(reply.streamBytes);
    const QByteArray block(64 * 1024, ' ');
    const bool chunked = reply.chunked;
    QPointer<QTcpSocket> guard(socket);
    auto fill = [this, guard, remaining, block, chunked] {
        while (guard && guard->state() == QAbstractSocket::ConnectedState && *remaining > 0 &&
               guard->bytesToWrite() < 4 * block.size()) {
            const qint64 n = std::min<qint64>(*remaining, block.size());
            if (chunked)
                guard->write(QByteArray::number(n, 16) + "\r\n" + block.left(n) + "\r\n");
            else
                guard->write(block.left(n));
            *remaining -= n;
            m_streamed += n;
        }
        if (guard && chunked && *remaining == 0) {
            guard->write("0\r\n\r\n");
            *remaining = -1;
        }
    };
    connect(socket, &QTcpSocket::bytesWritten, this, fill);
    fill();
}

void FaultServer::forward(const Request &request, QTcpSocket *socket)
{
    QUrl url = m_upstream;
    url.setPath(QString::fromLatin1(request.encodedPath), QUrl::TolerantMode);
    url.setQuery(request.query);
    QNetworkRequest upstream(url);
    for (auto it = request.headers.constBegin(); it != request.headers.constEnd(); ++it) {
        if (it.key() == "authorization" || it.key() == "content-type" || it.key() == "accept")
            upstream.setRawHeader(it.key(), it.value());
    }
    QNetworkReply *reply =
        request.method == "POST" ? m_network.post(upstream, request.body) : m_network.get(upstream);
    QPointer<QTcpSocket> guard(socket);
    connect(reply, &QNetworkReply::finished, this, [this, reply, guard] {
        if (!guard)
            return;
        Reply r = json(reply->readAll(),
                       reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        if (r.status == 0)
            r.status = 502;
        r.delayMs = m_forwardDelayMs;
        QTimer::singleShot(r.delayMs, guard, [this, guard, r] {
            if (guard)
                respond(guard, r);
        });
    });
}
