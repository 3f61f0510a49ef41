// SPDX-License-Identifier: GPL-3.0-or-later
// The batch ingestion events of POST /api/public/ingestion (API.md), decoded into patches.
#include "server/ingestor.h"

#include "server/logging.h"
#include "server/store.h"

#include <QDateTime>
#include <QSet>
#include <QSqlError>
#include <QUuid>

#include <cmath>

namespace xeroml::server {

namespace {

/// Reads typed, optional fields of an event body; the first bad one leaves a message.
class BodyReader
{
public:
    BodyReader(const QJsonObject &body, QString *error)
        : m_body(body)
        , m_error(error)
    {}

    bool string(const char *key, std::optional<QString> *out)
    {
        const QJsonValue value = m_body.value(QLatin1String(key));
        if (value.isNull() || value.isUndefined())
            return true;
        if (!value.isString())
            return fail(key, "must be a string");
        if (!value.toString().isEmpty())
            *out = value.toString();
        return true;
    }
    bool time(const char *key, std::optional<qint64> *out)
    {
        const QJsonValue value = m_body.value(QLatin1String(key));
        if (value.isNull() || value.isUndefined())
            return true;
        const auto ms = value.isString() ? ingest::parseTime(value.toString()) : std::nullopt;
        if (!ms)
            return fail(key, "must be an ISO 8601 time");
        *out = ms;
        return true;
    }
    bool json(const char *key, std::optional<QString> *out)
    {
        *out = ingest::jsonText(m_body.value(QLatin1String(key)));
        return true;
    }
    bool tags(const char *key, std::optional<QString> *out)
    {
        const QJsonValue value = m_body.value(QLatin1String(key));
        if (value.isNull() || value.isUndefined())
            return true;
        const QJsonArray array = value.toArray();
        bool strings = value.isArray();
        for (const QJsonValue &tag : array)
            strings = strings && tag.isString();
        if (!strings)
            return fail(key, "must be an array of strings");
        *out = ingest::jsonText(value);
        return true;
    }
    bool level(std::optional<QString> *out)
    {
        if (!string("level", out))
            return false;
        if (!*out)
            return true;
        static const QSet<QString> kLevels{QStringLiteral("DEBUG"), QStringLiteral("DEFAULT"),
                                           QStringLiteral("WARNING"), QStringLiteral("ERROR")};
        if (!kLevels.contains(**out))
            return fail("level", "must be DEBUG, DEFAULT, WARNING or ERROR");
        return true;
    }
    bool fail(const char *key, const char *what)
    {
        *m_error = QStringLiteral("body.%1 %2").arg(QLatin1String(key), QLatin1String(what));
        return false;
    }

private:
    const QJsonObject &m_body;
    QString *m_error;
};

bool readTrace(const QJsonObject &body, qint64 eventMs, TracePatch *t, QString *error)
{
    BodyReader r(body, error);
    std::optional<QString> id;
    if (!r.string("id", &id) || !r.time("timestamp", &t->ts) || !r.string("name", &t->name) ||
        !r.string("userId", &t->userId) || !r.string("sessionId", &t->sessionId) ||
        !r.string("release", &t->release) || !r.string("version", &t->version) ||
        !r.string("environment", &t->environment) || !r.tags("tags", &t->tags) ||
        !r.json("metadata", &t->metadata) || !r.json("input", &t->input) ||
        !r.json("output", &t->output))
        return false;
    t->id = id.value_or(QUuid::createUuid().toString(QUuid::WithoutBraces));
    if (!t->ts)
        t->ts = eventMs;
    return true;
}

bool readObservation(const QJsonObject &body, const QString &type, bool create, qint64 eventMs,
                     ObservationPatch *o, QString *error)
{
    BodyReader r(body, error);
    std::optional<QString> id;
    std::optional<QString> traceId;
    if (!r.string("id", &id) || !r.string("traceId", &traceId) ||
        !r.string("parentObservationId", &o->parentId) || !r.string("name", &o->name) ||
        !r.time("startTime", &o->startMs) || !r.time("endTime", &o->endMs) ||
        !r.time("completionStartTime", &o->completionStartMs) || !r.string("model", &o->model) ||
        !r.level(&o->level) || !r.string("statusMessage", &o->statusMessage) ||
        !r.json("input", &o->input) || !r.json("output", &o->output) ||
        !r.json("metadata", &o->metadata) || !r.string("environment", &o->environment))
        return false;
    if (!id && !create) {
        *error = QStringLiteral("body.id is required for an update");
        return false;
    }
    o->id = id.value_or(QUuid::createUuid().toString(QUuid::WithoutBraces));
    o->traceId = traceId.value_or(QString());
    o->type = type;
    o->fallbackMs = eventMs;
    if (type == QLatin1String("EVENT") && !o->startMs && create)
        o->startMs = eventMs;
    // usageDetails (current SDKs) wins over usage (older ones); both take the same keys.
    for (const char *key : {"usage", "usageDetails"}) {
        const QJsonValue value = body.value(QLatin1String(key));
        if (value.isNull() || value.isUndefined())
            continue;
        if (!value.isObject())
            return r.fail(key, "must be an object");
        UsageDetails usage;
        if (!ingest::normaliseUsage(value.toObject(), &usage, error)) {
            error->prepend(QStringLiteral("body."));
            return false;
        }
        o->usage = usage;
        // Legacy usage {inputCost, outputCost, totalCost} is a sent cost.
        const QJsonObject legacy = value.toObject();
        if (legacy.contains(QLatin1String("totalCost")) ||
            legacy.contains(QLatin1String("inputCost")) ||
            legacy.contains(QLatin1String("outputCost"))) {
            QJsonObject costs;
            for (const char *cost : {"inputCost", "outputCost", "totalCost"}) {
                if (legacy.contains(QLatin1String(cost)))
                    costs.insert(QLatin1String(cost), legacy.value(QLatin1String(cost)));
            }
            if (!ingest::normaliseCost(costs, &o->cost, error))
                return false;
        }
    }
    const QJsonValue cost = body.value(QLatin1String("costDetails"));
    if (!cost.isNull() && !cost.isUndefined()) {
        if (!cost.isObject())
            return r.fail("costDetails", "must be an object");
        if (!ingest::normaliseCost(cost.toObject(), &o->cost, error)) {
            error->prepend(QStringLiteral("body."));
            return false;
        }
    }
    return true;
}

} // namespace

bool Ingestor::readScore(const QJsonObject &body, qint64 fallbackMs, ScoreRecord *score,
                         QString *error)
{
    BodyReader r(body, error);
    std::optional<QString> id;
    std::optional<QString> name;
    std::optional<QString> dataType;
    std::optional<QString> source;
    std::optional<qint64> ts;
    if (!r.string("id", &id) || !r.string("traceId", &score->traceId) ||
        !r.string("observationId", &score->observationId) ||
        !r.string("sessionId", &score->sessionId) || !r.string("name", &name) ||
        !r.string("dataType", &dataType) || !r.string("source", &source) ||
        !r.string("comment", &score->comment) || !r.string("authorUserId", &score->authorUserId) ||
        !r.string("environment", &score->environment) || !r.time("timestamp", &ts))
        return false;
    if (!name)
        return r.fail("name", "is required");
    if (!score->traceId && !score->sessionId)
        return r.fail("traceId", "or body.sessionId is required");
    score->id = id.value_or(QUuid::createUuid().toString(QUuid::WithoutBraces));
    score->name = *name;
    score->ts = ts.value_or(fallbackMs);
    score->source = source.value_or(QStringLiteral("API"));
    if (score->source != QLatin1String("API") && score->source != QLatin1String("ANNOTATION") &&
        score->source != QLatin1String("EVAL"))
        return r.fail("source", "must be API, ANNOTATION or EVAL");

    const QJsonValue value = body.value(QLatin1String("value"));
    if (!dataType) {
        if (value.isBool())
            dataType = QStringLiteral("BOOLEAN");
        else if (value.isString())
            dataType = QStringLiteral("CATEGORICAL");
        else
            dataType = QStringLiteral("NUMERIC");
    }
    score->dataType = *dataType;
    if (*dataType == QLatin1String("NUMERIC")) {
        if (!value.isDouble() || !std::isfinite(value.toDouble()))
            return r.fail("value", "must be a number for a NUMERIC score");
        score->value = value.toDouble();
    } else if (*dataType == QLatin1String("BOOLEAN")) {
        if (value.isBool())
            score->value = value.toBool() ? 1.0 : 0.0;
        else if (value.isDouble() && (value.toDouble() == 0.0 || value.toDouble() == 1.0))
            score->value = value.toDouble();
        else
            return r.fail("value", "must be true, false, 1 or 0 for a BOOLEAN score");
        score->stringValue =
            *score->value != 0.0 ? QStringLiteral("True") : QStringLiteral("False");
    } else if (*dataType == QLatin1String("CATEGORICAL")) {
        if (value.isString() && !value.toString().isEmpty())
            score->stringValue = value.toString();
        else if (value.isDouble())
            score->stringValue = QString::number(value.toDouble());
        else
            return r.fail("value", "must be a non-empty string for a CATEGORICAL score");
    } else {
        return r.fail("dataType", "must be NUMERIC, BOOLEAN or CATEGORICAL");
    }
    return true;
}

std::optional<Ingestor::BatchResult> Ingestor::ingestEvents(const QJsonArray &events,
                                                            QString *error)
{
    if (!begin(error))
        return std::nullopt;
    QList<qint64> changed;
    auto result = ingestEventsIn(decodeEvents(events), &changed, error);
    if (!result || !commit(changed, error)) {
        rollback();
        return std::nullopt;
    }
    return result;
}

std::vector<DecodedEvent> Ingestor::decodeEvents(const QJsonArray &events)
{
    std::vector<DecodedEvent> decoded;
    decoded.reserve(static_cast<size_t>(events.size()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QJsonValue &value : events) {
        DecodedEvent &d = decoded.emplace_back();
        const QJsonObject event = value.toObject();
        const QJsonValue idValue = event.value(QLatin1String("id"));
        d.id = idValue.toString();
        if (!value.isObject() || d.id.isEmpty()) {
            d.id.clear();
            d.idValue = idValue.isString() ? idValue : QJsonValue(QJsonValue::Null);
            d.error = QStringLiteral("each event needs a non-empty string id");
            continue;
        }
        const QString type = event.value(QLatin1String("type")).toString();
        const QJsonValue bodyValue = event.value(QLatin1String("body"));
        const QJsonValue timestamp = event.value(QLatin1String("timestamp"));
        const std::optional<qint64> parsedMs =
            timestamp.isString() ? ingest::parseTime(timestamp.toString()) : std::nullopt;
        if (!timestamp.isUndefined() && !timestamp.isNull() && !parsedMs) {
            d.error = QStringLiteral("timestamp must be an ISO 8601 time");
            continue;
        }
        const qint64 eventMs = parsedMs ? *parsedMs : now;
        if (!bodyValue.isObject()) {
            d.error = QStringLiteral("body must be an object");
            continue;
        }
        const QJsonObject body = bodyValue.toObject();
        if (type == QLatin1String("trace-create")) {
            d.kind = DecodedEvent::Kind::Trace;
            (void)readTrace(body, eventMs, &d.trace, &d.error);
        } else if (type == QLatin1String("span-create") || type == QLatin1String("span-update") ||
                   type == QLatin1String("generation-create") ||
                   type == QLatin1String("generation-update") ||
                   type == QLatin1String("event-create")) {
            d.kind = DecodedEvent::Kind::Observation;
            const bool create = type.endsWith(QLatin1String("-create"));
            const QString observationType =
                type.startsWith(QLatin1String("span"))         ? QStringLiteral("SPAN")
                : type.startsWith(QLatin1String("generation")) ? QStringLiteral("GENERATION")
                                                               : QStringLiteral("EVENT");
            (void)readObservation(body, observationType, create, eventMs, &d.observation, &d.error);
        } else if (type == QLatin1String("score-create")) {
            d.kind = DecodedEvent::Kind::Score;
            (void)readScore(body, eventMs, &d.score, &d.error);
        } else if (type == QLatin1String("sdk-log")) {
            d.kind = DecodedEvent::Kind::Log;
        } else {
            d.error = type.isEmpty()
                          ? QStringLiteral("type is required")
                          : QStringLiteral("unknown event type '%1'; known: trace-create,"
                                           " span-create, span-update, generation-create,"
                                           " generation-update, event-create, score-create,"
                                           " sdk-log")
                                .arg(type.left(64));
        }
    }
    return decoded;
}

std::optional<Ingestor::BatchResult>
Ingestor::ingestEventsIn(const std::vector<DecodedEvent> &events, QList<qint64> *changed,
                         QString *error)
{
    if (!prepare(error))
        return std::nullopt;
    BatchResult result;
    IngestBatch batch;
    QStringList newIds;
    QSet<QString> seen;
    const auto failure = [&](const QJsonValue &id, const QString &message) {
        result.errors.append(QJsonObject{{QLatin1String("id"), id},
                                         {QLatin1String("status"), 400},
                                         {QLatin1String("message"), message}});
    };
    const auto success = [&](const QString &id) {
        result.successes.append(
            QJsonObject{{QLatin1String("id"), id}, {QLatin1String("status"), 201}});
    };

    for (const DecodedEvent &d : events) {
        if (d.id.isEmpty()) {
            failure(d.idValue, d.error);
            continue;
        }
        // A retried event (same id) succeeds again without being applied twice.
        bool duplicate = seen.contains(d.id);
        if (!duplicate && !eventSeen(d.id, &duplicate, error))
            return std::nullopt;
        if (duplicate) {
            success(d.id);
            continue;
        }
        if (!d.error.isEmpty()) {
            failure(d.id, d.error);
            continue;
        }
        switch (d.kind) {
        case DecodedEvent::Kind::Trace:
            batch.add(d.trace);
            break;
        case DecodedEvent::Kind::Observation: {
            ObservationPatch observation = d.observation;
            if (observation.traceId.isEmpty()) {
                // An update may leave the trace out: take the one already known.
                if (const ObservationPatch *earlier = batch.observation(observation.id))
                    observation.traceId = earlier->traceId;
                else if (!storedTraceOf(observation.id, &observation.traceId, error))
                    return std::nullopt;
            }
            if (observation.traceId.isEmpty()) {
                failure(d.id, QStringLiteral("body.traceId is required"));
                continue;
            }
            batch.add(std::move(observation));
            break;
        }
        case DecodedEvent::Kind::Score:
            batch.add(d.score);
            break;
        case DecodedEvent::Kind::Log:
            qCDebug(lcServer) << "sdk-log event" << d.id;
            break;
        case DecodedEvent::Kind::None:
            break;
        }
        seen.insert(d.id);
        newIds.append(d.id);
        success(d.id);
    }

    if (!writeInTransaction(batch, newIds, changed, error))
        return std::nullopt;
    return result;
}

} // namespace xeroml::server
