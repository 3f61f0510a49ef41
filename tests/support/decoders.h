// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Every body decoder of api/ behind one name, for data-driven decoder tests and the fuzz
// target (which feeds each input to all of them).
#include "api/dailymetrics.h"
#include "api/decode.h"
#include "api/metricsquery.h"
#include "api/project.h"
#include "api/score.h"
#include "api/sessionsummary.h"
#include "api/tracedetail.h"
#include "api/tracesummary.h"
#include "api/usercosthistogram.h"
#include "api/usersummary.h"

#include <QJsonDocument>
#include <QStringList>

namespace decoders {

/// The query whose rows the metrics decoder expects (as in tests/data/*metrics_rows.json).
inline MetricsQuery metricsQuery()
{
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.dimensions = {QStringLiteral("userId")};
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    q.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    return q;
}

inline QStringList names()
{
    return {QStringLiteral("users"),   QStringLiteral("user"),         QStringLiteral("traces"),
            QStringLiteral("trace"),   QStringLiteral("sessions"),     QStringLiteral("session"),
            QStringLiteral("scores"),  QStringLiteral("daily"),        QStringLiteral("projects"),
            QStringLiteral("metrics"), QStringLiteral("costHistogram")};
}

/// Decodes doc with the named decoder; returns the number of items (1 for an object) or -1
/// with *error set.
inline qsizetype run(const QString &name, const QJsonDocument &doc, QString *error)
{
    auto count = [](const auto &result) -> qsizetype {
        if (!result)
            return -1;
        if constexpr (requires { result->items; })
            return result->items.size();
        else if constexpr (requires { result->size(); })
            return result->size();
        else
            return 1;
    };
    if (name == QLatin1String("users"))
        return count(decodePage<UserSummary>(doc, error));
    if (name == QLatin1String("user"))
        return count(decodeObject<UserSummary>(doc, error));
    if (name == QLatin1String("traces"))
        return count(decodePage<TraceSummary>(doc, error));
    if (name == QLatin1String("trace"))
        return count(decodeObject<TraceDetail>(doc, error));
    if (name == QLatin1String("sessions"))
        return count(decodePage<SessionSummary>(doc, error));
    if (name == QLatin1String("session"))
        return count(decodeObject<SessionDetail>(doc, error));
    if (name == QLatin1String("scores"))
        return count(decodePage<Score>(doc, error));
    if (name == QLatin1String("daily"))
        return count(decodePage<DailyMetrics>(doc, error));
    if (name == QLatin1String("projects"))
        return count(decodeDataList<Project>(doc, error));
    if (name == QLatin1String("metrics"))
        return count(decodeMetricsRows(doc, metricsQuery(), error));
    if (name == QLatin1String("costHistogram"))
        return count(decodeObject<UserCostHistogram>(doc, error));
    *error = QStringLiteral("no decoder ") + name;
    return -1;
}

} // namespace decoders
