// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/tracelistmodel.h"
#include "views/modeltypes.h"

#include <QObject>
#include <QQmlEngine>

/// One session: its traces in the order they happened.
class SessionPageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    Q_PROPERTY(QString sessionId READ sessionId WRITE setSessionId NOTIFY sessionIdChanged)
    /// The session's traces, oldest first.
    Q_PROPERTY(TraceListModel *traces READ traceModel CONSTANT)
    /// The session's trace count (a double: QML numbers).
    Q_PROPERTY(double traceTotal READ traceTotal NOTIFY traceTotalChanged)

public:
    explicit SessionPageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_traces.client(); }
    void setClient(ApiClient *client);
    [[nodiscard]] QString sessionId() const { return m_sessionId; }
    void setSessionId(const QString &sessionId);
    [[nodiscard]] TraceListModel *traceModel() { return &m_traces; }
    [[nodiscard]] double traceTotal() const { return double(m_traces.totalCount()); }
    [[nodiscard]] Q_INVOKABLE QString traceIdAt(int row) const;
    [[nodiscard]] Q_INVOKABLE bool isNumericColumn(int column) const;
    Q_INVOKABLE void fetchMore();

Q_SIGNALS:
    void clientChanged();
    void sessionIdChanged();
    void traceTotalChanged();

private:
    TraceListModel m_traces;
    QString m_sessionId;
};
