// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/tracedetail.h"

#include "api/jsonreader.h"

std::optional<Observation> Observation::fromJson(const QJsonObject &json, QString *error)
{
    Observation o;
    JsonReader r(json, QString());
    r.string(QLatin1String("id"), &o.id);
    r.optionalString(QLatin1String("traceId"), &o.traceId);
    r.optionalString(QLatin1String("parentObservationId"), &o.parentObservationId);
    r.string(QLatin1String("type"), &o.type);
    r.optionalString(QLatin1String("name"), &o.name);
    r.dateTime(QLatin1String("startTime"), &o.startTime);
    r.optionalDateTime(QLatin1String("endTime"), &o.endTime);
    r.optionalDateTime(QLatin1String("completionStartTime"), &o.completionStartTime);
    r.optionalString(QLatin1String("model"), &o.model);
    r.optionalString(QLatin1String("level"), &o.level);
    r.optionalString(QLatin1String("statusMessage"), &o.statusMessage);
    r.anyValue(QLatin1String("input"), &o.input);
    r.anyValue(QLatin1String("output"), &o.output);
    r.anyValue(QLatin1String("metadata"), &o.metadata);
    r.numberMap(QLatin1String("usageDetails"), &o.usageDetails);
    r.numberMap(QLatin1String("costDetails"), &o.costDetails);
    r.optionalNumber(QLatin1String("calculatedTotalCost"), &o.calculatedTotalCost);
    r.optionalNumber(QLatin1String("latency"), &o.latency);
    if (!r.finish(error))
        return std::nullopt;
    return o;
}

std::optional<TraceDetail> TraceDetail::fromJson(const QJsonObject &json, QString *error)
{
    TraceDetail d;
    // The list form carries score ids; the detail form carries whole scores instead.
    QJsonObject summary = json;
    summary.remove(QLatin1String("scores"));
    auto trace = TraceSummary::fromJson(summary, error);
    if (!trace)
        return std::nullopt;
    d.trace = std::move(*trace);
    JsonReader r(json, QString());
    r.objectList(QLatin1String("observations"), &d.observations, false);
    r.objectList(QLatin1String("scores"), &d.scores, false);
    if (!r.finish(error))
        return std::nullopt;
    for (const Score &s : std::as_const(d.scores))
        d.trace.scores.append(s.id);
    return d;
}
