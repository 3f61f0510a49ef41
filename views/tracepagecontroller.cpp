// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/tracepagecontroller.h"

#include "models/format.h"

TracePageController::TracePageController(QObject *parent)
    : QObject(parent)
{
    connect(&m_tree, &ObservationTreeModel::traceChanged, this, [this] {
        pickTrace();
        Q_EMIT treeChanged();
    });
    connect(&m_tree, &ObservationTreeModel::loadedChanged, this, &TracePageController::treeChanged);
    connect(&m_tree, &ObservationTreeModel::errorStringChanged, this,
            &TracePageController::treeChanged);
    connect(&m_tree, &ObservationTreeModel::traceIdChanged, this,
            &TracePageController::traceIdChanged);
}

void TracePageController::setClient(ApiClient *client)
{
    if (m_tree.client() == client)
        return;
    m_tree.setClient(client);
    Q_EMIT clientChanged();
}

void TracePageController::setTraceId(const QString &traceId)
{
    m_tree.setTraceId(traceId);
}

QVariantMap TracePageController::summary() const
{
    if (!m_tree.loaded() || !m_tree.errorString().isEmpty())
        return {};
    const TraceSummary &t = m_tree.trace().trace;
    return {
        {QStringLiteral("name"), t.name},
        {QStringLiteral("time"), Format::exactTime(t.timestamp)},
        {QStringLiteral("userId"), t.userId},
        {QStringLiteral("sessionId"), t.sessionId},
        {QStringLiteral("environment"), t.environment},
        {QStringLiteral("latency"), Format::latency(t.latency)},
        {QStringLiteral("tokens"),
         t.totalTokens ? Format::count(*t.totalTokens) : QStringLiteral("–")},
        {QStringLiteral("cost"), t.totalCost ? Format::cost(*t.totalCost) : QStringLiteral("–")},
        {QStringLiteral("observations"), Format::count(m_tree.observationCount())},
        {QStringLiteral("tags"), t.tags.join(QStringLiteral(", "))},
    };
}

void TracePageController::pick(const QModelIndex &index)
{
    m_detail = m_tree.observation(index);
    Q_EMIT detailChanged();
}

void TracePageController::pickTrace()
{
    m_detail = m_tree.traceContent();
    m_detail.insert(QStringLiteral("name"), m_tree.trace().trace.name);
    m_detail.insert(QStringLiteral("type"), QStringLiteral("TRACE"));
    Q_EMIT detailChanged();
}
