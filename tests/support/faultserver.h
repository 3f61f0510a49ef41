// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtHttpServer/QAbstractHttpServer>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

/// A scripted HTTP server for fault tests on 127.0.0.1 and a free port. Each path answers
/// with programmed replies (the n-th request gets the n-th reply, the last one repeats),
/// always asynchronously; a path without replies is forwarded to the upstream server when
/// one is set (so it can sit in front of the local server and switch single endpoints
/// off), and answers 404 otherwise.
class FaultServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    enum class Fault {
        None,     ///< a complete reply
        Hang,     ///< accept the request and never answer
        Reset,    ///< close the connection with a TCP reset instead of answering
        Truncate, ///< announce the whole body, send half of it, close
        Stream,   ///< a body of streamBytes generated on the fly (never held in memory)
    };
    struct Reply
    {
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        Fault fault = Fault::None;
        int delayMs = 0;        ///< wait this long before answering
        qint64 streamBytes = 0; ///< Fault::Stream: body size
        bool chunked = false;   ///< Fault::Stream: no Content-Length, chunked encoding
        bool gzip = false;      ///< send the body gzip-encoded (Content-Encoding: gzip)
    };
    /// One request as the server saw it.
    struct Request
    {
        QByteArray method;
        QString path; ///< decoded
        QByteArray encodedPath;
        QUrlQuery query;
        QHash<QByteArray, QByteArray> headers; ///< lower-case names
        QByteArray body;
    };

    explicit FaultServer(QObject *parent = nullptr);
    ~FaultServer() override;

    /// Starts listening on 127.0.0.1 on a free port; false if that fails.
    [[nodiscard]] bool start();
    [[nodiscard]] QUrl baseUrl() const;

    void setReply(const QString &path, const Reply &reply) { setReplies(path, {reply}); }
    void setReplies(const QString &path, const QList<Reply> &replies);
    /// A JSON reply with this status.
    [[nodiscard]] static Reply json(const QByteArray &body, int status = 200);
    /// Forward paths without programmed replies to this server (e.g. TestServer::baseUrl()).
    void setUpstream(const QUrl &upstream) { m_upstream = upstream; }
    /// Forwarded answers are passed on this much later (a slow network or server).
    void setForwardDelay(int ms) { m_forwardDelayMs = ms; }

    [[nodiscard]] const QList<Request> &requests() const { return m_requests; }
    [[nodiscard]] int requestCount(const QString &path) const;
    /// Body bytes written by Fault::Stream replies so far.
    [[nodiscard]] qint64 bytesStreamed() const { return m_streamed; }
    /// Connections currently held open by Fault::Hang.
    [[nodiscard]] int hangingConnections() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void respond(QTcpSocket *socket, const Reply &reply);
    void stream(QTcpSocket *socket, const Reply &reply);
    void forward(const Request &request, QTcpSocket *socket);

    quint16 m_port = 0;
    QUrl m_upstream;
    QNetworkAccessManager m_network;
    QHash<QString, QList<Reply>> m_replies;
    QHash<QString, int> m_served;
    QList<Request> m_requests;
    QList<QTcpSocket *> m_hanging;
    qint64 m_streamed = 0;
    int m_forwardDelayMs = 0;
};
