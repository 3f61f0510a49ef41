// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/page.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

/// One evaluation score (API.md, Score). Categorical scores carry stringValue and may have
/// no numeric value; a missing value stays empty, never 0.
struct Score
{
    QString id;
    QString traceId;
    QString observationId;
    QString sessionId;
    QString name;
    std::optional<double> value;
    QString stringValue;
    QString dataType; ///< NUMERIC, BOOLEAN, CATEGORICAL
    QString source;   ///< API, ANNOTATION, EVAL
    QString comment;
    QString authorUserId;
    QDateTime timestamp;
    QString environment;
    QString traceUserId; ///< trace.userId, when the server sends it

    [[nodiscard]] static std::optional<Score> fromJson(const QJsonObject &json, QString *error);
};

/// Parameters of GET /api/public/v2/scores.
struct ScoresQuery
{
    int page = 1;
    int limit = 50;
    QString userId;
    QString traceId;
    QString sessionId;
    QString name;
    QString source;   ///< API, ANNOTATION, EVAL; empty = all
    QString dataType; ///< NUMERIC, BOOLEAN, CATEGORICAL; empty = all
    QDateTime from;   ///< inclusive; invalid = unbounded
    QDateTime to;     ///< exclusive; invalid = unbounded
    QStringList environments;

    [[nodiscard]] QUrlQuery toUrlQuery() const;
    friend bool operator==(const ScoresQuery &, const ScoresQuery &) = default;
};

/// The body of POST /api/public/scores.
struct ScoreInput
{
    QString traceId;
    QString observationId; ///< optional
    QString sessionId;     ///< optional
    QString name;
    std::optional<double> value; ///< numeric and boolean (0/1) scores
    QString stringValue;         ///< categorical scores, sent as "value" when value is empty
    QString dataType;            ///< optional
    QString comment;             ///< optional
    QString source;              ///< optional

    [[nodiscard]] QJsonObject toJson() const;
};
