// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/observationtreemodel.h"
#include "views/modeltypes.h"

#include <QObject>
#include <QQmlEngine>
#include <QVariantMap>

/// One trace: its observation tree, the observation picked in it, and the trace's own
/// input, output, metadata and scores.
class TracePageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString traceId READ traceId WRITE setTraceId NOTIFY traceIdChanged)
    /// The observation tree.
    Q_PROPERTY(ObservationTreeModel *tree READ treeModel CONSTANT)
    Q_PROPERTY(bool loaded READ loaded NOTIFY treeChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY treeChanged)
    /// What the tree builder had to work around (orphans, cycles); empty when nothing.
    Q_PROPERTY(QString problems READ problems NOTIFY treeChanged)
    /// The trace's summary for the header: name, time, user, session, totals.
    Q_PROPERTY(QVariantMap summary READ summary NOTIFY treeChanged)
    /// The picked observation (ObservationTreeModel::observation()), or the trace itself.
    Q_PROPERTY(QVariantMap detail READ detail NOTIFY detailChanged)
    Q_PROPERTY(QVariantList scores READ scores NOTIFY treeChanged)

public:
    explicit TracePageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_tree.client(); }
    void setClient(ApiClient *client);
    [[nodiscard]] QString traceId() const { return m_tree.traceId(); }
    void setTraceId(const QString &traceId);
    [[nodiscard]] ObservationTreeModel *treeModel() { return &m_tree; }
    [[nodiscard]] bool loaded() const { return m_tree.loaded(); }
    [[nodiscard]] QString errorString() const { return m_tree.errorString(); }
    [[nodiscard]] QString problems() const { return m_tree.problems(); }
    [[nodiscard]] QVariantMap summary() const;
    [[nodiscard]] QVariantMap detail() const { return m_detail; }
    [[nodiscard]] QVariantList scores() const { return m_tree.scores(); }

    /// Shows an observation's detail (row of the tree view's model index).
    Q_INVOKABLE void pick(const QModelIndex &index);
    /// Shows the trace's own input and output.
    Q_INVOKABLE void pickTrace();
    Q_INVOKABLE void refresh() { m_tree.reload(); }

Q_SIGNALS:
    void clientChanged();
    void traceIdChanged();
    void treeChanged();
    void detailChanged();

private:
    ObservationTreeModel m_tree;
    QVariantMap m_detail;
};
