// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/ingestor.h"

#include "server/logging.h"
#include "server/store.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <QVariant>
#include <sqlite3.h>

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

namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, qint64 m, qint64 d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// "YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]", what every SDK sends, without QDateTime's cost.
std::optional<qint64> fastIsoTime(QStringView s)
{
    const auto digits = [&s](qsizetype at, int count) -> int {
        int value = 0;
        for (int i = 0; i < count; ++i) {
            const char16_t c = s[at + i].unicode();
            if (c < u'0' || c > u'9')
                return -1;
            value = value * 10 + (c - u'0');
        }
        return value;
    };
    if (s.size() < 19 || s[4] != u'-' || s[7] != u'-' || s[10] != u'T' || s[13] != u':' ||
        s[16] != u':')
        return std::nullopt;
    const int year = digits(0, 4);
    const int month = digits(5, 2);
    const int day = digits(8, 2);
    const int hour = digits(11, 2);
    const int minute = digits(14, 2);
    const int second = digits(17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 59)
        return std::nullopt;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap))
        return std::nullopt;
    qsizetype at = 19;
    int ms = 0;
    if (at < s.size() && s[at] == u'.') {
        ++at;
        int count = 0;
        while (at < s.size() && s[at] >= u'0' && s[at] <= u'9') {
            if (count < 3)
                ms = ms * 10 + (s[at].unicode() - u'0');
            ++count;
            ++at;
        }
        if (count == 0)
            return std::nullopt;
        for (int i = count; i < 3; ++i)
            ms *= 10;
    }
    qint64 offsetMinutes = 0;
    if (at < s.size() && s[at] == u'Z') {
        ++at;
    } else if (at < s.size() && (s[at] == u'+' || s[at] == u'-')) {
        const int sign = s[at] == u'-' ? -1 : 1;
        ++at;
        if (at + 2 > s.size())
            return std::nullopt;
        const int oh = digits(at, 2);
        at += 2;
        if (at < s.size() && s[at] == u':')
            ++at;
        if (at + 2 > s.size())
            return std::nullopt;
        const int om = digits(at, 2);
        at += 2;
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return std::nullopt;
        offsetMinutes = sign * (oh * 60 + om);
    }
    if (at != s.size())
        return std::nullopt;
    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                           second - offsetMinutes * 60;
    return seconds * 1000 + ms;
}

} // namespace

std::optional<qint64> parseTime(const QString &text)
{
    if (const auto fast = fastIsoTime(text))
        return fast;
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

namespace {

// One prepared sqlite3 statement on the store's own connection. The write path talks to
// SQLite directly: QSqlQuery's per-value QVariant and field bookkeeping cost as much as the
// inserts themselves (measured with bench_ingest).
class Statement
{
public:
    Statement() = default;
    ~Statement() { sqlite3_finalize(m_stmt); }
    Q_DISABLE_COPY_MOVE(Statement)

    [[nodiscard]] bool prepare(sqlite3 *db, const QString &sql, QString *error)
    {
        m_db = db;
        const QByteArray utf8 = sql.toUtf8();
        if (sqlite3_prepare_v3(db, utf8.constData(), static_cast<int>(utf8.size()),
                               SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
            *error = QString::fromUtf8(sqlite3_errmsg(db));
            return false;
        }
        return true;
    }
    void bind(int index, const QString &value)
    {
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()),
                          SQLITE_TRANSIENT);
    }
    void bind(int index, const std::optional<QString> &value)
    {
        if (value)
            bind(index, *value);
        else
            sqlite3_bind_null(m_stmt, index);
    }
    void bind(int index, qint64 value) { sqlite3_bind_int64(m_stmt, index, value); }
    void bind(int index, const std::optional<qint64> &value)
    {
        if (value)
            bind(index, *value);
        else
            sqlite3_bind_null(m_stmt, index);
    }
    void bind(int index, const std::optional<double> &value)
    {
        if (value)
            sqlite3_bind_double(m_stmt, index, *value);
        else
            sqlite3_bind_null(m_stmt, index);
    }
    /// Runs the statement; *row says whether it produced a row (read it before done()).
    [[nodiscard]] bool step(QString *error, bool *row = nullptr)
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *error = QString::fromUtf8(sqlite3_errmsg(m_db));
            done();
            return false;
        }
        if (row)
            *row = rc == SQLITE_ROW;
        else
            done();
        return true;
    }
    [[nodiscard]] bool isNull(int column) const
    {
        return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
    }
    [[nodiscard]] qint64 int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
    [[nodiscard]] QString text(int column) const
    {
        const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
        return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
    }
    /// Ends a run: resets the statement and clears its bindings.
    void done()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// The trace columns a patch states, bound as ?1 … ?13 by both trace statements.
const QLatin1String kTraceAggregates(
    "(SELECT COUNT(*) AS n, COALESCE(SUM(input_tokens), 0) AS i, COALESCE(SUM(output_tokens), 0)"
    " AS o, COALESCE(SUM(total_tokens), 0) AS t, COALESCE(SUM(total_cost_nanos), 0) AS c,"
    " MAX(COALESCE(end_time, start_time)) - MIN(start_time) AS l FROM observations"
    " WHERE trace_id = ?1) a, (SELECT COALESCE(SUM(value), 0) AS sum, COUNT(*) AS n FROM scores"
    " WHERE trace_id = ?1 AND data_type = 'NUMERIC' AND value IS NOT NULL) s");

void bindTrace(Statement &s, const TracePatch &t, qint64 ts)
{
    s.bind(1, t.id);
    s.bind(2, ts);
    s.bind(3, t.name);
    s.bind(4, t.userId);
    s.bind(5, t.userId ? std::optional<QString>(t.userId->toLower()) : std::nullopt);
    s.bind(6, t.sessionId);
    s.bind(7, t.environment);
    s.bind(8, t.release);
    s.bind(9, t.version);
    s.bind(10, t.tags);
    s.bind(11, t.metadata);
    s.bind(12, t.input);
    s.bind(13, t.output);
}

} // namespace

// Prepared statements, made once per server on the store's connection.
struct Ingestor::Statements
{
    Statement eventSeen;
    Statement eventInsert;
    Statement traceInsert;
    Statement traceUpdate;
    Statement observationSelect;
    Statement observationInsert;
    Statement observationUpdate;
    Statement scoreSelect;
    Statement scoreUpsert;
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
    // The store's own connection (same thread, same transaction), as a sqlite3 handle.
    const QVariant handle = m_store.database().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) {
        *error = QStringLiteral("the store's connection is not SQLite");
        return false;
    }
    sqlite3 *db = *static_cast<sqlite3 *const *>(handle.constData());
    if (!db) {
        *error = QStringLiteral("the store is not open");
        return false;
    }
    auto s = std::make_unique<Statements>();
    const bool ok =
        s->eventSeen.prepare(db, QStringLiteral("SELECT 1 FROM ingested_events WHERE id = ?1"),
                             error) &&
        s->eventInsert.prepare(
            db, QStringLiteral("INSERT OR IGNORE INTO ingested_events (id, ts) VALUES (?1, ?2)"),
            error) &&
        // A new trace arrives with its aggregates already computed from its rows: one insert,
        // one run of the rollup trigger.
        s->traceInsert.prepare(
            db,
            QStringLiteral("INSERT INTO traces (id, ts, name, user_id, user_id_lower, session_id,"
                           " environment, release, version, tags, metadata, input, output,"
                           " observation_count, input_tokens, output_tokens, total_tokens,"
                           " total_cost_nanos, latency_ms, score_sum, score_count) SELECT ?1, ?2,"
                           " ?3, ?4, ?5, ?6, COALESCE(?7, 'default'), ?8, ?9, COALESCE(?10, '[]'),"
                           " ?11, ?12, ?13, a.n, a.i, a.o, a.t, a.c, a.l, s.sum, s.n FROM ") +
                kTraceAggregates + QStringLiteral(" WHERE true ON CONFLICT (id) DO NOTHING"),
            error) &&
        // Stated fields and the recomputed aggregates in one update (one trigger run).
        s->traceUpdate.prepare(
            db,
            QStringLiteral("UPDATE traces SET ts = CASE WHEN ?2 IS NULL THEN ts WHEN ?14 THEN"
                           " MIN(ts, ?2) ELSE ?2 END, name = COALESCE(?3, name),"
                           " user_id = COALESCE(?4, user_id),"
                           " user_id_lower = COALESCE(?5, user_id_lower),"
                           " session_id = COALESCE(?6, session_id),"
                           " environment = COALESCE(?7, environment),"
                           " release = COALESCE(?8, release), version = COALESCE(?9, version),"
                           " tags = COALESCE(?10, tags), metadata = CASE WHEN ?11 IS NULL THEN"
                           " metadata WHEN json_valid(metadata) AND json_type(metadata) = 'object'"
                           " AND json_type(?11) = 'object' THEN json_patch(metadata, ?11) ELSE ?11"
                           " END, input = COALESCE(?12, input), output = COALESCE(?13, output),"
                           " (observation_count, input_tokens, output_tokens, total_tokens,"
                           " total_cost_nanos, latency_ms, score_sum, score_count) = (SELECT a.n,"
                           " a.i, a.o, a.t, a.c, a.l, s.sum, s.n FROM ") +
                kTraceAggregates + QStringLiteral(") WHERE id = ?1 RETURNING rowid"),
            error) &&
        s->observationSelect.prepare(
            db,
            QStringLiteral("SELECT trace_id, model, start_time, input_tokens, output_tokens,"
                           " total_tokens, input_cost_nanos, output_cost_nanos, total_cost_nanos,"
                           " cost_source FROM observations WHERE id = ?1"),
            error) &&
        s->observationInsert.prepare(
            db,
            QStringLiteral("INSERT INTO observations (id, trace_id, parent_observation_id, type,"
                           " name, start_time, end_time, completion_start_time, model, level,"
                           " status_message, input, output, metadata, environment, input_tokens,"
                           " output_tokens, total_tokens, input_cost_nanos, output_cost_nanos,"
                           " total_cost_nanos, cost_source) VALUES (?1, ?2, ?3, COALESCE(?4,"
                           " 'SPAN'), ?5, ?6, ?7, ?8, ?9, COALESCE(?10, 'DEFAULT'), ?11, ?12, ?13,"
                           " ?14, COALESCE(?15, 'default'), ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
                           " ON CONFLICT (id) DO NOTHING"),
            error) &&
        s->observationUpdate.prepare(
            db,
            QStringLiteral("UPDATE observations SET trace_id = ?2,"
                           " parent_observation_id = COALESCE(?3, parent_observation_id),"
                           " type = COALESCE(?4, type), name = COALESCE(?5, name),"
                           " start_time = ?6, end_time = COALESCE(?7, end_time),"
                           " completion_start_time = COALESCE(?8, completion_start_time),"
                           " model = ?9, level = COALESCE(?10, level),"
                           " status_message = COALESCE(?11, status_message),"
                           " input = COALESCE(?12, input), output = COALESCE(?13, output),"
                           " metadata = CASE WHEN ?14 IS NULL THEN metadata WHEN"
                           " json_valid(metadata) AND json_type(metadata) = 'object' AND"
                           " json_type(?14) = 'object' THEN json_patch(metadata, ?14) ELSE ?14"
                           " END, environment = COALESCE(?15, environment), input_tokens = ?16,"
                           " output_tokens = ?17, total_tokens = ?18, input_cost_nanos = ?19,"
                           " output_cost_nanos = ?20, total_cost_nanos = ?21, cost_source = ?22"
                           " WHERE id = ?1"),
            error) &&
        s->scoreSelect.prepare(db, QStringLiteral("SELECT trace_id FROM scores WHERE id = ?1"),
                               error) &&
        s->scoreUpsert.prepare(
            db,
            QStringLiteral(
                "INSERT INTO scores (id, trace_id, observation_id, session_id, name, value,"
                " string_value, data_type, source, comment, author_user_id, ts, environment)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, COALESCE(?13,"
                " (SELECT environment FROM traces WHERE id = ?2), 'default')) ON CONFLICT (id) DO"
                " UPDATE SET trace_id = excluded.trace_id, observation_id ="
                " excluded.observation_id, session_id = excluded.session_id, name = excluded.name,"
                " value = excluded.value, string_value = excluded.string_value,"
                " data_type = excluded.data_type, source = excluded.source,"
                " comment = excluded.comment, author_user_id = excluded.author_user_id,"
                " ts = excluded.ts, environment = excluded.environment"),
            error);
    if (!ok)
        return false;
    m_db = db;
    m_statements = std::move(s);
    return true;
}

bool Ingestor::begin(QString *error)
{
    if (!prepare(error))
        return false;
    QSqlDatabase db = m_store.database();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    // Event ids are kept for deduplication as long as an SDK may retry (minutes), with a wide
    // margin; older ones are dropped at most once an hour, so the table stays bounded.
    const qint64 now = nowMs();
    if (now - m_lastPruneMs >= EventIdPruneIntervalMs) {
        QSqlQuery prune(db);
        prune.prepare(QStringLiteral("DELETE FROM ingested_events WHERE ts < ?"));
        prune.addBindValue(now - EventIdRetentionMs);
        if (!prune.exec()) {
            *error = prune.lastError().text();
            db.rollback();
            return false;
        }
        m_lastPruneMs = now;
    }
    return true;
}

bool Ingestor::commit(const QList<qint64> &changed, QString *error)
{
    QSqlDatabase db = m_store.database();
    if (!db.commit()) {
        *error = db.lastError().text();
        return false;
    }
    for (const qint64 rowid : changed)
        m_store.traceChanged(rowid);
    return true;
}

void Ingestor::rollback()
{
    m_store.database().rollback();
}

bool Ingestor::writeIn(const IngestBatch &batch, QList<qint64> *changed, QString *error)
{
    return writeInTransaction(batch, {}, changed, error);
}

bool Ingestor::write(const IngestBatch &batch, QString *error)
{
    if (!begin(error))
        return false;
    QList<qint64> changed;
    if (!writeIn(batch, &changed, error) || !commit(changed, error)) {
        rollback();
        return false;
    }
    return true;
}

bool Ingestor::writeInTransaction(const IngestBatch &batch, const QStringList &eventIds,
                                  QList<qint64> *changedRows, QString *error)
{
    Statements &s = *m_statements;
    const qint64 now = nowMs();
    for (const QString &id : eventIds) {
        s.eventInsert.bind(1, id);
        s.eventInsert.bind(2, now);
        if (!s.eventInsert.step(error))
            return false;
    }

    // Traces whose aggregates change, in order; observations and scores are written first so
    // that each trace row is then written once, with its aggregates from its raw rows.
    QStringList touched;
    QSet<QString> touchedSet;
    const auto touch = [&](const QString &traceId) {
        if (!traceId.isEmpty() && !touchedSet.contains(traceId)) {
            touchedSet.insert(traceId);
            touched.append(traceId);
        }
    };
    QHash<QString, size_t> patchOf;
    for (size_t i = 0; i < batch.traces.size(); ++i) {
        patchOf.insert(batch.traces[i].id, i);
        touch(batch.traces[i].id);
    }
    // A trace only its observations name is created from them (it fills in when it arrives).
    QHash<QString, TracePatch> implicit;

    QHash<QString, int> unpriced;
    for (const ObservationPatch &o : batch.observations) {
        // The row as stored before this patch, when there is one.
        struct Stored
        {
            QString traceId;
            std::optional<QString> model;
            qint64 startMs = 0;
            qint64 tokens[3] = {0, 0, 0};
            CostNanos cost;
            int costSource = NoUsage;
        };
        // What the merged row holds for model, time, tokens and cost.
        struct Resolved
        {
            std::optional<QString> model;
            qint64 startMs = 0;
            qint64 tokens[3] = {0, 0, 0};
            CostNanos cost;
            int costSource = NoUsage;
        };
        const auto resolve = [&](const Stored *stored) {
            Resolved r;
            r.model = o.model;
            if (stored) {
                if (!r.model)
                    r.model = stored->model;
                std::copy(std::begin(stored->tokens), std::end(stored->tokens), r.tokens);
                r.cost = stored->cost;
                r.costSource = stored->costSource;
            }
            r.startMs = o.startMs ? *o.startMs : stored ? stored->startMs : o.fallbackMs;
            UsageDetails usage;
            if (o.usage) {
                usage = *o.usage;
                r.tokens[0] = r.tokens[1] = 0;
                for (auto it = usage.cbegin(); it != usage.cend(); ++it) {
                    if (isInput(it.key()))
                        r.tokens[0] += it.value();
                    else if (isOutput(it.key()))
                        r.tokens[1] += it.value();
                }
                r.tokens[2] = usage.value(QStringLiteral("total"));
            } else {
                usage.insert(QStringLiteral("input"), r.tokens[0]);
                usage.insert(QStringLiteral("output"), r.tokens[1]);
                usage.insert(QStringLiteral("total"), r.tokens[2]);
            }
            if (o.cost) {
                r.cost = *o.cost;
                r.costSource = Sent;
            } else if (r.costSource != Sent && (!stored || o.usage || o.model || o.startMs)) {
                // Priced again whenever what the price depends on may have changed.
                r.cost = CostNanos();
                if (r.tokens[0] == 0 && r.tokens[1] == 0 && r.tokens[2] == 0) {
                    r.costSource = NoUsage;
                } else if (const auto priced =
                               r.model ? m_prices.cost(*r.model, r.startMs, usage) : std::nullopt) {
                    r.cost = *priced;
                    r.costSource = Priced;
                } else {
                    r.costSource = Unpriced;
                }
            }
            return r;
        };
        const auto bindRow = [&o](Statement &write, const Resolved &r) {
            write.bind(1, o.id);
            write.bind(2, o.traceId);
            write.bind(3, o.parentId);
            write.bind(4, o.type);
            write.bind(5, o.name);
            write.bind(6, r.startMs);
            write.bind(7, o.endMs);
            write.bind(8, o.completionStartMs);
            write.bind(9, r.model);
            write.bind(10, o.level);
            write.bind(11, o.statusMessage);
            write.bind(12, o.input);
            write.bind(13, o.output);
            write.bind(14, o.metadata);
            write.bind(15, o.environment);
            write.bind(16, r.tokens[0]);
            write.bind(17, r.tokens[1]);
            write.bind(18, r.tokens[2]);
            write.bind(19, r.cost.input);
            write.bind(20, r.cost.output);
            write.bind(21, r.cost.total);
            write.bind(22, static_cast<qint64>(r.costSource));
        };

        // Tried as a new row first (most are); the insert does nothing when the id exists.
        Resolved resolved = resolve(nullptr);
        bindRow(s.observationInsert, resolved);
        if (!s.observationInsert.step(error))
            return false;
        if (sqlite3_changes(m_db) == 0) {
            Statement &select = s.observationSelect;
            select.bind(1, o.id);
            bool found = false;
            if (!select.step(error, &found))
                return false;
            Stored stored;
            if (found) {
                stored.traceId = select.text(0);
                if (!select.isNull(1))
                    stored.model = select.text(1);
                stored.startMs = select.int64(2);
                for (int k = 0; k < 3; ++k)
                    stored.tokens[k] = select.int64(3 + k);
                stored.cost.input = select.int64(6);
                stored.cost.output = select.int64(7);
                stored.cost.total = select.int64(8);
                stored.costSource = static_cast<int>(select.int64(9));
            }
            select.done();
            if (!found) {
                *error = QStringLiteral("observation %1 neither inserted nor found").arg(o.id);
                return false;
            }
            resolved = resolve(&stored);
            bindRow(s.observationUpdate, resolved);
            if (!s.observationUpdate.step(error))
                return false;
            touch(stored.traceId);
        }
        if (resolved.costSource == Unpriced && !o.cost)
            unpriced[resolved.model.value_or(QStringLiteral("(no model)"))] += 1;
        const qint64 startMs = resolved.startMs;
        touch(o.traceId);
        if (!patchOf.contains(o.traceId)) {
            auto it = implicit.find(o.traceId);
            if (it == implicit.end()) {
                TracePatch t;
                t.id = o.traceId;
                t.ts = startMs;
                t.environment = o.environment;
                t.createOnly = true;
                implicit.insert(o.traceId, t);
            } else if (startMs < *it->ts) {
                it->ts = startMs;
            }
        }
    }
    for (auto it = unpriced.cbegin(); it != unpriced.cend(); ++it) {
        qCInfo(lcServer).noquote().nospace()
            << "ingestion: " << it.value() << " observation(s) with usage but no price for model '"
            << it.key() << "' (counted as unpriced)";
    }

    for (const ScoreRecord &score : batch.scores) {
        s.scoreSelect.bind(1, score.id);
        bool exists = false;
        if (!s.scoreSelect.step(error, &exists))
            return false;
        if (exists)
            touch(s.scoreSelect.text(0));
        s.scoreSelect.done();
        Statement &upsert = s.scoreUpsert;
        upsert.bind(1, score.id);
        upsert.bind(2, score.traceId);
        upsert.bind(3, score.observationId);
        upsert.bind(4, score.sessionId);
        upsert.bind(5, score.name);
        upsert.bind(6, score.value);
        upsert.bind(7, score.stringValue);
        upsert.bind(8, score.dataType);
        upsert.bind(9, score.source);
        upsert.bind(10, score.comment);
        upsert.bind(11, score.authorUserId);
        upsert.bind(12, score.ts);
        upsert.bind(13, score.environment);
        if (!upsert.step(error))
            return false;
        if (score.traceId)
            touch(*score.traceId);
    }

    // Each touched trace: inserted with its aggregates when new (the common case, tried first),
    // else stated fields merged and aggregates recomputed, in one statement either way.
    const TracePatch none;
    for (const QString &traceId : std::as_const(touched)) {
        const auto patchIt = patchOf.constFind(traceId);
        const auto implicitIt = implicit.constFind(traceId);
        const TracePatch *patch = patchIt != patchOf.cend()       ? &batch.traces[*patchIt]
                                  : implicitIt != implicit.cend() ? &*implicitIt
                                                                  : nullptr;
        if (patch) {
            bindTrace(s.traceInsert, *patch, patch->ts.value_or(now));
            if (!s.traceInsert.step(error))
                return false;
            if (sqlite3_changes(m_db) == 1) {
                changedRows->append(sqlite3_last_insert_rowid(m_db));
                continue;
            }
        }
        // An implicit patch only creates; on an existing row it only refreshes aggregates.
        const TracePatch &t = patch && !patch->createOnly ? *patch : none;
        bindTrace(s.traceUpdate, t, 0);
        s.traceUpdate.bind(1, traceId);
        s.traceUpdate.bind(2, t.ts);
        s.traceUpdate.bind(14, static_cast<qint64>(t.earliestTs ? 1 : 0));
        bool updated = false;
        if (!s.traceUpdate.step(error, &updated))
            return false;
        // No row: a score for a trace not (yet) ingested; its row brings the score along.
        if (updated)
            changedRows->append(s.traceUpdate.int64(0));
        s.traceUpdate.done();
    }
    return true;
}

bool Ingestor::eventSeen(const QString &id, bool *seen, QString *error)
{
    Statement &query = m_statements->eventSeen;
    query.bind(1, id);
    if (!query.step(error, seen))
        return false;
    query.done();
    return true;
}

bool Ingestor::storedTraceOf(const QString &observationId, QString *traceId, QString *error)
{
    Statement &query = m_statements->observationSelect;
    query.bind(1, observationId);
    bool found = false;
    if (!query.step(error, &found))
        return false;
    if (found)
        *traceId = query.text(0);
    query.done();
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
