// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/singleinstance.h"

#include "api/deeplink.h"

#include <QDir>
#include <QLocalSocket>
#include <QPointer>
#include <QStandardPaths>
#include <QTimer>

namespace {

// "open <link>\n" (or "open \n"), answered by "ok\n". A line longer than any link is a
// stranger talking: the connection is dropped.
constexpr qsizetype kMaxLine = DeepLink::kMaxBytes + 64;
const QByteArray kOpen("open ");
const QByteArray kAck("ok\n");

} // namespace

SingleInstance::SingleInstance(QString socketName, QObject *parent)
    : QObject(parent)
    , m_name(std::move(socketName))
{
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::accept);
}

QString SingleInstance::defaultSocketName()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    return dir + QStringLiteral("/xeroml-dashboard.socket");
}

bool SingleInstance::forward(const QString &link, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(kOpen + link.toUtf8() + '\n');
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    QByteArray reply;
    while (!reply.contains('\n') && socket.waitForReadyRead(timeoutMs))
        reply += socket.readAll();
    return reply == kAck;
}

bool SingleInstance::listen(QString *error)
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (m_server.listen(m_name))
        return true;
    if (m_server.serverError() == QAbstractSocket::AddressInUseError) {
        // forward() failed before we got here, so nobody answers: a crashed instance's
        // socket. Take it over.
        QLocalServer::removeServer(m_name);
        if (m_server.listen(m_name))
            return true;
    }
    *error = m_server.errorString();
    return false;
}

void SingleInstance::accept()
{
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        // A client that never finishes its line is dropped.
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxLine)
                    socket->abort();
                return;
            }
            QByteArray line = socket->readLine(kMaxLine + 1);
            if (!line.endsWith('\n') || !line.startsWith(kOpen)) {
                socket->abort();
                return;
            }
            socket->write(kAck);
            socket->flush();
            socket->disconnectFromServer();
            line.chop(1);
            Q_EMIT activated(QString::fromUtf8(line.mid(kOpen.size())));
        });
    }
}
