// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/sessionpagecontroller.h"

SessionPageController::SessionPageController(QObject *parent)
    : QObject(parent)
{
    connect(&m_traces, &TraceListModel::totalCountChanged, this,
            &SessionPageController::traceTotalChanged);
}

void SessionPageController::setClient(ApiClient *client)
{
    if (m_traces.client() == client)
        return;
    m_traces.setClient(client);
    Q_EMIT clientChanged();
}

void SessionPageController::setSessionId(const QString &sessionId)
{
    if (m_sessionId == sessionId)
        return;
    m_sessionId = sessionId;
    TracesQuery q;
    q.sessionId = sessionId;
    q.orderField = QStringLiteral("timestamp");
    q.descending = false;
    q.fields = {QStringLiteral("core")};
    m_traces.setQuery(q);
    Q_EMIT sessionIdChanged();
}

QString SessionPageController::traceIdAt(int row) const
{
    return row >= 0 && row < m_traces.rowCount() ? m_traces.trace(row).id : QString();
}

bool SessionPageController::isNumericColumn(int column) const
{
    return m_traces.headerData(column, Qt::Horizontal, TraceListModel::NumericRole).toBool();
}

void SessionPageController::fetchMore()
{
    if (m_traces.canFetchMore({}))
        m_traces.fetchMore({});
}
