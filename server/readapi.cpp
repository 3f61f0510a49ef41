// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/readapi.h"

#include "server/logging.h"
#include "server/queryparams.h"
#include "server/usersrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

#include <map>
#include <optional>

namespace xeroml::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 100;
constexpr qint64 kDayMs = 86400000;

// The columns behind a TraceSummary, in the order traceSummary() reads them.
const QLatin1String kTraceColumns(
    "t.id, t.ts, t.name, t.user_id, t.session_id, t.environment, t.release, t.version, t.tags,"
    " t.metadata, %1, t.latency_ms, t.total_cost_nanos, t.input_tokens, t.output_tokens,"
    " t.total_tokens, t.observation_count");
const QLatin1String kTraceIo("t.input, t.output");
const QLatin1String kTraceNoIo("NULL, NULL");
constexpr int kTraceColumnCount = 18;

const QLatin1String kScoreColumns(
    "s.id, s.trace_id, s.observation_id, s.session_id, s.name, s.value, s.string_value,"
    " s.data_type, s.source, s.comment, s.author_user_id, s.ts, s.environment, t.user_id");

double usd(const QVariant &nanos)
{
    return static_cast<double>(nanos.toLongLong()) / 1e9;
}

QJsonValue stringOrNull(const QVariant &value)
{
    return value.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(value.toString());
}

QJsonValue secondsOrNull(const QVariant &ms)
{
    return ms.isNull() ? QJsonValue(QJsonValue::Null)
                       : QJsonValue(static_cast<double>(ms.toLongLong()) / 1000.0);
}

/// A WHERE clause under construction: fixed fragments plus their bound values.
struct Where
{
    QStringList clauses;
    QVariantList binds;

    void add(const QString &clause, const QVariant &value)
    {
        clauses.append(clause);
        binds.append(value);
    }
    void addIn(const QString &column, const QStringList &values)
    {
        if (values.isEmpty())
            return;
        QStringList marks;
        for (const QString &value : values) {
            marks.append(QStringLiteral("?"));
            binds.append(value);
        }
        clauses.append(column + QStringLiteral(" IN (") + marks.join(QLatin1Char(',')) +
                       QLatin1Char(')'));
    }
    void addRange(const QString &column, const std::optional<qint64> &from,
                  const std::optional<qint64> &to)
    {
        if (from)
            add(column + QStringLiteral(" >= ?"), *from);
        if (to)
            add(column + QStringLiteral(" < ?"), *to);
    }
    // Every tag must be on the trace.
    void addTags(const QStringList &tags)
    {
        for (const QString &tag : tags) {
            add(QStringLiteral(
                    "EXISTS (SELECT 1 FROM json_each(t.tags) WHERE json_each.value = ?)"),
                tag);
        }
    }
    [[nodiscard]] QString sql() const
    {
        return clauses.isEmpty() ? QStringLiteral("1") : clauses.join(QLatin1String(" AND "));
    }
};

bool run(QSqlQuery &query, const QString &sql, const QVariantList &binds, QString *error)
{
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        *error = query.lastError().text();
        return false;
    }
    for (const QVariant &value : binds)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

QJsonObject paged(const QJsonArray &data, int page, int limit, qint64 totalItems)
{
    return QJsonObject{{QLatin1String("data"), data},
                       {QLatin1String("meta"), ReadApi::pageMeta(page, limit, totalItems)}};
}

QString encodedPathPart(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

// The score ids of each trace on a page, oldest first.
bool attachScoreIds(const QSqlDatabase &db, QJsonArray *traces, QString *error)
{
    if (traces->isEmpty())
        return true;
    QStringList marks;
    QVariantList ids;
    for (const QJsonValue &trace : std::as_const(*traces)) {
        marks.append(QStringLiteral("?"));
        ids.append(trace.toObject().value(QLatin1String("id")).toString());
    }
    QSqlQuery query(db);
    if (!run(query,
             QStringLiteral("SELECT trace_id, id FROM scores WHERE trace_id IN (%1)"
                            " ORDER BY ts, id")
                 .arg(marks.join(QLatin1Char(','))),
             ids, error))
        return false;
    QHash<QString, QJsonArray> byTrace;
    while (query.next())
        byTrace[query.value(0).toString()].append(query.value(1).toString());
    for (qsizetype i = 0; i < traces->size(); ++i) {
        QJsonObject trace = traces->at(i).toObject();
        trace.insert(QLatin1String("scores"),
                     byTrace.value(trace.value(QLatin1String("id")).toString()));
        traces->replace(i, trace);
    }
    return true;
}

QJsonObject scoreObject(const QSqlQuery &q)
{
    QJsonObject score;
    score.insert(QLatin1String("id"), q.value(0).toString());
    score.insert(QLatin1String("traceId"), stringOrNull(q.value(1)));
    score.insert(QLatin1String("observationId"), stringOrNull(q.value(2)));
    score.insert(QLatin1String("sessionId"), stringOrNull(q.value(3)));
    score.insert(QLatin1String("name"), q.value(4).toString());
    score.insert(QLatin1String("value"), q.value(5).isNull() ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(q.value(5).toDouble()));
    score.insert(QLatin1String("stringValue"), stringOrNull(q.value(6)));
    score.insert(QLatin1String("dataType"), q.value(7).toString());
    score.insert(QLatin1String("source"), q.value(8).toString());
    score.insert(QLatin1String("comment"), stringOrNull(q.value(9)));
    score.insert(QLatin1String("authorUserId"), stringOrNull(q.value(10)));
    score.insert(QLatin1String("timestamp"), ReadApi::timeValue(q.value(11)));
    score.insert(QLatin1String("environment"), q.value(12).toString());
    score.insert(QLatin1String("trace"),
                 QJsonObject{{QLatin1String("userId"), stringOrNull(q.value(13))}});
    return score;
}

QJsonObject observationObject(const QSqlQuery &q)
{
    QJsonObject o;
    o.insert(QLatin1String("id"), q.value(0).toString());
    o.insert(QLatin1String("traceId"), q.value(1).toString());
    o.insert(QLatin1String("parentObservationId"), stringOrNull(q.value(2)));
    o.insert(QLatin1String("type"), q.value(3).toString());
    o.insert(QLatin1String("name"), stringOrNull(q.value(4)));
    o.insert(QLatin1String("startTime"), ReadApi::timeValue(q.value(5)));
    o.insert(QLatin1String("endTime"), ReadApi::timeValue(q.value(6)));
    o.insert(QLatin1String("completionStartTime"), ReadApi::timeValue(q.value(7)));
    o.insert(QLatin1String("model"), stringOrNull(q.value(8)));
    o.insert(QLatin1String("level"), q.value(9).toString());
    o.insert(QLatin1String("statusMessage"), stringOrNull(q.value(10)));
    o.insert(QLatin1String("input"), ReadApi::jsonValue(q.value(11)));
    o.insert(QLatin1String("output"), ReadApi::jsonValue(q.value(12)));
    o.insert(QLatin1String("metadata"), ReadApi::jsonValue(q.value(13)));
    o.insert(QLatin1String("environment"), q.value(14).toString());
    o.insert(QLatin1String("usageDetails"),
             QJsonObject{{QLatin1String("input"), q.value(15).toLongLong()},
                         {QLatin1String("output"), q.value(16).toLongLong()},
                         {QLatin1String("total"), q.value(17).toLongLong()}});
    o.insert(QLatin1String("costDetails"), QJsonObject{{QLatin1String("input"), usd(q.value(18))},
                                                       {QLatin1String("output"), usd(q.value(19))},
                                                       {QLatin1String("total"), usd(q.value(20))}});
    o.insert(QLatin1String("calculatedTotalCost"), usd(q.value(20)));
    const QVariant start = q.value(5);
    const QVariant end = q.value(6);
    o.insert(QLatin1String("latency"),
             end.isNull()
                 ? QJsonValue(QJsonValue::Null)
                 : QJsonValue(static_cast<double>(end.toLongLong() - start.toLongLong()) / 1000.0));
    return o;
}

const QLatin1String kObservationColumns(
    "id, trace_id, parent_observation_id, type, name, start_time, end_time,"
    " completion_start_time, model, level, status_message, input, output, metadata, environment,"
    " input_tokens, output_tokens, total_tokens, input_cost_nanos, output_cost_nanos,"
    " total_cost_nanos");

} // namespace

ApiReply ApiReply::error(StatusCode status, const QString &code, const QString &message)
{
    return {status,
            QJsonObject{{QLatin1String("message"), message}, {QLatin1String("code"), code}}};
}

ApiReply ApiReply::invalid(const QString &message)
{
    return error(StatusCode::BadRequest, QStringLiteral("invalid_request"), message);
}

ApiReply ApiReply::notFound(const QString &message)
{
    return error(StatusCode::NotFound, QStringLiteral("not_found"), message);
}

ApiReply ApiReply::internal(const QString &what, const QString &sqlError)
{
    // The SQL error goes to the log only: it may quote the statement.
    qCWarning(lcServer).noquote() << what << "failed:" << sqlError;
    return error(StatusCode::InternalServerError, QStringLiteral("internal"),
                 QStringLiteral("The %1 query failed").arg(what));
}

QJsonValue ReadApi::jsonValue(const QVariant &stored)
{
    if (stored.isNull())
        return QJsonValue(QJsonValue::Null);
    const QByteArray text = stored.toString().toUtf8();
    // Wrapped in an array so that scalars ("42", "\"text\"") parse too.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
        return doc.array().first();
    return QJsonValue(QString::fromUtf8(text));
}

QJsonValue ReadApi::timeValue(const QVariant &ms)
{
    return ms.isNull() ? QJsonValue(QJsonValue::Null)
                       : QJsonValue(UsersRequest::formatTimestamp(ms.toLongLong()));
}

QJsonObject ReadApi::pageMeta(int page, int limit, qint64 totalItems)
{
    return QJsonObject{{QLatin1String("page"), page},
                       {QLatin1String("limit"), limit},
                       {QLatin1String("totalItems"), totalItems},
                       {QLatin1String("totalPages"), (totalItems + limit - 1) / limit}};
}

namespace {

QJsonObject traceSummary(const QSqlQuery &q, bool withIo, const QString &projectId)
{
    QJsonObject t;
    const QString id = q.value(0).toString();
    t.insert(QLatin1String("id"), id);
    t.insert(QLatin1String("timestamp"), ReadApi::timeValue(q.value(1)));
    t.insert(QLatin1String("name"), stringOrNull(q.value(2)));
    t.insert(QLatin1String("userId"), stringOrNull(q.value(3)));
    t.insert(QLatin1String("sessionId"), stringOrNull(q.value(4)));
    t.insert(QLatin1String("environment"), q.value(5).toString());
    t.insert(QLatin1String("release"), stringOrNull(q.value(6)));
    t.insert(QLatin1String("version"), stringOrNull(q.value(7)));
    const QJsonValue tags = ReadApi::jsonValue(q.value(8));
    t.insert(QLatin1String("tags"), tags.isArray() ? tags : QJsonValue(QJsonArray()));
    t.insert(QLatin1String("metadata"), ReadApi::jsonValue(q.value(9)));
    if (withIo) {
        t.insert(QLatin1String("input"), ReadApi::jsonValue(q.value(10)));
        t.insert(QLatin1String("output"), ReadApi::jsonValue(q.value(11)));
    }
    t.insert(QLatin1String("latency"), secondsOrNull(q.value(12)));
    t.insert(QLatin1String("totalCost"), usd(q.value(13)));
    t.insert(QLatin1String("inputTokens"), q.value(14).toLongLong());
    t.insert(QLatin1String("outputTokens"), q.value(15).toLongLong());
    t.insert(QLatin1String("totalTokens"), q.value(16).toLongLong());
    t.insert(QLatin1String("observationCount"), q.value(17).toLongLong());
    t.insert(QLatin1String("scores"), QJsonArray());
    t.insert(QLatin1String("htmlPath"), QStringLiteral("/project/%1/traces/%2")
                                            .arg(encodedPathPart(projectId), encodedPathPart(id)));
    return t;
}

QString traceOrderExpression(const QString &field)
{
    if (field == QLatin1String("name"))
        return QStringLiteral("t.name");
    if (field == QLatin1String("latency"))
        return QStringLiteral("t.latency_ms");
    if (field == QLatin1String("totalCost"))
        return QStringLiteral("t.total_cost_nanos");
    if (field == QLatin1String("totalTokens"))
        return QStringLiteral("t.total_tokens");
    return QStringLiteral("t.ts");
}

} // namespace

ApiReply ReadApi::traces(const QUrlQuery &query) const
{
    QueryParams params(query);
    int page = 1;
    int limit = kDefaultLimit;
    QString orderField = QStringLiteral("timestamp");
    bool descending = true;
    std::optional<qint64> from;
    std::optional<qint64> to;
    if (!params.checkKeys(
            {QStringLiteral("page"), QStringLiteral("limit"), QStringLiteral("userId"),
             QStringLiteral("sessionId"), QStringLiteral("name"), QStringLiteral("fromTimestamp"),
             QStringLiteral("toTimestamp"), QStringLiteral("orderBy"), QStringLiteral("fields")},
            {QStringLiteral("tags"), QStringLiteral("environment")}) ||
        !params.paging(kDefaultLimit, kMaxLimit, &page, &limit) ||
        !params.orderBy({QStringLiteral("timestamp"), QStringLiteral("name"),
                         QStringLiteral("latency"), QStringLiteral("totalCost"),
                         QStringLiteral("totalTokens")},
                        &orderField, &descending) ||
        !params.timeRange(&from, &to))
        return ApiReply::invalid(params.error());

    // fields: comma-separated groups as in Langfuse; io (input/output) only when asked for.
    bool withIo = true;
    if (params.has(QStringLiteral("fields"))) {
        const QStringList groups =
            params.value(QStringLiteral("fields")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        const QStringList known{QStringLiteral("core"), QStringLiteral("io"),
                                QStringLiteral("scores"), QStringLiteral("observations"),
                                QStringLiteral("metrics")};
        for (const QString &group : groups) {
            if (!known.contains(group.trimmed())) {
                return ApiReply::invalid(
                    QStringLiteral("fields must be a comma-separated list of %1")
                        .arg(known.join(QLatin1String(", "))));
            }
        }
        if (groups.isEmpty())
            return ApiReply::invalid(QStringLiteral("fields must not be empty"));
        withIo = false;
        for (const QString &group : groups)
            withIo = withIo || group.trimmed() == QLatin1String("io");
    }

    Where where;
    if (params.has(QStringLiteral("userId")))
        where.add(QStringLiteral("t.user_id = ?"), params.value(QStringLiteral("userId")));
    if (params.has(QStringLiteral("sessionId")))
        where.add(QStringLiteral("t.session_id = ?"), params.value(QStringLiteral("sessionId")));
    if (params.has(QStringLiteral("name")))
        where.add(QStringLiteral("t.name = ?"), params.value(QStringLiteral("name")));
    where.addIn(QStringLiteral("t.environment"), params.values(QStringLiteral("environment")));
    where.addRange(QStringLiteral("t.ts"), from, to);
    where.addTags(params.values(QStringLiteral("tags")));

    QString error;
    QSqlQuery count(m_db);
    if (!run(count, QStringLiteral("SELECT COUNT(*) FROM traces t WHERE ") + where.sql(),
             where.binds, &error) ||
        !count.next())
        return ApiReply::internal(QStringLiteral("traces"), error + count.lastError().text());
    const qint64 totalItems = count.value(0).toLongLong();

    QJsonArray data;
    if (static_cast<qint64>(page - 1) * limit < totalItems) {
        QVariantList binds = where.binds;
        binds << limit << static_cast<qint64>(page - 1) * limit;
        // The page's rowids are chosen first, so that the sort never carries input/output.
        const QString order = QStringLiteral(" ORDER BY ") + traceOrderExpression(orderField) +
                              (descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC")) +
                              QStringLiteral(", t.id ASC");
        const QString sql = QStringLiteral("SELECT ") +
                            QString(kTraceColumns).arg(withIo ? kTraceIo : kTraceNoIo) +
                            QStringLiteral(" FROM traces t WHERE t.rowid IN (SELECT t.rowid FROM"
                                           " traces t WHERE ") +
                            where.sql() + order + QStringLiteral(" LIMIT ? OFFSET ?)") + order;
        QSqlQuery q(m_db);
        if (!run(q, sql, binds, &error))
            return ApiReply::internal(QStringLiteral("traces"), error);
        while (q.next())
            data.append(traceSummary(q, withIo, m_projectId));
        if (!attachScoreIds(m_db, &data, &error))
            return ApiReply::internal(QStringLiteral("trace scores"), error);
    }
    return ApiReply::ok(paged(data, page, limit, totalItems));
}

ApiReply ReadApi::trace(const QString &traceId) const
{
    QString error;
    QSqlQuery q(m_db);
    if (!run(q,
             QStringLiteral("SELECT ") + QString(kTraceColumns).arg(kTraceIo) +
                 QStringLiteral(" FROM traces t WHERE t.id = ?"),
             {traceId}, &error))
        return ApiReply::internal(QStringLiteral("trace"), error);
    if (!q.next())
        return ApiReply::notFound(QStringLiteral("No trace with this id"));
    QJsonArray wrapped{traceSummary(q, true, m_projectId)};
    if (!attachScoreIds(m_db, &wrapped, &error))
        return ApiReply::internal(QStringLiteral("trace scores"), error);
    QJsonObject trace = wrapped.first().toObject();
    // The list of ids becomes the full score objects, as in Langfuse's trace detail.
    QSqlQuery scores(m_db);
    if (!run(scores,
             QStringLiteral("SELECT ") + kScoreColumns +
                 QStringLiteral(" FROM scores s LEFT JOIN traces t ON t.id = s.trace_id"
                                " WHERE s.trace_id = ? ORDER BY s.ts, s.id"),
             {traceId}, &error))
        return ApiReply::internal(QStringLiteral("trace scores"), error);
    QJsonArray scoreList;
    while (scores.next())
        scoreList.append(scoreObject(scores));
    trace.insert(QLatin1String("scores"), scoreList);

    QSqlQuery observations(m_db);
    if (!run(observations,
             QStringLiteral("SELECT ") + kObservationColumns +
                 QStringLiteral(" FROM observations WHERE trace_id = ? ORDER BY start_time, id"),
             {traceId}, &error))
        return ApiReply::internal(QStringLiteral("trace observations"), error);
    QJsonArray observationList;
    while (observations.next())
        observationList.append(observationObject(observations));
    trace.insert(QLatin1String("observations"), observationList);
    return ApiReply::ok(trace);
}

namespace {

// Session aggregates over the traces matching a WHERE clause on `traces t`, grouped by session.
const QLatin1String kSessionSelect(
    "SELECT t.session_id, MIN(t.ts) AS first_ts, MAX(t.ts) AS last_ts, COUNT(*) AS trace_count,"
    " SUM(t.total_tokens) AS total_tokens, SUM(t.total_cost_nanos) AS total_cost,"
    " json_group_array(DISTINCT t.user_id) FILTER (WHERE t.user_id IS NOT NULL) AS user_ids,"
    // The environment of the earliest trace (ts is 13 digits for any date in this millennium).
    " substr(MIN(printf('%020d|', t.ts) || t.environment), 22) AS environment"
    " FROM traces t WHERE t.session_id IS NOT NULL AND ");

QJsonObject sessionObject(const QSqlQuery &q)
{
    QJsonObject s;
    s.insert(QLatin1String("id"), q.value(0).toString());
    s.insert(QLatin1String("createdAt"), ReadApi::timeValue(q.value(1)));
    s.insert(QLatin1String("environment"), q.value(7).toString());
    QStringList users;
    const QJsonArray parsed = ReadApi::jsonValue(q.value(6)).toArray();
    for (const QJsonValue &user : parsed)
        users.append(user.toString());
    users.sort();
    s.insert(QLatin1String("userIds"), QJsonArray::fromStringList(users));
    s.insert(QLatin1String("firstTraceAt"), ReadApi::timeValue(q.value(1)));
    s.insert(QLatin1String("lastTraceAt"), ReadApi::timeValue(q.value(2)));
    s.insert(QLatin1String("traceCount"), q.value(3).toLongLong());
    s.insert(QLatin1String("totalTokens"), q.value(4).toLongLong());
    s.insert(QLatin1String("totalCost"), usd(q.value(5)));
    return s;
}

} // namespace

ApiReply ReadApi::sessions(const QUrlQuery &query) const
{
    QueryParams params(query);
    int page = 1;
    int limit = kDefaultLimit;
    QString orderField = QStringLiteral("createdAt");
    bool descending = true;
    std::optional<qint64> from;
    std::optional<qint64> to;
    if (!params.checkKeys({QStringLiteral("page"), QStringLiteral("limit"),
                           QStringLiteral("userId"), QStringLiteral("fromTimestamp"),
                           QStringLiteral("toTimestamp"), QStringLiteral("orderBy")},
                          {QStringLiteral("environment")}) ||
        !params.paging(kDefaultLimit, kMaxLimit, &page, &limit) ||
        !params.orderBy({QStringLiteral("id"), QStringLiteral("createdAt"),
                         QStringLiteral("firstTraceAt"), QStringLiteral("lastTraceAt"),
                         QStringLiteral("traceCount"), QStringLiteral("totalTokens"),
                         QStringLiteral("totalCost")},
                        &orderField, &descending) ||
        !params.timeRange(&from, &to))
        return ApiReply::invalid(params.error());

    Where where;
    if (params.has(QStringLiteral("userId")))
        where.add(QStringLiteral("t.user_id = ?"), params.value(QStringLiteral("userId")));
    where.addIn(QStringLiteral("t.environment"), params.values(QStringLiteral("environment")));
    where.addRange(QStringLiteral("t.ts"), from, to);

    QString error;
    QSqlQuery count(m_db);
    if (!run(count,
             QStringLiteral("SELECT COUNT(DISTINCT t.session_id) FROM traces t"
                            " WHERE t.session_id IS NOT NULL AND ") +
                 where.sql(),
             where.binds, &error) ||
        !count.next())
        return ApiReply::internal(QStringLiteral("sessions"), error + count.lastError().text());
    const qint64 totalItems = count.value(0).toLongLong();

    QJsonArray data;
    if (static_cast<qint64>(page - 1) * limit < totalItems) {
        const QHash<QString, QString> expressions{
            {QStringLiteral("id"), QStringLiteral("t.session_id")},
            {QStringLiteral("createdAt"), QStringLiteral("first_ts")},
            {QStringLiteral("firstTraceAt"), QStringLiteral("first_ts")},
            {QStringLiteral("lastTraceAt"), QStringLiteral("last_ts")},
            {QStringLiteral("traceCount"), QStringLiteral("trace_count")},
            {QStringLiteral("totalTokens"), QStringLiteral("total_tokens")},
            {QStringLiteral("totalCost"), QStringLiteral("total_cost")}};
        QVariantList binds = where.binds;
        binds << limit << static_cast<qint64>(page - 1) * limit;
        const QString sql = kSessionSelect + where.sql() +
                            QStringLiteral(" GROUP BY t.session_id ORDER BY ") +
                            expressions.value(orderField) +
                            (descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC")) +
                            QStringLiteral(", t.session_id ASC LIMIT ? OFFSET ?");
        QSqlQuery q(m_db);
        if (!run(q, sql, binds, &error))
            return ApiReply::internal(QStringLiteral("sessions"), error);
        while (q.next())
            data.append(sessionObject(q));
    }
    return ApiReply::ok(paged(data, page, limit, totalItems));
}

ApiReply ReadApi::session(const QString &sessionId) const
{
    QString error;
    QSqlQuery q(m_db);
    if (!run(q, kSessionSelect + QStringLiteral("t.session_id = ? GROUP BY t.session_id"),
             {sessionId}, &error))
        return ApiReply::internal(QStringLiteral("session"), error);
    if (!q.next())
        return ApiReply::notFound(QStringLiteral("No session with this id"));
    QJsonObject session = sessionObject(q);

    QSqlQuery traces(m_db);
    if (!run(traces,
             QStringLiteral("SELECT ") + QString(kTraceColumns).arg(kTraceIo) +
                 QStringLiteral(" FROM traces t WHERE t.session_id = ? ORDER BY t.ts, t.id"),
             {sessionId}, &error))
        return ApiReply::internal(QStringLiteral("session traces"), error);
    QJsonArray list;
    while (traces.next())
        list.append(traceSummary(traces, true, m_projectId));
    if (!attachScoreIds(m_db, &list, &error))
        return ApiReply::internal(QStringLiteral("trace scores"), error);
    session.insert(QLatin1String("traces"), list);
    return ApiReply::ok(session);
}

ApiReply ReadApi::scores(const QUrlQuery &query) const
{
    QueryParams params(query);
    int page = 1;
    int limit = kDefaultLimit;
    std::optional<qint64> from;
    std::optional<qint64> to;
    QString source;
    QString dataType;
    if (!params.checkKeys({QStringLiteral("page"), QStringLiteral("limit"),
                           QStringLiteral("userId"), QStringLiteral("traceId"),
                           QStringLiteral("sessionId"), QStringLiteral("name"),
                           QStringLiteral("source"), QStringLiteral("dataType"),
                           QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp")},
                          {QStringLiteral("environment")}) ||
        !params.paging(kDefaultLimit, kMaxLimit, &page, &limit) ||
        !params.oneOf(QStringLiteral("source"),
                      {QStringLiteral("API"), QStringLiteral("ANNOTATION"), QStringLiteral("EVAL")},
                      &source) ||
        !params.oneOf(
            QStringLiteral("dataType"),
            {QStringLiteral("NUMERIC"), QStringLiteral("BOOLEAN"), QStringLiteral("CATEGORICAL")},
            &dataType) ||
        !params.timeRange(&from, &to))
        return ApiReply::invalid(params.error());

    Where where;
    if (params.has(QStringLiteral("userId")))
        where.add(QStringLiteral("t.user_id = ?"), params.value(QStringLiteral("userId")));
    if (params.has(QStringLiteral("traceId")))
        where.add(QStringLiteral("s.trace_id = ?"), params.value(QStringLiteral("traceId")));
    if (params.has(QStringLiteral("sessionId"))) {
        // Scores on the session itself and scores on its traces.
        const QString sessionId = params.value(QStringLiteral("sessionId"));
        where.clauses.append(QStringLiteral("(s.session_id = ? OR t.session_id = ?)"));
        where.binds << sessionId << sessionId;
    }
    if (params.has(QStringLiteral("name")))
        where.add(QStringLiteral("s.name = ?"), params.value(QStringLiteral("name")));
    if (!source.isEmpty())
        where.add(QStringLiteral("s.source = ?"), source);
    if (!dataType.isEmpty())
        where.add(QStringLiteral("s.data_type = ?"), dataType);
    where.addIn(QStringLiteral("s.environment"), params.values(QStringLiteral("environment")));
    where.addRange(QStringLiteral("s.ts"), from, to);

    const QString fromClause =
        QStringLiteral(" FROM scores s LEFT JOIN traces t ON t.id = s.trace_id WHERE ");
    QString error;
    QSqlQuery count(m_db);
    if (!run(count, QStringLiteral("SELECT COUNT(*)") + fromClause + where.sql(), where.binds,
             &error) ||
        !count.next())
        return ApiReply::internal(QStringLiteral("scores"), error + count.lastError().text());
    const qint64 totalItems = count.value(0).toLongLong();

    QJsonArray data;
    if (static_cast<qint64>(page - 1) * limit < totalItems) {
        QVariantList binds = where.binds;
        binds << limit << static_cast<qint64>(page - 1) * limit;
        QSqlQuery q(m_db);
        if (!run(q,
                 QStringLiteral("SELECT ") + kScoreColumns + fromClause + where.sql() +
                     QStringLiteral(" ORDER BY s.ts DESC, s.id ASC LIMIT ? OFFSET ?"),
                 binds, &error))
            return ApiReply::internal(QStringLiteral("scores"), error);
        while (q.next())
            data.append(scoreObject(q));
    }
    return ApiReply::ok(paged(data, page, limit, totalItems));
}

namespace {

// One day of /metrics/daily being assembled from the rollup and the raw rows.
struct DailyModel
{
    qint64 traces = 0;
    qint64 observations = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    qint64 costNanos = 0;
};
struct DailyDay
{
    qint64 traces = 0;
    qint64 observations = 0;
    qint64 costNanos = 0;
    std::map<QByteArray, DailyModel> models; // UTF-8 keys: SQLite's BINARY order
};
using DailyDays = std::map<qint64, DailyDay>;

// Rows of (day, traces, observations, cost nanos), raw or from the rollup, added to *days.
void addDayRows(QSqlQuery &q, DailyDays *days)
{
    while (q.next()) {
        DailyDay &day = (*days)[q.value(0).toLongLong()];
        day.traces += q.value(1).toLongLong();
        day.observations += q.value(2).toLongLong();
        day.costNanos += q.value(3).toLongLong();
    }
}

// Rows of (day, model, traces, observations, input, output and total tokens, cost nanos),
// raw or from the rollup, added to *days.
void addModelRows(QSqlQuery &usage, DailyDays *days)
{
    while (usage.next()) {
        DailyModel &model =
            (*days)[usage.value(0).toLongLong()].models[usage.value(1).toString().toUtf8()];
        model.traces += usage.value(2).toLongLong();
        model.observations += usage.value(3).toLongLong();
        model.inputTokens += usage.value(4).toLongLong();
        model.outputTokens += usage.value(5).toLongLong();
        model.totalTokens += usage.value(6).toLongLong();
        model.costNanos += usage.value(7).toLongLong();
    }
}

// The raw rows of `where` (which must bound t.ts to whole or partial days) added to *days.
bool addRawDays(const QSqlDatabase &db, const Where &where, DailyDays *days, QString *error)
{
    QSqlQuery q(db);
    if (!run(q,
             QStringLiteral("SELECT t.ts / 86400000 AS day, COUNT(*), SUM(t.observation_count),"
                            " SUM(t.total_cost_nanos) FROM traces t WHERE ") +
                 where.sql() + QStringLiteral(" GROUP BY day"),
             where.binds, error))
        return false;
    addDayRows(q, days);
    QSqlQuery usage(db);
    if (!run(usage,
             QStringLiteral("SELECT t.ts / 86400000 AS day, o.model, COUNT(DISTINCT t.id),"
                            " COUNT(*), SUM(o.input_tokens), SUM(o.output_tokens),"
                            " SUM(o.total_tokens), SUM(o.total_cost_nanos)"
                            " FROM traces t JOIN observations o ON o.trace_id = t.id"
                            " WHERE o.model IS NOT NULL AND ") +
                 where.sql() + QStringLiteral(" GROUP BY day, o.model"),
             where.binds, error))
        return false;
    addModelRows(usage, days);
    return true;
}

// Whole days [fromDay, toDay) of one user from daily_traces / daily_models, added to *days.
bool addRollupDays(const QSqlDatabase &db, const QString &userId, const QStringList &environments,
                   const std::optional<qint64> &fromDay, const std::optional<qint64> &toDay,
                   DailyDays *days, QString *error)
{
    Where where;
    where.add(QStringLiteral("user_id = ?"), userId);
    where.addIn(QStringLiteral("environment"), environments);
    where.addRange(QStringLiteral("day"), fromDay, toDay);
    QSqlQuery q(db);
    if (!run(q,
             QStringLiteral("SELECT day, SUM(traces), SUM(observations), SUM(cost_nanos)"
                            " FROM daily_traces WHERE ") +
                 where.sql() + QStringLiteral(" GROUP BY day HAVING SUM(traces) > 0"),
             where.binds, error))
        return false;
    addDayRows(q, days);
    QSqlQuery usage(db);
    if (!run(usage,
             QStringLiteral("SELECT day, model, SUM(traces), SUM(observations),"
                            " SUM(input_tokens), SUM(output_tokens), SUM(total_tokens),"
                            " SUM(cost_nanos) FROM daily_models WHERE ") +
                 where.sql() + QStringLiteral(" GROUP BY day, model HAVING SUM(observations) > 0"),
             where.binds, error))
        return false;
    addModelRows(usage, days);
    return true;
}

} // namespace

std::optional<ApiReply> ReadApi::dailyFromRollup(const QString &userId,
                                                 const QStringList &environments,
                                                 const std::optional<qint64> &from,
                                                 const std::optional<qint64> &to, int page,
                                                 int limit) const
{
    // The rollup's days are ts / 86400000 (truncation, as the SQL path groups), equal to the
    // UTC calendar day for the non-negative times handled here.
    if ((from && *from < 0) || (to && *to < 0))
        return std::nullopt;
    const auto ceilDay = [](qint64 ms) { return (ms + kDayMs - 1) / kDayMs; };
    std::optional<qint64> firstDay;
    std::optional<qint64> endDay;
    if (from)
        firstDay = ceilDay(*from);
    if (to)
        endDay = *to / kDayMs;
    if (firstDay && endDay && *firstDay >= *endDay)
        return std::nullopt; // no whole day: the raw rows are cheap enough

    DailyDays days;
    QString error;
    if (!addRollupDays(m_db, userId, environments, firstDay, endDay, &days, &error))
        return ApiReply::internal(QStringLiteral("daily rollup"), error);
    // Partial days at either end of the window come from the raw rows.
    const auto addEdge = [&](qint64 fromMs, qint64 toMs) {
        Where where;
        where.add(QStringLiteral("t.user_id = ?"), userId);
        where.addIn(QStringLiteral("t.environment"), environments);
        where.addRange(QStringLiteral("t.ts"), fromMs, toMs);
        return addRawDays(m_db, where, &days, &error);
    };
    if (from && *from % kDayMs != 0 && !addEdge(*from, *firstDay * kDayMs))
        return ApiReply::internal(QStringLiteral("daily metrics"), error);
    if (to && *to % kDayMs != 0 && !addEdge(*endDay * kDayMs, *to))
        return ApiReply::internal(QStringLiteral("daily metrics"), error);

    QJsonArray data;
    const qint64 offset = static_cast<qint64>(page - 1) * limit;
    qint64 index = 0;
    for (auto it = days.crbegin(); it != days.crend() && index < offset + limit; ++it, ++index) {
        if (index < offset)
            continue;
        const DailyDay &day = it->second;
        QJsonArray usage;
        for (const auto &[model, sums] : day.models) {
            usage.append(QJsonObject{{QLatin1String("model"), QString::fromUtf8(model)},
                                     {QLatin1String("inputUsage"), sums.inputTokens},
                                     {QLatin1String("outputUsage"), sums.outputTokens},
                                     {QLatin1String("totalUsage"), sums.totalTokens},
                                     {QLatin1String("countObservations"), sums.observations},
                                     {QLatin1String("countTraces"), sums.traces},
                                     {QLatin1String("totalCost"), usd(sums.costNanos)}});
        }
        data.append(QJsonObject{
            {QLatin1String("date"), QDateTime::fromMSecsSinceEpoch(it->first * kDayMs, Qt::UTC)
                                        .date()
                                        .toString(Qt::ISODate)},
            {QLatin1String("countTraces"), day.traces},
            {QLatin1String("countObservations"), day.observations},
            {QLatin1String("totalCost"), usd(day.costNanos)},
            {QLatin1String("usage"), usage}});
    }
    return ApiReply::ok(paged(data, page, limit, static_cast<qint64>(days.size())));
}

ApiReply ReadApi::dailyMetrics(const QUrlQuery &query, DailySource source) const
{
    QueryParams params(query);
    int page = 1;
    int limit = kDefaultLimit;
    std::optional<qint64> from;
    std::optional<qint64> to;
    if (!params.checkKeys({QStringLiteral("page"), QStringLiteral("limit"),
                           QStringLiteral("userId"), QStringLiteral("traceName"),
                           QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp")},
                          {QStringLiteral("tags"), QStringLiteral("environment")}) ||
        !params.paging(kDefaultLimit, kMaxLimit, &page, &limit) || !params.timeRange(&from, &to))
        return ApiReply::invalid(params.error());

    // One user's days, by environment and window: the rollup holds exactly that.
    if (source == DailySource::Auto && params.has(QStringLiteral("userId")) &&
        !params.has(QStringLiteral("traceName")) &&
        params.values(QStringLiteral("tags")).isEmpty()) {
        if (std::optional<ApiReply> reply = dailyFromRollup(
                params.value(QStringLiteral("userId")),
                params.values(QStringLiteral("environment")), from, to, page, limit))
            return *std::move(reply);
    }

    Where where;
    if (params.has(QStringLiteral("userId")))
        where.add(QStringLiteral("t.user_id = ?"), params.value(QStringLiteral("userId")));
    if (params.has(QStringLiteral("traceName")))
        where.add(QStringLiteral("t.name = ?"), params.value(QStringLiteral("traceName")));
    where.addIn(QStringLiteral("t.environment"), params.values(QStringLiteral("environment")));
    where.addRange(QStringLiteral("t.ts"), from, to);
    where.addTags(params.values(QStringLiteral("tags")));

    // Days are UTC calendar days of the trace timestamp.
    QString error;
    QSqlQuery q(m_db);
    QVariantList binds = where.binds;
    binds << limit << static_cast<qint64>(page - 1) * limit;
    if (!run(q,
             QStringLiteral("SELECT t.ts / 86400000 AS day, COUNT(*), SUM(t.observation_count),"
                            " SUM(t.total_cost_nanos), COUNT(*) OVER ()"
                            " FROM traces t WHERE ") +
                 where.sql() + QStringLiteral(" GROUP BY day ORDER BY day DESC LIMIT ? OFFSET ?"),
             binds, &error))
        return ApiReply::internal(QStringLiteral("daily metrics"), error);
    QList<QJsonObject> days;
    QList<qint64> dayNumbers;
    qint64 totalItems = -1;
    while (q.next()) {
        const qint64 day = q.value(0).toLongLong();
        dayNumbers.append(day);
        QJsonObject object;
        object.insert(
            QLatin1String("date"),
            QDateTime::fromMSecsSinceEpoch(day * kDayMs, Qt::UTC).date().toString(Qt::ISODate));
        object.insert(QLatin1String("countTraces"), q.value(1).toLongLong());
        object.insert(QLatin1String("countObservations"), q.value(2).toLongLong());
        object.insert(QLatin1String("totalCost"), usd(q.value(3)));
        days.append(object);
        totalItems = q.value(4).toLongLong();
    }
    if (totalItems < 0) {
        QSqlQuery count(m_db);
        if (!run(count,
                 QStringLiteral("SELECT COUNT(DISTINCT t.ts / 86400000) FROM traces t WHERE ") +
                     where.sql(),
                 where.binds, &error) ||
            !count.next())
            return ApiReply::internal(QStringLiteral("daily metrics"),
                                      error + count.lastError().text());
        totalItems = count.value(0).toLongLong();
    }

    QJsonArray data;
    if (!days.isEmpty()) {
        // Usage per model for the days on this page only.
        Where usageWhere = where;
        usageWhere.add(QStringLiteral("t.ts >= ?"), dayNumbers.constLast() * kDayMs);
        usageWhere.add(QStringLiteral("t.ts < ?"), (dayNumbers.constFirst() + 1) * kDayMs);
        QSqlQuery usage(m_db);
        if (!run(usage,
                 QStringLiteral("SELECT t.ts / 86400000 AS day, o.model, SUM(o.input_tokens),"
                                " SUM(o.output_tokens), SUM(o.total_tokens), COUNT(*),"
                                " COUNT(DISTINCT t.id), SUM(o.total_cost_nanos)"
                                " FROM traces t JOIN observations o ON o.trace_id = t.id"
                                " WHERE o.model IS NOT NULL AND ") +
                     usageWhere.sql() +
                     QStringLiteral(" GROUP BY day, o.model ORDER BY day, o.model"),
                 usageWhere.binds, &error))
            return ApiReply::internal(QStringLiteral("daily usage"), error);
        QHash<qint64, QJsonArray> byDay;
        while (usage.next()) {
            byDay[usage.value(0).toLongLong()].append(
                QJsonObject{{QLatin1String("model"), usage.value(1).toString()},
                            {QLatin1String("inputUsage"), usage.value(2).toLongLong()},
                            {QLatin1String("outputUsage"), usage.value(3).toLongLong()},
                            {QLatin1String("totalUsage"), usage.value(4).toLongLong()},
                            {QLatin1String("countObservations"), usage.value(5).toLongLong()},
                            {QLatin1String("countTraces"), usage.value(6).toLongLong()},
                            {QLatin1String("totalCost"), usd(usage.value(7))}});
        }
        for (qsizetype i = 0; i < days.size(); ++i) {
            QJsonObject day = days[i];
            day.insert(QLatin1String("usage"), byDay.value(dayNumbers[i]));
            data.append(day);
        }
    }
    return ApiReply::ok(paged(data, page, limit, totalItems));
}

} // namespace xeroml::server
