// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/score.h"
#include "api/tracesummary.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

/// One span, generation or event of a trace (API.md, Observation).
struct Observation
{
    QString id;
    QString traceId;
    QString parentObservationId; ///< empty for a root observation
    QString type;                ///< SPAN, GENERATION, EVENT
    QString name;
    QDateTime startTime;
    QDateTime endTime;             ///< invalid when still open or an event
    QDateTime completionStartTime; ///< invalid when unknown
    QString model;
    QString level;
    QString statusMessage;
    QJsonValue input;
    QJsonValue output;
    QJsonValue metadata;
    QHash<QString, double> usageDetails; ///< input, output, total, … (token counts)
    QHash<QString, double> costDetails;  ///< input, output, total (USD)
    std::optional<double> calculatedTotalCost;
    std::optional<double> latency; ///< seconds

    [[nodiscard]] static std::optional<Observation> fromJson(const QJsonObject &json,
                                                             QString *error);
};

/// GET /api/public/traces/{traceId}: the trace with all its observations and scores.
struct TraceDetail
{
    TraceSummary trace;
    QList<Observation> observations;
    QList<Score> scores;

    [[nodiscard]] static std::optional<TraceDetail> fromJson(const QJsonObject &json,
                                                             QString *error);
};
