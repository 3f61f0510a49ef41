// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/page.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// One user's aggregates over the requested range (API.md, UserSummary).
struct UserSummary
{
    QString userId;
    qint64 totalTraces = 0;
    qint64 totalSessions = 0;
    qint64 totalObservations = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    double totalCost = 0;
    std::optional<double> averageScore; ///< empty when the user has no numeric score
    qint64 scoreCount = 0;
    QDateTime firstTraceAt;
    QDateTime lastTraceAt;
    QStringList environments;

    [[nodiscard]] static std::optional<UserSummary> fromJson(const QJsonObject &json,
                                                             QString *error);
};
