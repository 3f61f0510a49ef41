// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/page.h"
#include "api/tracesummary.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

/// One session as listed by GET /api/public/sessions. The aggregates are XeroML additions:
/// a Langfuse-shaped server leaves them out and they stay empty, not 0.
struct SessionSummary
{
    QString id;
    QDateTime createdAt;
    QString environment;
    QStringList userIds;
    QDateTime firstTraceAt; ///< invalid when the server does not send it
    QDateTime lastTraceAt;  ///< invalid when the server does not send it
    std::optional<qint64> traceCount;
    std::optional<qint64> totalTokens;
    std::optional<double> totalCost;

    [[nodiscard]] static std::optional<SessionSummary> fromJson(const QJsonObject &json,
                                                                QString *error);
};

/// GET /api/public/sessions/{sessionId}: the session and its traces, oldest first.
struct SessionDetail
{
    SessionSummary session;
    QList<TraceSummary> traces;

    [[nodiscard]] static std::optional<SessionDetail> fromJson(const QJsonObject &json,
                                                               QString *error);
};

/// Parameters of GET /api/public/sessions.
struct SessionsQuery
{
    int page = 1;
    int limit = 50;
    QDateTime from; ///< inclusive; invalid = unbounded
    QDateTime to;   ///< exclusive; invalid = unbounded
    QStringList environments;
    QString userId;     ///< XeroML addition
    QString orderField; ///< XeroML addition; empty = the server's default
    bool descending = true;

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    friend bool operator==(const SessionsQuery &, const SessionsQuery &) = default;
};
