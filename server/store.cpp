// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/store.h"

#include "server/logging.h"

#include <QFile>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace xeroml::server {

namespace {

const QLatin1String kProjectId("xeroml-local");
const QLatin1String kProjectName("Local XeroML");

// Statements are idempotent so that opening an existing file is the same code path.
const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS traces ("
    " id TEXT PRIMARY KEY,"
    " ts INTEGER NOT NULL," // ms since the epoch, UTC
    " name TEXT,"
    " user_id TEXT,"
    " user_id_lower TEXT," // QString::toLower(user_id): Unicode-aware search
    " session_id TEXT,"
    " environment TEXT NOT NULL DEFAULT 'default',"
    " release TEXT,"
    " version TEXT,"
    " tags TEXT NOT NULL DEFAULT '[]'," // JSON array
    " metadata TEXT,"
    " input TEXT,"
    " output TEXT,"
    " latency_ms INTEGER,"
    // Aggregates of the trace's observations and NUMERIC scores, kept equal to the raw rows.
    " observation_count INTEGER NOT NULL DEFAULT 0,"
    " input_tokens INTEGER NOT NULL DEFAULT 0,"
    " output_tokens INTEGER NOT NULL DEFAULT 0,"
    " total_tokens INTEGER NOT NULL DEFAULT 0,"
    " total_cost_nanos INTEGER NOT NULL DEFAULT 0,"
    " score_sum REAL NOT NULL DEFAULT 0,"
    " score_count INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS observations ("
    " id TEXT PRIMARY KEY,"
    " trace_id TEXT NOT NULL,"
    " parent_observation_id TEXT,"
    " type TEXT NOT NULL," // SPAN, GENERATION, EVENT
    " name TEXT,"
    " start_time INTEGER NOT NULL,"
    " end_time INTEGER,"
    " completion_start_time INTEGER,"
    " model TEXT,"
    " level TEXT NOT NULL DEFAULT 'DEFAULT',"
    " status_message TEXT,"
    " input TEXT,"
    " output TEXT,"
    " metadata TEXT,"
    " environment TEXT NOT NULL DEFAULT 'default',"
    " input_tokens INTEGER NOT NULL DEFAULT 0,"
    " output_tokens INTEGER NOT NULL DEFAULT 0,"
    " total_tokens INTEGER NOT NULL DEFAULT 0,"
    " input_cost_nanos INTEGER NOT NULL DEFAULT 0,"
    " output_cost_nanos INTEGER NOT NULL DEFAULT 0,"
    " total_cost_nanos INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS scores ("
    " id TEXT PRIMARY KEY,"
    " trace_id TEXT,"
    " observation_id TEXT,"
    " session_id TEXT,"
    " name TEXT NOT NULL,"
    " value REAL,"
    " string_value TEXT,"
    " data_type TEXT NOT NULL," // NUMERIC, BOOLEAN, CATEGORICAL
    " source TEXT NOT NULL,"    // API, ANNOTATION, EVAL
    " comment TEXT,"
    " author_user_id TEXT,"
    " ts INTEGER NOT NULL,"
    " environment TEXT NOT NULL DEFAULT 'default')",
    // Ingestion: the ids of the events already applied, so that a retried batch counts once.
    "CREATE TABLE IF NOT EXISTS ingested_events (id TEXT PRIMARY KEY, ts INTEGER NOT NULL)"
    " WITHOUT ROWID",
};

// Secondary indexes, apart so that a bulk load into an empty store can build them once at
// the end (a sorted build) instead of updating them row by row.
const char *const kIndexes[] = {
    // Covers the whole /users aggregation (incl. search) so it never touches the wide rows
    // holding input/output; the (user_id, ts) prefix also serves one user's time range.
    "CREATE INDEX IF NOT EXISTS traces_user ON traces (user_id, ts, environment, session_id,"
    " observation_count, input_tokens, output_tokens, total_tokens, total_cost_nanos,"
    " score_sum, score_count, user_id_lower) WHERE user_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS traces_ts ON traces (ts)",
    // One user's trace ids without reading the wide rows: the scores of a user (Metrics
    // scores-numeric and /v2/scores by userId join scores on them) — 73k traces: 2.5 -> 0.5 s.
    "CREATE INDEX IF NOT EXISTS traces_user_id ON traces (user_id, id) WHERE user_id IS NOT NULL",
    // The few traces without a user, so that loading the trace columns never reads the wide
    // table rows.
    "CREATE INDEX IF NOT EXISTS traces_no_user ON traces (ts, environment, session_id,"
    " observation_count, input_tokens, output_tokens, total_tokens, total_cost_nanos)"
    " WHERE user_id IS NULL",
    // Session detail, /traces?sessionId= and /sessions without a user filter.
    "CREATE INDEX IF NOT EXISTS traces_session ON traces (session_id, ts)"
    " WHERE session_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS observations_trace ON observations (trace_id)",
    "CREATE INDEX IF NOT EXISTS scores_trace ON scores (trace_id)",
    "CREATE INDEX IF NOT EXISTS scores_ts ON scores (ts)",
};

// The daily rollup behind /metrics/daily?userId= (see store.h). Triggers keep it equal to the
// raw rows under every writer, this process's or another's; a bulk load drops them with the
// indexes and rebuilds the rollup once at the end.
const char *const kRollupTables[] = {
    // Per user, UTC day (ts / 86400000, as the SQL path groups) and environment: the traces and
    // their denormalised observation count and cost.
    "CREATE TABLE IF NOT EXISTS daily_traces (user_id TEXT NOT NULL, day INTEGER NOT NULL,"
    " environment TEXT NOT NULL, traces INTEGER NOT NULL, observations INTEGER NOT NULL,"
    " cost_nanos INTEGER NOT NULL, PRIMARY KEY (user_id, day, environment)) WITHOUT ROWID",
    // Per user, day, environment and model: the observations with that model and the distinct
    // traces holding one (a trace lies in one user, day and environment, so sums stay exact).
    "CREATE TABLE IF NOT EXISTS daily_models (user_id TEXT NOT NULL, day INTEGER NOT NULL,"
    " environment TEXT NOT NULL, model TEXT NOT NULL, traces INTEGER NOT NULL,"
    " observations INTEGER NOT NULL, input_tokens INTEGER NOT NULL,"
    " output_tokens INTEGER NOT NULL, total_tokens INTEGER NOT NULL,"
    " cost_nanos INTEGER NOT NULL, PRIMARY KEY (user_id, day, environment, model)) WITHOUT ROWID",
};

#define XR_ADD_TRACE(T, SIGN, COND)                                                                \
    "INSERT INTO daily_traces SELECT " T ".user_id, " T ".ts / 86400000, " T ".environment, " SIGN \
    "1, " SIGN T ".observation_count, " SIGN T ".total_cost_nanos WHERE " T                        \
    ".user_id IS NOT NULL" COND                                                                    \
    " ON CONFLICT DO UPDATE SET traces = traces + excluded.traces, observations = observations"    \
    " + excluded.observations, cost_nanos = cost_nanos + excluded.cost_nanos;"
#define XR_MODEL_UPSERT                                                                            \
    " ON CONFLICT DO UPDATE SET traces = traces + excluded.traces, observations = observations"    \
    " + excluded.observations, input_tokens = input_tokens + excluded.input_tokens,"               \
    " output_tokens = output_tokens + excluded.output_tokens, total_tokens = total_tokens +"       \
    " excluded.total_tokens, cost_nanos = cost_nanos + excluded.cost_nanos;"
// All observations of trace T (a whole trace entering or leaving a (user, day, environment)).
#define XR_ADD_TRACE_MODELS(T, SIGN, COND)                                                         \
    "INSERT INTO daily_models SELECT " T ".user_id, " T ".ts / 86400000, " T ".environment,"       \
    " o.model, " SIGN "1, " SIGN "COUNT(*), " SIGN "SUM(o.input_tokens), " SIGN                    \
    "SUM(o.output_tokens), " SIGN "SUM(o.total_tokens), " SIGN "SUM(o.total_cost_nanos)"           \
    " FROM observations o WHERE o.trace_id = " T ".id AND o.model IS NOT NULL AND " T              \
    ".user_id IS NOT NULL" COND " GROUP BY o.model" XR_MODEL_UPSERT
// One observation O entering or leaving; its trace counts once per model.
#define XR_ADD_OBSERVATION(O, SIGN, EXCLUDE)                                                       \
    "INSERT INTO daily_models SELECT t.user_id, t.ts / 86400000, t.environment, " O                \
    ".model, " SIGN "(NOT EXISTS (SELECT 1 FROM observations x WHERE x.trace_id = " O              \
    ".trace_id AND"                                                                                \
    " x.model = " O ".model AND x.rowid != " EXCLUDE ")), " SIGN "1, " SIGN O                      \
    ".input_tokens, " SIGN O ".output_tokens, " SIGN O ".total_tokens, " SIGN O                    \
    ".total_cost_nanos FROM traces t"                                                              \
    " WHERE t.id = " O ".trace_id AND t.user_id IS NOT NULL AND " O                                \
    ".model IS NOT NULL" XR_MODEL_UPSERT

const char *const kRollupTriggers[] = {
    "CREATE TRIGGER IF NOT EXISTS daily_trace_insert AFTER INSERT ON traces BEGIN " XR_ADD_TRACE(
        "NEW", "", "") XR_ADD_TRACE_MODELS("NEW", "", "") " END",
    "CREATE TRIGGER IF NOT EXISTS daily_trace_delete AFTER DELETE ON traces BEGIN " XR_ADD_TRACE(
        "OLD", "-", "") XR_ADD_TRACE_MODELS("OLD", "-", "") " END",
    "CREATE TRIGGER IF NOT EXISTS daily_trace_update AFTER UPDATE OF id, user_id, ts, environment,"
    " observation_count, total_cost_nanos ON traces BEGIN " XR_ADD_TRACE("OLD", "-", "")
        XR_ADD_TRACE("NEW", "", "")
            XR_ADD_TRACE_MODELS("OLD", "-",
                                " AND (OLD.id IS NOT NEW.id OR OLD.user_id IS NOT"
                                " NEW.user_id OR OLD.ts / 86400000 IS NOT NEW.ts /"
                                " 86400000 OR OLD.environment IS NOT NEW.environment)")
                XR_ADD_TRACE_MODELS("NEW", "",
                                    " AND (OLD.id IS NOT NEW.id OR OLD.user_id IS NOT"
                                    " NEW.user_id OR OLD.ts / 86400000 IS NOT NEW.ts /"
                                    " 86400000 OR OLD.environment IS NOT NEW.environment)") " END",
    "CREATE TRIGGER IF NOT EXISTS daily_observation_insert AFTER INSERT ON observations"
    " BEGIN " XR_ADD_OBSERVATION("NEW", "", "NEW.rowid") " END",
    "CREATE TRIGGER IF NOT EXISTS daily_observation_delete AFTER DELETE ON observations"
    " BEGIN " XR_ADD_OBSERVATION("OLD", "-", "OLD.rowid") " END",
    "CREATE TRIGGER IF NOT EXISTS daily_observation_update AFTER UPDATE OF trace_id, model,"
    " input_tokens, output_tokens, total_tokens, total_cost_nanos ON observations"
    " BEGIN " XR_ADD_OBSERVATION("OLD", "-", "NEW.rowid")
        XR_ADD_OBSERVATION("NEW", "", "NEW.rowid") " END",
};
const char *const kRollupTriggerNames[] = {"daily_trace_insert",       "daily_trace_delete",
                                           "daily_trace_update",       "daily_observation_insert",
                                           "daily_observation_delete", "daily_observation_update"};

#undef XR_ADD_TRACE
#undef XR_MODEL_UPSERT
#undef XR_ADD_TRACE_MODELS
#undef XR_ADD_OBSERVATION
const char *const kIndexNames[] = {"traces_user",    "traces_ts",      "traces_user_id",
                                   "traces_no_user", "traces_session", "observations_trace",
                                   "scores_trace",   "scores_ts"};

QString randomHex(int bytes)
{
    QByteArray buffer(bytes, Qt::Uninitialized);
    for (char &c : buffer)
        c = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(buffer.toHex());
}

// The SQL expression each orderBy field sorts on; only these fixed strings reach SQL.
QString orderExpression(UserOrderField field)
{
    switch (field) {
    case UserOrderField::UserId:
        return QStringLiteral("user_id");
    case UserOrderField::TotalTraces:
        return QStringLiteral("total_traces");
    case UserOrderField::TotalSessions:
        return QStringLiteral("total_sessions");
    case UserOrderField::TotalObservations:
        return QStringLiteral("total_observations");
    case UserOrderField::InputTokens:
        return QStringLiteral("input_tokens");
    case UserOrderField::OutputTokens:
        return QStringLiteral("output_tokens");
    case UserOrderField::TotalTokens:
        return QStringLiteral("total_tokens");
    case UserOrderField::TotalCost:
        return QStringLiteral("total_cost_nanos");
    case UserOrderField::AverageScore:
        // Rounded so that float summation noise (1e-16) cannot reorder users whose averages
        // are equal for every practical purpose: those ties go to user_id like all others.
        return QStringLiteral("ROUND(average_score, 9)");
    case UserOrderField::FirstTraceAt:
        return QStringLiteral("first_ts");
    case UserOrderField::LastTraceAt:
        return QStringLiteral("last_ts");
    }
    return QStringLiteral("user_id");
}

} // namespace

Store::Store()
    : m_connectionName(QStringLiteral("xeroml-server-") +
                       QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

Store::~Store()
{
    m_traceRow.reset();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool Store::isOpen() const
{
    return m_db.isOpen();
}

bool Store::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql)) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

bool Store::open(const QString &path, QString *error)
{
    if (!QFile::exists(path)) {
        // Created here, not by SQLite, so that the keys in it are never world-readable even
        // for an instant; SQLite gives the -wal and -shm files the same mode.
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                       QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            *error = QStringLiteral("cannot create %1: %2").arg(path, file.errorString());
            return false;
        }
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, m_db.lastError().text());
        return false;
    }
    // WAL + NORMAL: readers never block the writer and a committed transaction survives a
    // killed process; a large page cache keeps bulk loads and aggregations in memory.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                               "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-131072"}) {
        if (!exec(QLatin1String(pragma), error))
            return false;
    }
    if (!createSchema(error) || !ensureProject(error))
        return false;
    qCDebug(lcServer) << "opened store" << path;
    return true;
}

bool Store::createSchema(QString *error)
{
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return false;
    }
    for (const char *statement : kSchema) {
        if (!exec(QLatin1String(statement), error)) {
            m_db.rollback();
            return false;
        }
    }
    if (!addIngestionColumns(error)) {
        m_db.rollback();
        return false;
    }
    for (const char *statement : kRollupTables) {
        if (!exec(QLatin1String(statement), error)) {
            m_db.rollback();
            return false;
        }
    }
    if (!createIndexes(error)) {
        m_db.rollback();
        return false;
    }
    // A file written before the rollup existed gets it once, from its rows.
    if (metaValue(QStringLiteral("daily_rollup")).isEmpty() &&
        (!rebuildDailyRollup(error) ||
         !setMetaValue(QStringLiteral("daily_rollup"), QStringLiteral("1"), error))) {
        m_db.rollback();
        return false;
    }
    const QString version = metaValue(QStringLiteral("schema_version"));
    if (!version.isEmpty() && version.toInt() > SchemaVersion) {
        m_db.rollback();
        *error = QStringLiteral("the database has schema version %1; this server knows up to %2")
                     .arg(version)
                     .arg(SchemaVersion);
        return false;
    }
    if (!setMetaValue(QStringLiteral("schema_version"), QString::number(SchemaVersion), error)) {
        m_db.rollback();
        return false;
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        return false;
    }
    return true;
}

bool Store::addIngestionColumns(QString *error)
{
    // How each observation's cost came about: 0 no usage, 1 sent by the client, 2 from the
    // model price table, 3 unpriced (usage, but no price for the model). Added in place to
    // files written before ingestion existed (no table rewrite: the default is constant).
    QSqlQuery columns(m_db);
    if (!columns.exec(QStringLiteral("SELECT 1 FROM pragma_table_info('observations')"
                                     " WHERE name = 'cost_source'"))) {
        *error = columns.lastError().text();
        return false;
    }
    const bool present = columns.next();
    columns.finish();
    if (!present &&
        !exec(QStringLiteral("ALTER TABLE observations ADD COLUMN cost_source INTEGER NOT NULL"
                             " DEFAULT 0"),
              error))
        return false;
    // Small: only unpriced rows are in it (GET /api/public/ingestion/stats).
    return exec(QStringLiteral("CREATE INDEX IF NOT EXISTS observations_unpriced ON observations"
                               " (model) WHERE cost_source = 3"),
                error);
}

bool Store::ensureProject(QString *error)
{
    if (!metaValue(QStringLiteral("secret_key")).isEmpty())
        return true;
    return setMetaValue(QStringLiteral("project_id"), kProjectId, error) &&
           setMetaValue(QStringLiteral("project_name"), kProjectName, error) &&
           setMetaValue(QStringLiteral("public_key"), QStringLiteral("pk-xr-") + randomHex(16),
                        error) &&
           setMetaValue(QStringLiteral("secret_key"), QStringLiteral("sk-xr-") + randomHex(32),
                        error);
}

bool Store::dropIndexes(QString *error)
{
    for (const char *name : kIndexNames) {
        if (!exec(QStringLiteral("DROP INDEX IF EXISTS ") + QLatin1String(name), error))
            return false;
    }
    for (const char *name : kRollupTriggerNames) {
        if (!exec(QStringLiteral("DROP TRIGGER IF EXISTS ") + QLatin1String(name), error))
            return false;
    }
    return true;
}

bool Store::rebuildDailyRollup(QString *error)
{
    return exec(QStringLiteral("DELETE FROM daily_traces"), error) &&
           exec(QStringLiteral("DELETE FROM daily_models"), error) &&
           exec(
               QStringLiteral("INSERT INTO daily_traces SELECT user_id, ts / 86400000, environment,"
                              " COUNT(*), SUM(observation_count), SUM(total_cost_nanos) FROM traces"
                              " WHERE user_id IS NOT NULL GROUP BY 1, 2, 3"),
               error) &&
           exec(QStringLiteral(
                    "INSERT INTO daily_models SELECT t.user_id, t.ts / 86400000, t.environment,"
                    " o.model, COUNT(DISTINCT o.trace_id), COUNT(*), SUM(o.input_tokens),"
                    " SUM(o.output_tokens), SUM(o.total_tokens), SUM(o.total_cost_nanos)"
                    " FROM observations o JOIN traces t ON t.id = o.trace_id"
                    " WHERE o.model IS NOT NULL AND t.user_id IS NOT NULL GROUP BY 1, 2, 3, 4"),
                error);
}

bool Store::createIndexes(QString *error)
{
    for (const char *statement : kIndexes) {
        if (!exec(QLatin1String(statement), error))
            return false;
    }
    for (const char *statement : kRollupTriggers) {
        if (!exec(QLatin1String(statement), error))
            return false;
    }
    return true;
}

QString Store::metaValue(const QString &key) const
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(key);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

bool Store::setMetaValue(const QString &key, const QString &value, QString *error)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    query.addBindValue(key);
    query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

bool Store::isEmpty() const
{
    QSqlQuery query(m_db);
    return !(query.exec(QStringLiteral("SELECT 1 FROM traces LIMIT 1")) && query.next());
}

void Store::analyze()
{
    QString error;
    if (!exec(QStringLiteral("ANALYZE"), &error))
        qCWarning(lcServer) << "ANALYZE failed:" << error;
    // A bulk load leaves a WAL as large as the data; give that disk space back.
    if (!exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), &error))
        qCWarning(lcServer) << "checkpoint failed:" << error;
}

const TraceColumns *Store::columns() const
{
    QString error;
    if (!m_columns.refreshIfStale(m_db, &error)) {
        qCWarning(lcServer) << "loading trace columns failed:" << error;
        return nullptr;
    }
    return m_columns.isLoaded() ? &m_columns : nullptr;
}

void Store::invalidateColumns()
{
    m_columns = TraceColumns();
}

void Store::traceChanged(qint64 rowid)
{
    if (!m_columns.isLoaded())
        return; // loaded whole on next use
    // Prepared once: ingestion calls this for every trace it writes.
    if (!m_traceRow) {
        m_traceRow.emplace(m_db);
        m_traceRow->setForwardOnly(true);
        if (!m_traceRow->prepare(QStringLiteral(
                "SELECT user_id, ts, environment, session_id, observation_count, input_tokens,"
                " output_tokens, total_tokens, total_cost_nanos, score_sum, score_count FROM traces"
                " WHERE rowid = ?"))) {
            m_traceRow.reset();
            invalidateColumns();
            return;
        }
    }
    QSqlQuery &query = *m_traceRow;
    query.bindValue(0, rowid);
    if (!query.exec()) {
        query.finish();
        invalidateColumns();
        return;
    }
    if (!query.next()) {
        query.finish();
        m_columns.remove(rowid);
        return;
    }
    TraceColumns::Row row;
    row.userId = query.value(0).toString();
    row.ts = query.value(1).toLongLong();
    row.environment = query.value(2).toString();
    row.sessionId = query.value(3).toString();
    row.observationCount = query.value(4).toLongLong();
    row.inputTokens = query.value(5).toLongLong();
    row.outputTokens = query.value(6).toLongLong();
    row.totalTokens = query.value(7).toLongLong();
    row.costNanos = query.value(8).toLongLong();
    row.scoreSum = query.value(9).toDouble();
    row.scoreCount = query.value(10).toLongLong();
    query.finish();
    m_columns.upsert(rowid, row);
}

std::optional<UsersPage> Store::users(const UsersRequest &request, QString *error) const
{
    if (const TraceColumns *columns = this->columns())
        return columns->users(request);
    return usersSql(request, error);
}

std::optional<UsersPage> Store::usersSql(const UsersRequest &request, QString *error) const
{
    QVariantList binds;
    const QString where = request.sqlWhere(&binds);

    const QString direction = request.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    QString orderBy;
    if (request.orderField == UserOrderField::AverageScore)
        orderBy = QStringLiteral("average_score IS NULL, "); // users without scores always last
    orderBy += orderExpression(request.orderField) + QLatin1Char(' ') + direction;
    if (request.orderField != UserOrderField::UserId)
        orderBy += QStringLiteral(", user_id ASC");

    // COUNT(*) OVER () counts the groups in the same pass as the page itself.
    const QString sql =
        QStringLiteral("SELECT user_id, COUNT(*) AS total_traces,"
                       " COUNT(DISTINCT session_id) AS total_sessions,"
                       " SUM(observation_count) AS total_observations,"
                       " SUM(input_tokens) AS input_tokens,"
                       " SUM(output_tokens) AS output_tokens,"
                       " SUM(total_tokens) AS total_tokens,"
                       " SUM(total_cost_nanos) AS total_cost_nanos,"
                       " SUM(score_count) AS score_count,"
                       " CASE WHEN SUM(score_count) > 0"
                       "  THEN SUM(score_sum) / SUM(score_count) END AS average_score,"
                       " MIN(ts) AS first_ts, MAX(ts) AS last_ts,"
                       " GROUP_CONCAT(DISTINCT environment) AS environments,"
                       " COUNT(*) OVER () AS total_items"
                       " FROM traces WHERE %1 GROUP BY user_id ORDER BY %2"
                       " LIMIT ? OFFSET ?")
            .arg(where, orderBy);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    for (const QVariant &value : std::as_const(binds))
        query.addBindValue(value);
    query.addBindValue(request.limit);
    query.addBindValue(static_cast<qint64>(request.page - 1) * request.limit);
    if (!query.exec()) {
        *error = query.lastError().text();
        return std::nullopt;
    }

    UsersPage page;
    bool counted = false;
    while (query.next()) {
        QJsonObject user;
        user.insert(QLatin1String("userId"), query.value(0).toString());
        user.insert(QLatin1String("totalTraces"), query.value(1).toLongLong());
        user.insert(QLatin1String("totalSessions"), query.value(2).toLongLong());
        user.insert(QLatin1String("totalObservations"), query.value(3).toLongLong());
        user.insert(QLatin1String("inputTokens"), query.value(4).toLongLong());
        user.insert(QLatin1String("outputTokens"), query.value(5).toLongLong());
        user.insert(QLatin1String("totalTokens"), query.value(6).toLongLong());
        user.insert(QLatin1String("totalCost"),
                    static_cast<double>(query.value(7).toLongLong()) / 1e9);
        const QVariant average = query.value(9);
        user.insert(QLatin1String("averageScore"), average.isNull()
                                                       ? QJsonValue(QJsonValue::Null)
                                                       : QJsonValue(average.toDouble()));
        user.insert(QLatin1String("scoreCount"), query.value(8).toLongLong());
        user.insert(QLatin1String("firstTraceAt"),
                    UsersRequest::formatTimestamp(query.value(10).toLongLong()));
        user.insert(QLatin1String("lastTraceAt"),
                    UsersRequest::formatTimestamp(query.value(11).toLongLong()));
        // Environment names cannot hold commas (they follow Langfuse's [a-z0-9-_] rule).
        QStringList environments =
            query.value(12).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        environments.sort();
        user.insert(QLatin1String("environments"), QJsonArray::fromStringList(environments));
        page.data.append(user);
        if (!counted) {
            page.totalItems = query.value(13).toLongLong();
            counted = true;
        }
    }
    if (query.lastError().isValid()) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    if (!counted && request.page > 1) {
        // Past the last page the window function has no row to report on.
        QSqlQuery count(m_db);
        count.prepare(
            QStringLiteral("SELECT COUNT(DISTINCT user_id) FROM traces WHERE %1").arg(where));
        for (const QVariant &value : std::as_const(binds))
            count.addBindValue(value);
        if (!count.exec() || !count.next()) {
            *error = count.lastError().text();
            return std::nullopt;
        }
        page.totalItems = count.value(0).toLongLong();
    }
    return page;
}

} // namespace xeroml::server
