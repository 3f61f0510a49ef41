// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/page.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

/// One trace as listed by GET /api/public/traces (API.md, TraceSummary). Only id and
/// timestamp are required; what a Langfuse-shaped server leaves out stays empty, not 0.
struct TraceSummary
{
    QString id;
    QDateTime timestamp;
    QString name;
    QString userId;
    QString sessionId;
    QString environment;
    QString release;
    QString version;
    QStringList tags;
    QJsonValue metadata;           ///< any JSON; undefined when absent
    QJsonValue input;              ///< undefined with fields=core
    QJsonValue output;             ///< undefined with fields=core
    std::optional<double> latency; ///< seconds
    std::optional<double> totalCost;
    std::optional<qint64> inputTokens;
    std::optional<qint64> outputTokens;
    std::optional<qint64> totalTokens;
    std::optional<qint64> observationCount;
    QStringList scores; ///< score ids
    QString htmlPath;

    [[nodiscard]] static std::optional<TraceSummary> fromJson(const QJsonObject &json,
                                                              QString *error);
};

/// Parameters of GET /api/public/traces.
struct TracesQuery
{
    int page = 1;
    int limit = 50;
    QString userId;
    QString sessionId;
    QString name;
    QStringList tags;         ///< every tag must be present
    QStringList environments; ///< empty = all
    QDateTime from;           ///< inclusive; invalid = unbounded
    QDateTime to;             ///< exclusive; invalid = unbounded
    QString orderField;       ///< timestamp, name, latency, totalCost, totalTokens; empty = default
    bool descending = true;
    QStringList fields; ///< e.g. {"core"} leaves input/output out; empty = everything

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    friend bool operator==(const TracesQuery &, const TracesQuery &) = default;
};
