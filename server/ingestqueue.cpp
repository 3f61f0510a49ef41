// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ingestqueue.h"

#include "server/ingestor.h"
#include "server/logging.h"

#include <QHttpServerResponse>

namespace xeroml::server {

namespace {
// Large groups would hold every answer back behind one long transaction.
constexpr size_t kMaxGroup = 64;
} // namespace

IngestQueue::IngestQueue(Ingestor &ingestor, QObject *parent)
    : QObject(parent)
    , m_ingestor(ingestor)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(0);
    connect(m_timer, &QTimer::timeout, this, &IngestQueue::flush);
}

// Requests still queued are dropped unanswered: their clients see the connection close.
IngestQueue::~IngestQueue() = default;

void IngestQueue::submit(WriteJob job, QHttpServerResponder &&responder)
{
    Pending pending;
    pending.socket = responder.socket();
    pending.job = std::move(job);
    pending.responder = std::make_unique<QHttpServerResponder>(std::move(responder));
    m_pending.push_back(std::move(pending));
    if (m_pending.size() >= kMaxGroup)
        flush();
    else if (!m_timer->isActive())
        m_timer->start();
}

void IngestQueue::answer(Pending &pending, const ApiReply &reply)
{
    // The client may have hung up meanwhile; its socket is gone then.
    if (pending.socket)
        QHttpServerResponse(reply.json, reply.status).write(std::move(*pending.responder));
}

void IngestQueue::flush()
{
    m_timer->stop();
    std::vector<Pending> group = std::move(m_pending);
    m_pending.clear();
    if (group.empty())
        return;

    QString error;
    QList<qint64> changed;
    std::vector<ApiReply> replies;
    replies.reserve(group.size());
    bool ok = m_ingestor.begin(&error);
    const bool began = ok;
    for (size_t i = 0; ok && i < group.size(); ++i) {
        const auto reply = group[i].job(m_ingestor, &changed, &error);
        if (reply)
            replies.push_back(*reply);
        else
            ok = false;
    }
    if (ok && m_ingestor.commit(changed, &error)) {
        for (size_t i = 0; i < group.size(); ++i)
            answer(group[i], replies[i]);
        return;
    }
    if (began)
        m_ingestor.rollback();
    qCWarning(lcServer).noquote() << "ingestion: a group of" << group.size()
                                  << "request(s) failed, retrying each alone:" << error;
    // Alone, a request that fails takes no other down with it.
    for (Pending &pending : group) {
        QList<qint64> own;
        QString why;
        std::optional<ApiReply> reply;
        if (m_ingestor.begin(&why)) {
            reply = pending.job(m_ingestor, &own, &why);
            if (!reply || !m_ingestor.commit(own, &why)) {
                m_ingestor.rollback();
                reply.reset();
            }
        }
        answer(pending, reply ? *reply : ApiReply::internal(QStringLiteral("ingestion"), why));
    }
}

} // namespace xeroml::server
