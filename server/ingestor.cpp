// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ingestor.h"

#include "server/logging.h"
#include "server/store.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QUuid>
#include <QVariant>

#include <cmath>

namespace xeroml::server {

namespace {

// How an observation's cost came about (observations.cost_source).
enum CostSource { NoUsage = 0, Sent = 1, Priced = 2, Unpriced = 3 };

template<typename T> void take(std::optional<T> &mine, const std::optional<T> &later)
{
    if (later)
        mine = later;
}

// Metadata objects merge key by key (as SQLite's json_patch does on the stored row).
void mergeMetadata(std::optional<QString> &mine, const std::optional<QString> &later)
{
    if (!later)
        return;
    if (mine) {
        const QJsonDocument a = QJsonDocument::fromJson(mine->toUtf8());
        const QJsonDocument b = QJsonDocument::fromJson(later->toUtf8());
        if (a.isObject() && b.isObject()) {
            QJsonObject merged = a.object();
            const QJsonObject add = b.object();
            for (auto it = add.begin(); it != add.end(); ++it)
                merged.insert(it.key(), it.value());
            mine = QString::fromUtf8(QJsonDocument(merged).toJson(QJsonDocument::Compact));
            return;
        }
    }
    mine = later;
}

QVariant nullable(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : QVariant();
}

QVariant nullable(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool isInput(const QString &type)
{
    return type.startsWith(QLatin1String("input"));
}

bool isOutput(const QString &type)
{
    return type.startsWith(QLatin1String("output"));
}

// The metadata column takes a JSON object key by key, anything else whole.
const QLatin1String kMergeMetadata(
    "metadata = CASE WHEN ? IS NULL THEN metadata WHEN json_valid(metadata) AND"
    " json_type(metadata) = 'object' AND json_type(?) = 'object' THEN json_patch(metadata, ?)"
    " ELSE ? END");

} // namespace

void TracePatch::merge(const TracePatch &later)
{
    if (later.ts) {
        if (ts && later.earliestTs)
            ts = std::min(*ts, *later.ts);
        else
            ts = later.ts;
        earliestTs = earliestTs && later.earliestTs;
    }
    createOnly = createOnly && later.createOnly;
    take(name, later.name);
    take(userId, later.userId);
    take(sessionId, later.sessionId);
    take(environment, later.environment);
    take(release, later.release);
    take(version, later.version);
    take(tags, later.tags);
    mergeMetadata(metadata, later.metadata);
    take(input, later.input);
    take(output, later.output);
}

void ObservationPatch::merge(const ObservationPatch &later)
{
    if (!later.traceId.isEmpty())
        traceId = later.traceId;
    take(parentId, later.parentId);
    take(type, later.type);
    take(name, later.name);
    take(startMs, later.startMs);
    take(endMs, later.endMs);
    take(completionStartMs, later.completionStartMs);
    take(model, later.model);
    take(level, later.level);
    take(statusMessage, later.statusMessage);
    take(input, later.input);
    take(output, later.output);
    mergeMetadata(metadata, later.metadata);
    take(environment, later.environment);
    take(usage, later.usage);
    take(cost, later.cost);
}

void IngestBatch::add(TracePatch patch)
{
    const auto it = m_traceIndex.constFind(patch.id);
    if (it != m_traceIndex.cend()) {
        traces[*it].merge(patch);
        return;
    }
    m_traceIndex.insert(patch.id, traces.size());
    traces.push_back(std::move(patch));
}

void IngestBatch::add(ObservationPatch patch)
{
    const auto it = m_observationIndex.constFind(patch.id);
    if (it != m_observationIndex.cend()) {
        observations[*it].merge(patch);
        return;
    }
    m_observationIndex.insert(patch.id, observations.size());
    observations.push_back(std::move(patch));
}

void IngestBatch::add(ScoreRecord score)
{
    const auto it = m_scoreIndex.constFind(score.id);
    if (it != m_scoreIndex.cend()) {
        scores[*it] = std::move(score);
        return;
    }
    m_scoreIndex.insert(score.id, scores.size());
    scores.push_back(std::move(score));
}

const ObservationPatch *IngestBatch::observation(const QString &id) const
{
    const auto it = m_observationIndex.constFind(id);
    return it == m_observationIndex.cend() ? nullptr : &observations[*it];
}

namespace ingest {

std::optional<QString> jsonText(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return std::nullopt;
    // Wrapped in an array so that scalars serialise too; the brackets are cut off again.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString jsonTextFromString(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text.toUtf8() + ']', &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return text;
    return *jsonText(QJsonValue(text));
}

std::optional<qint64> parseTime(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        // Microseconds (Python SDKs): keep the milliseconds.
        static const QRegularExpression micro(
            QStringLiteral("^(.*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\d+(Z|[+-]\\d\\d:?\\d\\d)?$"));
        const auto match = micro.match(text);
        if (match.hasMatch())
            time = QDateTime::fromString(match.captured(1) + match.captured(2), Qt::ISODateWithMs);
    }
    if (!time.isValid())
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC); // no zone given: UTC, as the SDKs mean it
    return time.toMSecsSinceEpoch();
}

bool normaliseUsage(const QJsonObject &usage, UsageDetails *out, QString *error)
{
    static const QHash<QString, QString> kAliases{
        {QStringLiteral("promptTokens"), QStringLiteral("input")},
        {QStringLiteral("prompt_tokens"), QStringLiteral("input")},
        {QStringLiteral("input_tokens"), QStringLiteral("input")},
        {QStringLiteral("inputTokens"), QStringLiteral("input")},
        {QStringLiteral("completionTokens"), QStringLiteral("output")},
        {QStringLiteral("completion_tokens"), QStringLiteral("output")},
        {QStringLiteral("output_tokens"), QStringLiteral("output")},
        {QStringLiteral("outputTokens"), QStringLiteral("output")},
        {QStringLiteral("totalTokens"), QStringLiteral("total")},
        {QStringLiteral("total_tokens"), QStringLiteral("total")},
        {QStringLiteral("cache_read_input_tokens"), QStringLiteral("input_cache_read")},
        {QStringLiteral("cache_creation_input_tokens"), QStringLiteral("input_cache_creation")},
    };
    // Legacy Langfuse usage fields that are not token counts.
    static const QSet<QString> kSkipped{QStringLiteral("unit"), QStringLiteral("inputCost"),
                                        QStringLiteral("outputCost"), QStringLiteral("totalCost")};
    const auto count = [error](const QString &key, const QJsonValue &value, qint64 *n) -> bool {
        const double d = value.toDouble(-1);
        if (!value.isDouble() || d < 0 || d != std::floor(d) || d > 9.0e15) {
            *error = QStringLiteral("usage.%1 must be a non-negative whole number").arg(key);
            return false;
        }
        *n = static_cast<qint64>(d);
        return true;
    };
    UsageDetails details;
    qint64 inputDetails = 0;  // OpenAI's prompt_tokens include these
    qint64 outputDetails = 0; // and completion_tokens these
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        const QString &key = it.key();
        if (kSkipped.contains(key) || it.value().isNull())
            continue;
        if (it.value().isObject() && (key == QLatin1String("prompt_tokens_details") ||
                                      key == QLatin1String("completion_tokens_details"))) {
            const bool input = key.startsWith(QLatin1String("prompt"));
            const QJsonObject sub = it.value().toObject();
            for (auto s = sub.begin(); s != sub.end(); ++s) {
                if (s.value().isNull())
                    continue;
                qint64 n = 0;
                if (!count(key + QLatin1Char('.') + s.key(), s.value(), &n))
                    return false;
                if (n == 0)
                    continue;
                details[(input ? QStringLiteral("input_") : QStringLiteral("output_")) + s.key()] +=
                    n;
                (input ? inputDetails : outputDetails) += n;
            }
            continue;
        }
        qint64 n = 0;
        if (!count(key, it.value(), &n))
            return false;
        details[kAliases.value(key, key)] += n;
    }
    if (details.contains(QStringLiteral("input")))
        details[QStringLiteral("input")] =
            std::max<qint64>(0, details.value(QStringLiteral("input")) - inputDetails);
    if (details.contains(QStringLiteral("output")))
        details[QStringLiteral("output")] =
            std::max<qint64>(0, details.value(QStringLiteral("output")) - outputDetails);
    if (!details.contains(QStringLiteral("total"))) {
        qint64 total = 0;
        for (const qint64 n : std::as_const(details))
            total += n;
        details.insert(QStringLiteral("total"), total);
    }
    *out = details;
    return true;
}

bool normaliseCost(const QJsonObject &cost, std::optional<CostNanos> *out, QString *error)
{
    CostNanos nanos;
    bool any = false;
    std::optional<qint64> total;
    qint64 sum = 0;
    for (auto it = cost.begin(); it != cost.end(); ++it) {
        const QString &key = it.key();
        if (key == QLatin1String("currency") || it.value().isNull())
            continue;
        const double usd = it.value().toDouble(-1);
        if (!it.value().isDouble() || usd < 0 || usd > 1e9) {
            *error = QStringLiteral("costDetails.%1 must be a non-negative number of USD").arg(key);
            return false;
        }
        const auto n = static_cast<qint64>(std::llround(usd * 1e9));
        any = true;
        if (key == QLatin1String("total") || key == QLatin1String("totalCost")) {
            total = n;
            continue;
        }
        if (isInput(key) || key == QLatin1String("inputCost"))
            nanos.input += n;
        else if (isOutput(key) || key == QLatin1String("outputCost"))
            nanos.output += n;
        sum += n;
    }
    if (!any) {
        out->reset();
        return true;
    }
    nanos.total = total.value_or(sum);
    *out = nanos;
    return true;
}

} // namespace ingest

// Prepared statements, made once per server on the store's connection.
struct Ingestor::Statements
{
    explicit Statements(const QSqlDatabase &db)
        : eventSeen(db)
        , eventInsert(db)
        , traceSelect(db)
        , traceInsert(db)
        , traceUpdate(db)
        , observationSelect(db)
        , observationInsert(db)
        , observationUpdate(db)
        , scoreSelect(db)
        , scoreUpsert(db)
        , aggregates(db)
        , rowid(db)
    {}
    QSqlQuery eventSeen;
    QSqlQuery eventInsert;
    QSqlQuery traceSelect;
    QSqlQuery traceInsert;
    QSqlQuery traceUpdate;
    QSqlQuery observationSelect;
    QSqlQuery observationInsert;
    QSqlQuery observationUpdate;
    QSqlQuery scoreSelect;
    QSqlQuery scoreUpsert;
    QSqlQuery aggregates;
    QSqlQuery rowid;
};

Ingestor::Ingestor(Store &store)
    : m_store(store)
    , m_prices(PriceTable::builtIn())
{}

Ingestor::~Ingestor() = default;

bool Ingestor::prepare(QString *error)
{
    if (m_statements)
        return true;
    auto s = std::make_unique<Statements>(m_store.database());
    const auto prep = [error](QSqlQuery &query, const QString &sql) {
        if (!query.prepare(sql)) {
            *error = query.lastError().text();
            return false;
        }
        return true;
    };
    const bool ok =
        prep(s->eventSeen, QStringLiteral("SELECT 1 FROM ingested_events WHERE id = ?")) &&
        prep(s->eventInsert,
             QStringLiteral("INSERT OR IGNORE INTO ingested_events (id, ts) VALUES (?, ?)")) &&
        prep(s->traceSelect, QStringLiteral("SELECT ts FROM traces WHERE id = ?")) &&
        prep(s->traceInsert,
             QStringLiteral("INSERT INTO traces (id, ts, name, user_id, user_id_lower, session_id,"
                            " environment, release, version, tags, metadata, input, output)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) &&
        prep(s->traceUpdate,
             QStringLiteral("UPDATE traces SET ts = ?, name = COALESCE(?, name),"
                            " user_id = COALESCE(?, user_id),"
                            " user_id_lower = COALESCE(?, user_id_lower),"
                            " session_id = COALESCE(?, session_id),"
                            " environment = COALESCE(?, environment),"
                            " release = COALESCE(?, release), version = COALESCE(?, version),"
                            " tags = COALESCE(?, tags), input = COALESCE(?, input),"
                            " output = COALESCE(?, output), ") +
                 kMergeMetadata + QStringLiteral(" WHERE id = ?")) &&
        prep(s->observationSelect,
             QStringLiteral("SELECT trace_id, model, start_time, input_tokens, output_tokens,"
                            " total_tokens, input_cost_nanos, output_cost_nanos, total_cost_nanos,"
                            " cost_source FROM observations WHERE id = ?")) &&
        prep(s->observationInsert,
             QStringLiteral("INSERT INTO observations (id, trace_id, parent_observation_id, type,"
                            " name, start_time, end_time, completion_start_time, model, level,"
                            " status_message, input, output, metadata, environment, input_tokens,"
                            " output_tokens, total_tokens, input_cost_nanos, output_cost_nanos,"
                            " total_cost_nanos, cost_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) &&
        prep(s->observationUpdate,
             QStringLiteral("UPDATE observations SET trace_id = ?,"
                            " parent_observation_id = COALESCE(?, parent_observation_id),"
                            " type = COALESCE(?, type), name = COALESCE(?, name), start_time = ?,"
                            " end_time = COALESCE(?, end_time),"
                            " completion_start_time = COALESCE(?, completion_start_time),"
                            " model = ?, level = COALESCE(?, level),"
                            " status_message = COALESCE(?, status_message),"
                            " input = COALESCE(?, input), output = COALESCE(?, output),"
                            " environment = COALESCE(?, environment), input_tokens = ?,"
                            " output_tokens = ?, total_tokens = ?, input_cost_nanos = ?,"
                            " output_cost_nanos = ?, total_cost_nanos = ?, cost_source = ?, ") +
                 kMergeMetadata + QStringLiteral(" WHERE id = ?")) &&
        prep(s->scoreSelect, QStringLiteral("SELECT trace_id FROM scores WHERE id = ?")) &&
        prep(s->scoreUpsert,
             QStringLiteral(
                 "INSERT INTO scores (id, trace_id, observation_id, session_id, name, value,"
                 " string_value, data_type, source, comment, author_user_id, ts, environment)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT environment"
                 " FROM traces WHERE id = ?), 'default')) ON CONFLICT (id) DO UPDATE SET"
                 " trace_id = excluded.trace_id, observation_id = excluded.observation_id,"
                 " session_id = excluded.session_id, name = excluded.name,"
                 " value = excluded.value, string_value = excluded.string_value,"
                 " data_type = excluded.data_type, source = excluded.source,"
                 " comment = excluded.comment, author_user_id = excluded.author_user_id,"
                 " ts = excluded.ts, environment = excluded.environment")) &&
        // Every touched trace's aggregates, recomputed from its raw rows (exact in any order).
        prep(s->aggregates,
             QStringLiteral(
                 "UPDATE traces SET (observation_count, input_tokens, output_tokens,"
                 " total_tokens, total_cost_nanos, latency_ms) = (SELECT COUNT(*),"
                 " COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),"
                 " COALESCE(SUM(total_tokens), 0), COALESCE(SUM(total_cost_nanos), 0),"
                 " MAX(COALESCE(end_time, start_time)) - MIN(start_time) FROM observations"
                 " WHERE trace_id = traces.id), (score_sum, score_count) = (SELECT"
                 " COALESCE(SUM(value), 0), COUNT(*) FROM scores WHERE trace_id = traces.id AND"
                 " data_type = 'NUMERIC' AND value IS NOT NULL) WHERE id = ?")) &&
        prep(s->rowid, QStringLiteral("SELECT rowid FROM traces WHERE id = ?"));
    if (!ok)
        return false;
    m_statements = std::move(s);
    return true;
}

bool Ingestor::write(const IngestBatch &batch, QString *error)
{
    if (!prepare(error))
        return false;
    QSqlDatabase db = m_store.database();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QList<qint64> changed;
    if (!writeInTransaction(batch, {}, &changed, error)) {
        db.rollback();
        return false;
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        db.rollback();
        return false;
    }
    for (const qint64 rowid : std::as_const(changed))
        m_store.traceChanged(rowid);
    return true;
}

bool Ingestor::writeInTransaction(const IngestBatch &batch, const QStringList &eventIds,
                                  QList<qint64> *changedRows, QString *error)
{
    Statements &s = *m_statements;
    const auto exec = [error](QSqlQuery &query, const QVariantList &values) {
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(static_cast<int>(i), values.at(i));
        if (!query.exec()) {
            *error = query.lastError().text();
            return false;
        }
        return true;
    };
    const qint64 now = nowMs();
    for (const QString &id : eventIds) {
        if (!exec(s.eventInsert, {id, now}))
            return false;
    }

    QStringList touched;
    QSet<QString> touchedSet;
    const auto touch = [&](const QString &traceId) {
        if (!traceId.isEmpty() && !touchedSet.contains(traceId)) {
            touchedSet.insert(traceId);
            touched.append(traceId);
        }
    };

    const auto writeTrace = [&](const TracePatch &t, qint64 fallbackMs) -> bool {
        if (!exec(s.traceSelect, {t.id}))
            return false;
        const std::optional<QString> userLower =
            t.userId ? std::optional<QString>(t.userId->toLower()) : std::nullopt;
        if (!s.traceSelect.next()) {
            s.traceSelect.finish();
            return exec(s.traceInsert,
                        {t.id, t.ts.value_or(fallbackMs), nullable(t.name), nullable(t.userId),
                         nullable(userLower), nullable(t.sessionId),
                         t.environment.value_or(QStringLiteral("default")), nullable(t.release),
                         nullable(t.version), t.tags.value_or(QStringLiteral("[]")),
                         nullable(t.metadata), nullable(t.input), nullable(t.output)});
        }
        const qint64 storedTs = s.traceSelect.value(0).toLongLong();
        s.traceSelect.finish();
        if (t.createOnly)
            return true;
        qint64 ts = storedTs;
        if (t.ts)
            ts = t.earliestTs ? std::min(storedTs, *t.ts) : *t.ts;
        const QVariant metadata = nullable(t.metadata);
        return exec(s.traceUpdate,
                    {ts, nullable(t.name), nullable(t.userId), nullable(userLower),
                     nullable(t.sessionId), nullable(t.environment), nullable(t.release),
                     nullable(t.version), nullable(t.tags), nullable(t.input), nullable(t.output),
                     metadata, metadata, metadata, metadata, t.id});
    };

    for (const TracePatch &t : batch.traces) {
        if (!writeTrace(t, now))
            return false;
        touch(t.id);
    }
    // An observation whose trace was never stated creates it (it fills in when it arrives).
    for (const ObservationPatch &o : batch.observations) {
        if (touchedSet.contains(o.traceId))
            continue;
        TracePatch implicit;
        implicit.id = o.traceId;
        implicit.ts = o.startMs.value_or(o.fallbackMs);
        implicit.environment = o.environment;
        implicit.createOnly = true;
        if (!writeTrace(implicit, now))
            return false;
        touch(o.traceId);
    }

    QHash<QString, int> unpriced;
    for (const ObservationPatch &o : batch.observations) {
        if (!exec(s.observationSelect, {o.id}))
            return false;
        const bool exists = s.observationSelect.next();
        QString oldTrace;
        std::optional<QString> model = o.model;
        std::optional<qint64> start = o.startMs;
        qint64 tokens[3] = {0, 0, 0};
        CostNanos cost;
        int costSource = NoUsage;
        if (exists) {
            oldTrace = s.observationSelect.value(0).toString();
            if (!model && !s.observationSelect.value(1).isNull())
                model = s.observationSelect.value(1).toString();
            if (!start)
                start = s.observationSelect.value(2).toLongLong();
            for (int k = 0; k < 3; ++k)
                tokens[k] = s.observationSelect.value(3 + k).toLongLong();
            cost.input = s.observationSelect.value(6).toLongLong();
            cost.output = s.observationSelect.value(7).toLongLong();
            cost.total = s.observationSelect.value(8).toLongLong();
            costSource = s.observationSelect.value(9).toInt();
        }
        s.observationSelect.finish();
        const qint64 startMs = start.value_or(o.fallbackMs);

        UsageDetails usage;
        if (o.usage) {
            usage = *o.usage;
            tokens[0] = tokens[1] = 0;
            for (auto it = usage.cbegin(); it != usage.cend(); ++it) {
                if (isInput(it.key()))
                    tokens[0] += it.value();
                else if (isOutput(it.key()))
                    tokens[1] += it.value();
            }
            tokens[2] = usage.value(QStringLiteral("total"));
        } else {
            usage.insert(QStringLiteral("input"), tokens[0]);
            usage.insert(QStringLiteral("output"), tokens[1]);
            usage.insert(QStringLiteral("total"), tokens[2]);
        }
        if (o.cost) {
            cost = *o.cost;
            costSource = Sent;
        } else if (costSource != Sent && (!exists || o.usage || o.model || o.startMs)) {
            // Priced again whenever what the price depends on may have changed.
            cost = CostNanos();
            if (tokens[0] == 0 && tokens[1] == 0 && tokens[2] == 0) {
                costSource = NoUsage;
            } else if (const auto priced =
                           model ? m_prices.cost(*model, startMs, usage) : std::nullopt) {
                cost = *priced;
                costSource = Priced;
            } else {
                costSource = Unpriced;
                unpriced[model.value_or(QStringLiteral("(no model)"))] += 1;
            }
        }

        if (!exists) {
            if (!exec(s.observationInsert, {o.id,
                                            o.traceId,
                                            nullable(o.parentId),
                                            o.type.value_or(QStringLiteral("SPAN")),
                                            nullable(o.name),
                                            startMs,
                                            nullable(o.endMs),
                                            nullable(o.completionStartMs),
                                            nullable(model),
                                            o.level.value_or(QStringLiteral("DEFAULT")),
                                            nullable(o.statusMessage),
                                            nullable(o.input),
                                            nullable(o.output),
                                            nullable(o.metadata),
                                            o.environment.value_or(QStringLiteral("default")),
                                            tokens[0],
                                            tokens[1],
                                            tokens[2],
                                            cost.input,
                                            cost.output,
                                            cost.total,
                                            costSource}))
                return false;
        } else {
            const QVariant metadata = nullable(o.metadata);
            if (!exec(s.observationUpdate, {o.traceId,
                                            nullable(o.parentId),
                                            nullable(o.type),
                                            nullable(o.name),
                                            startMs,
                                            nullable(o.endMs),
                                            nullable(o.completionStartMs),
                                            nullable(model),
                                            nullable(o.level),
                                            nullable(o.statusMessage),
                                            nullable(o.input),
                                            nullable(o.output),
                                            nullable(o.environment),
                                            tokens[0],
                                            tokens[1],
                                            tokens[2],
                                            cost.input,
                                            cost.output,
                                            cost.total,
                                            costSource,
                                            metadata,
                                            metadata,
                                            metadata,
                                            metadata,
                                            o.id}))
                return false;
            touch(oldTrace);
        }
        touch(o.traceId);
    }
    for (auto it = unpriced.cbegin(); it != unpriced.cend(); ++it) {
        qCInfo(lcServer).noquote().nospace()
            << "ingestion: " << it.value() << " observation(s) with usage but no price for model '"
            << it.key() << "' (counted as unpriced)";
    }

    for (const ScoreRecord &score : batch.scores) {
        if (!exec(s.scoreSelect, {score.id}))
            return false;
        if (s.scoreSelect.next())
            touch(s.scoreSelect.value(0).toString());
        s.scoreSelect.finish();
        if (!exec(s.scoreUpsert, {score.id, nullable(score.traceId), nullable(score.observationId),
                                  nullable(score.sessionId), score.name,
                                  score.value ? QVariant(*score.value) : QVariant(),
                                  nullable(score.stringValue), score.dataType, score.source,
                                  nullable(score.comment), nullable(score.authorUserId), score.ts,
                                  nullable(score.environment), nullable(score.traceId)}))
            return false;
        if (score.traceId)
            touch(*score.traceId);
    }

    for (const QString &traceId : std::as_const(touched)) {
        if (!exec(s.aggregates, {traceId}) || !exec(s.rowid, {traceId}))
            return false;
        if (s.rowid.next())
            changedRows->append(s.rowid.value(0).toLongLong());
        s.rowid.finish();
    }
    return true;
}

bool Ingestor::eventSeen(const QString &id, bool *seen, QString *error)
{
    QSqlQuery &query = m_statements->eventSeen;
    query.bindValue(0, id);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    *seen = query.next();
    query.finish();
    return true;
}

bool Ingestor::storedTraceOf(const QString &observationId, QString *traceId, QString *error)
{
    QSqlQuery &query = m_statements->observationSelect;
    query.bindValue(0, observationId);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    if (query.next())
        *traceId = query.value(0).toString();
    query.finish();
    return true;
}

QJsonObject Ingestor::stats(QString *error) const
{
    QSqlQuery query(m_store.database());
    QJsonArray models;
    qint64 unpricedTotal = 0;
    if (!query.exec(QStringLiteral("SELECT COALESCE(model, ''), COUNT(*) FROM observations"
                                   " WHERE cost_source = 3 GROUP BY 1 ORDER BY 2 DESC, 1"))) {
        *error = query.lastError().text();
        return {};
    }
    while (query.next()) {
        const qint64 n = query.value(1).toLongLong();
        unpricedTotal += n;
        const QString model = query.value(0).toString();
        models.append(QJsonObject{
            {QLatin1String("model"), model.isEmpty() ? QJsonValue(QJsonValue::Null) : model},
            {QLatin1String("observations"), n}});
    }
    QSqlQuery events(m_store.database());
    if (!events.exec(QStringLiteral("SELECT COUNT(*) FROM ingested_events")) || !events.next()) {
        *error = events.lastError().text();
        return {};
    }
    return QJsonObject{{QLatin1String("ingestedEvents"), events.value(0).toLongLong()},
                       {QLatin1String("unpricedObservations"), unpricedTotal},
                       {QLatin1String("unpricedModels"), models},
                       {QLatin1String("pricedModels"), m_prices.size()}};
}

} // namespace xeroml::server
