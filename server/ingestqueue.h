// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/readapi.h"

#include <QHttpServerResponder>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace xeroml::server {

class Ingestor;

/// A checked and decoded write request, run later inside a transaction: its reply, or nullopt
/// with *error when the store failed.
using WriteJob =
    std::function<std::optional<ApiReply>(Ingestor &, QList<qint64> *changed, QString *error)>;

/// Group commit for the write endpoints: requests that arrive together (the ones the event loop
/// has read by the time it comes back) are written in one transaction, and each is answered
/// only after that commit. A committed transaction is the unit of durability, and each one
/// costs its WAL page writes: grouping keeps that cost per group, not per request, when several
/// SDKs or exporter threads send at once. If the group fails, every request is retried alone.
class IngestQueue : public QObject
{
public:
    IngestQueue(Ingestor &ingestor, QObject *parent);
    ~IngestQueue() override;

    /// Queues the job; the answer goes to `responder` after the group's commit.
    void submit(WriteJob job, QHttpServerResponder &&responder);
    /// Writes and answers everything queued now.
    void flush();

private:
    struct Pending
    {
        WriteJob job;
        std::unique_ptr<QHttpServerResponder> responder;
        QPointer<QTcpSocket> socket;
    };
    static void answer(Pending &pending, const ApiReply &reply);

    Ingestor &m_ingestor;
    std::vector<Pending> m_pending;
    QTimer *m_timer; ///< a child, so that moveToThread() takes it along
};

} // namespace xeroml::server
