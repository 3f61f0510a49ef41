// SPDX-License-Identifier: GPL-3.0-or-later
// The read endpoints of API.md (traces, trace detail, sessions, session detail, v2 scores, daily
// metrics) over real HTTP, each figure checked against SQL over the raw rows of the same file:
// observation and score rows rather than the per-trace aggregates the server reads.
#include "tests/server/serverfixture.h"

#include "server/readapi.h"

#include <cmath>

namespace {

const QString kOddTrace = QStringLiteral("tr/odd id Ω?#%");
const QString kOddSession = QStringLiteral("se/odd session é+&");
const QString kOddUser = QStringLiteral("team/alpha/bob");

// One trace with awkward ids, two observations, a trace score and a session score; the trace's
// aggregate columns are set to what its rows add up to, as every writer must.
bool addOddRows(QSqlDatabase &db)
{
    const qint64 ts = ServerFixture::anchor().toMSecsSinceEpoch() - 5 * 86400000LL + 1234;
    const QStringList statements{
        QStringLiteral("INSERT INTO traces (id, ts, name, user_id, user_id_lower, session_id,"
                       " environment, tags, metadata, input, output, latency_ms,"
                       " observation_count, input_tokens, output_tokens, total_tokens,"
                       " total_cost_nanos, score_sum, score_count) VALUES (?, ?, 'odd-trace', ?,"
                       " ?, ?, 'production', '[\"chat\",\"x y\"]', '{\"k\":1}', '\"plain\"',"
                       " 'not json {', 2500, 2, 30, 12, 42, 1500, 0.5, 1)"),
        QStringLiteral("INSERT INTO observations (id, trace_id, type, name, start_time, end_time,"
                       " model, environment, input_tokens, output_tokens, total_tokens,"
                       " input_cost_nanos, output_cost_nanos, total_cost_nanos) VALUES"
                       " ('ob/odd 1', ?, 'GENERATION', 'gen', ?, ?, 'gpt-4o', 'production', 30,"
                       " 10, 40, 1000, 400, 1400)"),
        QStringLiteral("INSERT INTO observations (id, trace_id, type, name, start_time, end_time,"
                       " model, environment, input_tokens, output_tokens, total_tokens,"
                       " input_cost_nanos, output_cost_nanos, total_cost_nanos) VALUES"
                       " ('ob/odd 2', ?, 'GENERATION', 'gen2', ?, NULL, 'gpt-4o-mini',"
                       " 'production', 0, 2, 2, 0, 100, 100)"),
        QStringLiteral("INSERT INTO scores (id, trace_id, name, value, data_type, source, ts,"
                       " environment) VALUES ('sc/odd 1', ?, 'helpfulness', 0.5, 'NUMERIC',"
                       " 'EVAL', ?, 'production')"),
        QStringLiteral("INSERT INTO scores (id, session_id, name, value, string_value, data_type,"
                       " source, ts, environment) VALUES ('sc/odd 2', ?, 'session-ok', 1, 'True',"
                       " 'BOOLEAN', 'ANNOTATION', ?, 'production')"),
    };
    const QList<QVariantList> binds{
        {kOddTrace, ts, kOddUser, kOddUser.toLower(), kOddSession},
        {kOddTrace, ts + 10, ts + 900},
        {kOddTrace, ts + 20},
        {kOddTrace, ts + 5000},
        {kOddSession, ts + 6000},
    };
    for (qsizetype i = 0; i < statements.size(); ++i) {
        QSqlQuery query(db);
        if (!query.prepare(statements[i]))
            return false;
        for (const QVariant &value : binds[i])
            query.addBindValue(value);
        if (!query.exec()) {
            qWarning() << query.lastError().text();
            return false;
        }
    }
    return true;
}

QStringList idsOf(const QJsonArray &array, const QString &key = QStringLiteral("id"))
{
    QStringList ids;
    for (const QJsonValue &value : array)
        ids.append(value.toObject().value(key).toString());
    return ids;
}

QString orderExpression(const QString &field)
{
    if (field == QLatin1String("name"))
        return QStringLiteral("t.name");
    if (field == QLatin1String("latency"))
        return QStringLiteral("t.latency_ms");
    if (field == QLatin1String("totalCost"))
        return QStringLiteral("(SELECT TOTAL(o.total_cost_nanos) FROM observations o"
                              " WHERE o.trace_id = t.id)");
    if (field == QLatin1String("totalTokens"))
        return QStringLiteral("(SELECT TOTAL(o.total_tokens) FROM observations o"
                              " WHERE o.trace_id = t.id)");
    return QStringLiteral("t.ts");
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TstServerReads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void traces_data();
    void traces();
    void tracesFieldsCore();
    void traceDetail_data();
    void traceDetail();
    void sessions_data();
    void sessions();
    void sessionDetail();
    void scores_data();
    void scores();
    void dailyMetrics_data();
    void dailyMetrics();
    void dailyRollupEqualsRaw();
    void dailyRollupFollowsWrites();
    void singleUserEndpoint();
    void notFound();
    void foreignWritesAreSeen();

private:
    // /metrics/daily for one user as the rollup path and the raw path answer it: equal
    // (status and every field). Returns the number of days compared.
    qint64 compareDaily(const QString &userId, const QString &extra);
    void compareTrace(const QJsonObject &actual, const QString &id);

    ServerFixture m_fx;
    qint64 m_midMs = 0;
    qint64 m_lateMs = 0;
};

void TstServerReads::initTestCase()
{
    QString error;
    QVERIFY2(m_fx.start(100, 1500, 3, &error, addOddRows), qPrintable(error));
    // Window bounds on real trace times, so that >= vs > and < vs <= matter.
    QSqlQuery q = m_fx.sql(QStringLiteral("SELECT ts FROM traces ORDER BY ts"));
    QList<qint64> times;
    while (q.next())
        times.append(q.value(0).toLongLong());
    m_midMs = times.at(times.size() / 3);
    m_lateMs = times.at(times.size() * 3 / 4);
}

void TstServerReads::compareTrace(const QJsonObject &actual, const QString &id)
{
    QSqlQuery q = m_fx.sql(
        QStringLiteral(
            "SELECT t.ts, t.name, t.user_id, t.session_id, t.environment, t.latency_ms,"
            " (SELECT COUNT(*) FROM observations o WHERE o.trace_id = t.id),"
            " (SELECT TOTAL(input_tokens) FROM observations o WHERE o.trace_id = t.id),"
            " (SELECT TOTAL(output_tokens) FROM observations o WHERE o.trace_id = t.id),"
            " (SELECT TOTAL(total_tokens) FROM observations o WHERE o.trace_id = t.id),"
            " (SELECT TOTAL(total_cost_nanos) FROM observations o WHERE o.trace_id = t.id),"
            " (SELECT group_concat(id, '|') FROM (SELECT id FROM scores s"
            "   WHERE s.trace_id = t.id ORDER BY s.ts, s.id)), t.release, t.version, t.tags"
            " FROM traces t WHERE t.id = ?"),
        {id});
    QVERIFY(q.next());
    QCOMPARE(actual.value(QLatin1String("id")).toString(), id);
    QCOMPARE(actual.value(QLatin1String("timestamp")).toString(),
             ServerFixture::iso(q.value(0).toLongLong()));
    QCOMPARE(actual.value(QLatin1String("name")).toString(), q.value(1).toString());
    QCOMPARE(actual.value(QLatin1String("userId")).isNull(), q.value(2).isNull());
    QCOMPARE(actual.value(QLatin1String("userId")).toString(), q.value(2).toString());
    QCOMPARE(actual.value(QLatin1String("sessionId")).toString(), q.value(3).toString());
    QCOMPARE(actual.value(QLatin1String("environment")).toString(), q.value(4).toString());
    QCOMPARE(actual.value(QLatin1String("latency")).toDouble(), q.value(5).toDouble() / 1000.0);
    QCOMPARE(actual.value(QLatin1String("observationCount")).toInteger(), q.value(6).toLongLong());
    QCOMPARE(actual.value(QLatin1String("inputTokens")).toInteger(), q.value(7).toLongLong());
    QCOMPARE(actual.value(QLatin1String("outputTokens")).toInteger(), q.value(8).toLongLong());
    QCOMPARE(actual.value(QLatin1String("totalTokens")).toInteger(), q.value(9).toLongLong());
    QVERIFY(
        near(actual.value(QLatin1String("totalCost")).toDouble(), q.value(10).toDouble() / 1e9));
    const QStringList scoreIds = q.value(11).toString().split(QLatin1Char('|'), Qt::SkipEmptyParts);
    QStringList actualScores;
    for (const QJsonValue &v : actual.value(QLatin1String("scores")).toArray())
        actualScores.append(v.isString() ? v.toString()
                                         : v.toObject().value(QLatin1String("id")).toString());
    QCOMPARE(actualScores, scoreIds);
    QCOMPARE(actual.value(QLatin1String("release")).toString(), q.value(12).toString());
    QCOMPARE(actual.value(QLatin1String("version")).toString(), q.value(13).toString());
    QCOMPARE(
        QJsonDocument(actual.value(QLatin1String("tags")).toArray()).toJson(QJsonDocument::Compact),
        q.value(14).toString().toUtf8());
    QVERIFY(actual.value(QLatin1String("htmlPath"))
                .toString()
                .endsWith(QStringLiteral("/traces/") + ServerFixture::encoded(id)));
}

void TstServerReads::traces_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QVariantList>("binds");
    QTest::addColumn<int>("minimum");
    QTest::newRow("all") << QString() << QStringLiteral("1") << QVariantList() << 1500;
    QTest::newRow("odd user") << QStringLiteral("userId=") + ServerFixture::encoded(kOddUser)
                              << QStringLiteral("t.user_id = ?") << QVariantList{kOddUser} << 2;
    QTest::newRow("odd session") << QStringLiteral("sessionId=") +
                                        ServerFixture::encoded(kOddSession)
                                 << QStringLiteral("t.session_id = ?") << QVariantList{kOddSession}
                                 << 1;
    QTest::newRow("name") << QStringLiteral("name=translate") << QStringLiteral("t.name = ?")
                          << QVariantList{QStringLiteral("translate")} << 10;
    QTest::newRow("one tag") << QStringLiteral("tags=code") << QStringLiteral("t.tags LIKE ?")
                             << QVariantList{QStringLiteral("%\"code\"%")} << 10;
    QTest::newRow("all tags must match")
        << QStringLiteral("tags=chat&tags=mobile")
        << QStringLiteral("t.tags LIKE ? AND t.tags LIKE ?")
        << QVariantList{QStringLiteral("%\"chat\"%"), QStringLiteral("%\"mobile\"%")} << 10;
    QTest::newRow("tag with space") << QStringLiteral("tags=x%20y") << QStringLiteral("t.id = ?")
                                    << QVariantList{kOddTrace} << 1;
    QTest::newRow("staging") << QStringLiteral("environment=staging")
                             << QStringLiteral("t.environment = 'staging'") << QVariantList() << 20;
    QTest::newRow("both environments + user")
        << QStringLiteral("environment=staging&environment=production&userId=alice%40example.com")
        << QStringLiteral("t.user_id = 'alice@example.com'") << QVariantList() << 20;
    QTest::newRow("unknown environment")
        << QStringLiteral("environment=nowhere") << QStringLiteral("0") << QVariantList() << 0;
}

void TstServerReads::traces()
{
    QFETCH(QString, query);
    QFETCH(QString, where);
    QFETCH(QVariantList, binds);
    QFETCH(int, minimum);
    const struct
    {
        bool from;
        bool to;
    } windows[] = {{false, false}, {true, true}};
    for (const auto window : windows) {
        QString sqlWhere = where;
        QVariantList sqlBinds = binds;
        QUrlQuery params(query);
        if (window.from) {
            params.addQueryItem(QStringLiteral("fromTimestamp"), ServerFixture::iso(m_midMs));
            sqlWhere += QStringLiteral(" AND t.ts >= ?");
            sqlBinds.append(m_midMs);
        }
        if (window.to) {
            params.addQueryItem(QStringLiteral("toTimestamp"), ServerFixture::iso(m_lateMs));
            sqlWhere += QStringLiteral(" AND t.ts < ?");
            sqlBinds.append(m_lateMs);
        }
        const qint64 expectedCount = m_fx.scalar(
            QStringLiteral("SELECT COUNT(*) FROM traces t WHERE ") + sqlWhere, sqlBinds);
        if (!window.from)
            QVERIFY2(expectedCount >= minimum, qPrintable(QString::number(expectedCount)));
        for (const char *field : {"timestamp", "name", "latency", "totalCost", "totalTokens"}) {
            for (const bool descending : {true, false}) {
                // Every ordering over the whole range (one direction per field on the long
                // unfiltered list); two of them inside the windows.
                if (window.from && !(descending == (qstrcmp(field, "timestamp") == 0)) &&
                    qstrcmp(field, "totalCost") != 0)
                    continue;
                if (expectedCount > 300 && !window.from &&
                    descending !=
                        (qstrcmp(field, "timestamp") == 0 || qstrcmp(field, "latency") == 0 ||
                         qstrcmp(field, "totalTokens") == 0))
                    continue;
                // The full comparison once per filter; the order alone for the other orderings.
                const bool full =
                    qstrcmp(field, "timestamp") == 0 && descending && window.to == window.from;
                QUrlQuery ordered = params;
                if (!full)
                    ordered.addQueryItem(QStringLiteral("fields"), QStringLiteral("core"));
                ordered.addQueryItem(QStringLiteral("orderBy"),
                                     QLatin1String(field) + (descending ? QStringLiteral(".desc")
                                                                        : QStringLiteral(".asc")));
                const QJsonArray got = m_fx.fetchAll(QStringLiteral("/api/public/traces"), ordered,
                                                     expectedCount > 60 ? 100 : 7);
                QCOMPARE(got.size(), expectedCount);
                QSqlQuery q = m_fx.sql(QStringLiteral("SELECT t.id FROM traces t WHERE ") +
                                           sqlWhere + QStringLiteral(" ORDER BY ") +
                                           orderExpression(QLatin1String(field)) +
                                           (descending ? QStringLiteral(" DESC") : QString()) +
                                           QStringLiteral(", t.id"),
                                       sqlBinds);
                QStringList want;
                while (q.next())
                    want.append(q.value(0).toString());
                QCOMPARE(idsOf(got), want);
                if (full) {
                    for (const QJsonValue &trace : got) {
                        compareTrace(trace.toObject(),
                                     trace.toObject().value(QLatin1String("id")).toString());
                        if (QTest::currentTestFailed())
                            return;
                        QVERIFY(trace.toObject().contains(QLatin1String("input")));
                    }
                }
            }
        }
    }
}

void TstServerReads::tracesFieldsCore()
{
    QUrlQuery query(QStringLiteral("fields=core&limit=20&userId=") +
                    ServerFixture::encoded(kOddUser));
    const Reply reply = m_fx.get(QStringLiteral("/api/public/traces"), query);
    QCOMPARE(reply.status, 200);
    const QJsonArray data = reply.json.value(QLatin1String("data")).toArray();
    QVERIFY(!data.isEmpty());
    for (const QJsonValue &trace : data) {
        QVERIFY(!trace.toObject().contains(QLatin1String("input")));
        QVERIFY(!trace.toObject().contains(QLatin1String("output")));
        QVERIFY(trace.toObject().contains(QLatin1String("totalCost")));
    }
    const Reply withIo = m_fx.get(QStringLiteral("/api/public/traces"),
                                  QUrlQuery(QStringLiteral("fields=core,io&limit=1")));
    QVERIFY(
        withIo.json.value(QLatin1String("data"))[0].toObject().contains(QLatin1String("input")));
    QCOMPARE(m_fx.get(QStringLiteral("/api/public/traces"), QUrlQuery(QStringLiteral("fields=all")))
                 .status,
             400);
}

void TstServerReads::traceDetail_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("odd id") << kOddTrace;
    QSqlQuery q = m_fx.sql(QStringLiteral(
        "SELECT t.id FROM traces t WHERE EXISTS (SELECT 1 FROM scores s WHERE s.trace_id = t.id"
        " AND s.data_type = 'NUMERIC') ORDER BY t.id LIMIT 3"));
    while (q.next())
        QTest::newRow(qPrintable(q.value(0).toString())) << q.value(0).toString();
    QTest::newRow("without user") << QString(); // looked up in the test
}

void TstServerReads::traceDetail()
{
    QFETCH(QString, id);
    if (id.isEmpty()) {
        QSqlQuery q =
            m_fx.sql(QStringLiteral("SELECT id FROM traces WHERE user_id IS NULL LIMIT 1"));
        QVERIFY(q.next());
        id = q.value(0).toString();
    }
    const Reply reply =
        m_fx.get(QStringLiteral("/api/public/traces/") + ServerFixture::encoded(id));
    QCOMPARE(reply.status, 200);
    compareTrace(reply.json, id);
    QVERIFY(reply.json.contains(QLatin1String("input")));

    QSqlQuery obs = m_fx.sql(
        QStringLiteral("SELECT id, type, model, input_tokens, output_tokens, total_tokens,"
                       " input_cost_nanos, output_cost_nanos, total_cost_nanos, start_time,"
                       " end_time, parent_observation_id FROM observations WHERE trace_id = ?"
                       " ORDER BY start_time, id"),
        {id});
    const QJsonArray observations = reply.json.value(QLatin1String("observations")).toArray();
    qsizetype i = 0;
    while (obs.next()) {
        QVERIFY(i < observations.size());
        const QJsonObject o = observations[i++].toObject();
        QCOMPARE(o.value(QLatin1String("id")).toString(), obs.value(0).toString());
        QCOMPARE(o.value(QLatin1String("traceId")).toString(), id);
        QCOMPARE(o.value(QLatin1String("type")).toString(), obs.value(1).toString());
        QCOMPARE(o.value(QLatin1String("model")).toString(), obs.value(2).toString());
        const QJsonObject usage = o.value(QLatin1String("usageDetails")).toObject();
        QCOMPARE(usage.value(QLatin1String("input")).toInteger(), obs.value(3).toLongLong());
        QCOMPARE(usage.value(QLatin1String("output")).toInteger(), obs.value(4).toLongLong());
        QCOMPARE(usage.value(QLatin1String("total")).toInteger(), obs.value(5).toLongLong());
        const QJsonObject cost = o.value(QLatin1String("costDetails")).toObject();
        QVERIFY(near(cost.value(QLatin1String("input")).toDouble(), obs.value(6).toDouble() / 1e9));
        QVERIFY(
            near(cost.value(QLatin1String("output")).toDouble(), obs.value(7).toDouble() / 1e9));
        QVERIFY(near(cost.value(QLatin1String("total")).toDouble(), obs.value(8).toDouble() / 1e9));
        QVERIFY(near(o.value(QLatin1String("calculatedTotalCost")).toDouble(),
                     obs.value(8).toDouble() / 1e9));
        QCOMPARE(o.value(QLatin1String("startTime")).toString(),
                 ServerFixture::iso(obs.value(9).toLongLong()));
        if (obs.value(10).isNull()) {
            QVERIFY(o.value(QLatin1String("endTime")).isNull());
            QVERIFY(o.value(QLatin1String("latency")).isNull());
        } else {
            QCOMPARE(o.value(QLatin1String("latency")).toDouble(),
                     static_cast<double>(obs.value(10).toLongLong() - obs.value(9).toLongLong()) /
                         1000.0);
        }
        QCOMPARE(o.value(QLatin1String("parentObservationId")).toString(),
                 obs.value(11).toString());
    }
    QCOMPARE(i, observations.size());

    const QJsonArray scores = reply.json.value(QLatin1String("scores")).toArray();
    for (const QJsonValue &value : scores) {
        const QJsonObject s = value.toObject();
        QCOMPARE(s.value(QLatin1String("traceId")).toString(), id);
        QSqlQuery row = m_fx.sql(QStringLiteral("SELECT name, value, data_type, source FROM scores"
                                                " WHERE id = ?"),
                                 {s.value(QLatin1String("id")).toString()});
        QVERIFY(row.next());
        QCOMPARE(s.value(QLatin1String("name")).toString(), row.value(0).toString());
        QCOMPARE(s.value(QLatin1String("dataType")).toString(), row.value(2).toString());
        QCOMPARE(s.value(QLatin1String("source")).toString(), row.value(3).toString());
        if (!row.value(1).isNull())
            QCOMPARE(s.value(QLatin1String("value")).toDouble(), row.value(1).toDouble());
    }
    if (id == kOddTrace) {
        QCOMPARE(reply.json.value(QLatin1String("input")).toString(), QStringLiteral("plain"));
        QCOMPARE(reply.json.value(QLatin1String("output")).toString(),
                 QStringLiteral("not json {"));
        QCOMPARE(reply.json.value(QLatin1String("metadata"))
                     .toObject()
                     .value(QLatin1String("k"))
                     .toInt(),
                 1);
        QCOMPARE(scores.size(), 1);
        QCOMPARE(observations.size(), 2);
    }
}

void TstServerReads::sessions_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("where");
    QTest::newRow("all") << QString() << QStringLiteral("1");
    QTest::newRow("user alice") << QStringLiteral("userId=alice%40example.com")
                                << QStringLiteral("t.user_id = 'alice@example.com'");
    QTest::newRow("odd user") << QStringLiteral("userId=") + ServerFixture::encoded(kOddUser)
                              << QStringLiteral("t.user_id = 'team/alpha/bob'");
    QTest::newRow("staging") << QStringLiteral("environment=staging")
                             << QStringLiteral("t.environment = 'staging'");
    QTest::newRow("window")
        << QStringLiteral("fromTimestamp=%1&toTimestamp=%2")
               .arg(ServerFixture::iso(m_midMs), ServerFixture::iso(m_lateMs))
        << QStringLiteral("t.ts >= %1 AND t.ts < %2").arg(m_midMs).arg(m_lateMs);
    QTest::newRow("user alice + production + from")
        << QStringLiteral("userId=alice%40example.com&environment=production&fromTimestamp=%1")
               .arg(ServerFixture::iso(m_midMs))
        << QStringLiteral("t.user_id = 'alice@example.com' AND t.environment = 'production'"
                          " AND t.ts >= %1")
               .arg(m_midMs);
}

void TstServerReads::sessions()
{
    QFETCH(QString, query);
    QFETCH(QString, where);
    // Independent figures: tokens and cost from the observation rows.
    QSqlQuery q = m_fx.sql(
        QStringLiteral(
            "SELECT t.session_id, MIN(t.ts), MAX(t.ts), COUNT(*),"
            " TOTAL((SELECT TOTAL(total_tokens) FROM observations o WHERE o.trace_id = t.id)),"
            " TOTAL((SELECT TOTAL(total_cost_nanos) FROM observations o WHERE o.trace_id = t.id)),"
            " group_concat(DISTINCT t.user_id)"
            " FROM traces t WHERE t.session_id IS NOT NULL AND %1 GROUP BY t.session_id")
            .arg(where));
    QHash<QString, QJsonObject> want;
    while (q.next()) {
        QStringList users = q.value(6).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        users.sort();
        want.insert(q.value(0).toString(),
                    QJsonObject{{QLatin1String("first"), q.value(1).toLongLong()},
                                {QLatin1String("last"), q.value(2).toLongLong()},
                                {QLatin1String("count"), q.value(3).toLongLong()},
                                {QLatin1String("tokens"), q.value(4).toLongLong()},
                                {QLatin1String("cost"), q.value(5).toDouble()},
                                {QLatin1String("users"), QJsonArray::fromStringList(users)}});
    }
    QVERIFY(!want.isEmpty());
    const QStringList fields{QStringLiteral("createdAt"),  QStringLiteral("lastTraceAt"),
                             QStringLiteral("traceCount"), QStringLiteral("totalTokens"),
                             QStringLiteral("totalCost"),  QStringLiteral("id")};
    for (const QString &field : fields) {
        for (const bool descending : {true, false}) {
            // Every ordering on the filtered lists; two on the whole list.
            if (query.isEmpty() && descending != (field == QLatin1String("createdAt")) &&
                field != QLatin1String("totalCost"))
                continue;
            QUrlQuery params(query);
            params.addQueryItem(
                QStringLiteral("orderBy"),
                field + (descending ? QStringLiteral(".desc") : QStringLiteral(".asc")));
            const QJsonArray got = m_fx.fetchAll(QStringLiteral("/api/public/sessions"), params,
                                                 want.size() > 60 ? 100 : 9);
            QCOMPARE(got.size(), want.size());
            QList<QJsonObject> sorted;
            for (auto it = want.begin(); it != want.end(); ++it) {
                QJsonObject o = it.value();
                o.insert(QLatin1String("id"), it.key());
                sorted.append(o);
            }
            const auto key = [&field](const QJsonObject &o) -> double {
                if (field == QLatin1String("lastTraceAt"))
                    return o.value(QLatin1String("last")).toDouble();
                if (field == QLatin1String("traceCount"))
                    return o.value(QLatin1String("count")).toDouble();
                if (field == QLatin1String("totalTokens"))
                    return o.value(QLatin1String("tokens")).toDouble();
                if (field == QLatin1String("totalCost"))
                    return o.value(QLatin1String("cost")).toDouble();
                return o.value(QLatin1String("first")).toDouble();
            };
            std::sort(sorted.begin(), sorted.end(),
                      [&](const QJsonObject &a, const QJsonObject &b) {
                          const QByteArray ia = a.value(QLatin1String("id")).toString().toUtf8();
                          const QByteArray ib = b.value(QLatin1String("id")).toString().toUtf8();
                          if (field == QLatin1String("id"))
                              return descending ? ib < ia : ia < ib;
                          if (key(a) != key(b))
                              return descending ? key(a) > key(b) : key(a) < key(b);
                          return ia < ib;
                      });
            for (qsizetype i = 0; i < got.size(); ++i) {
                const QJsonObject s = got[i].toObject();
                const QJsonObject &e = sorted[i];
                QCOMPARE(s.value(QLatin1String("id")).toString(),
                         e.value(QLatin1String("id")).toString());
                QCOMPARE(s.value(QLatin1String("createdAt")).toString(),
                         ServerFixture::iso(e.value(QLatin1String("first")).toInteger()));
                QCOMPARE(s.value(QLatin1String("firstTraceAt")).toString(),
                         ServerFixture::iso(e.value(QLatin1String("first")).toInteger()));
                QCOMPARE(s.value(QLatin1String("lastTraceAt")).toString(),
                         ServerFixture::iso(e.value(QLatin1String("last")).toInteger()));
                QCOMPARE(s.value(QLatin1String("traceCount")).toInteger(),
                         e.value(QLatin1String("count")).toInteger());
                QCOMPARE(s.value(QLatin1String("totalTokens")).toInteger(),
                         e.value(QLatin1String("tokens")).toInteger());
                QVERIFY(near(s.value(QLatin1String("totalCost")).toDouble(),
                             e.value(QLatin1String("cost")).toDouble() / 1e9));
                QCOMPARE(s.value(QLatin1String("userIds")).toArray(),
                         e.value(QLatin1String("users")).toArray());
                QVERIFY(!s.value(QLatin1String("environment")).toString().isEmpty());
            }
        }
    }
}

void TstServerReads::sessionDetail()
{
    const Reply reply =
        m_fx.get(QStringLiteral("/api/public/sessions/") + ServerFixture::encoded(kOddSession));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QLatin1String("id")).toString(), kOddSession);
    QCOMPARE(reply.json.value(QLatin1String("userIds")).toArray(), QJsonArray{kOddUser});
    QCOMPARE(idsOf(reply.json.value(QLatin1String("traces")).toArray()), QStringList{kOddTrace});

    // The session with the most traces: its traces oldest first, figures as the list says.
    QSqlQuery q = m_fx.sql(QStringLiteral(
        "SELECT session_id FROM traces WHERE session_id IS NOT NULL GROUP BY session_id"
        " ORDER BY COUNT(*) DESC, session_id LIMIT 1"));
    QVERIFY(q.next());
    const QString id = q.value(0).toString();
    const Reply big =
        m_fx.get(QStringLiteral("/api/public/sessions/") + ServerFixture::encoded(id));
    QCOMPARE(big.status, 200);
    QSqlQuery traces = m_fx.sql(
        QStringLiteral("SELECT id FROM traces WHERE session_id = ? ORDER BY ts, id"), {id});
    QStringList want;
    while (traces.next())
        want.append(traces.value(0).toString());
    QVERIFY(want.size() > 1);
    const QJsonArray got = big.json.value(QLatin1String("traces")).toArray();
    QCOMPARE(idsOf(got), want);
    QCOMPARE(big.json.value(QLatin1String("traceCount")).toInteger(), want.size());
    for (const QJsonValue &trace : got)
        compareTrace(trace.toObject(), trace.toObject().value(QLatin1String("id")).toString());
}

void TstServerReads::scores_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("where");
    QTest::addColumn<int>("minimum");
    QTest::newRow("all") << QString() << QStringLiteral("1") << 300;
    QTest::newRow("user") << QStringLiteral("userId=alice%40example.com")
                          << QStringLiteral("s.trace_id IN (SELECT id FROM traces WHERE user_id ="
                                            " 'alice@example.com')")
                          << 5;
    QTest::newRow("trace") << QStringLiteral("traceId=") + ServerFixture::encoded(kOddTrace)
                           << QStringLiteral("s.trace_id = 'tr/odd id Ω?#%'") << 1;
    QTest::newRow("session (own and its traces')")
        << QStringLiteral("sessionId=") + ServerFixture::encoded(kOddSession)
        << QStringLiteral("s.id IN ('sc/odd 1', 'sc/odd 2')") << 2;
    QTest::newRow("name") << QStringLiteral("name=accuracy")
                          << QStringLiteral("s.name = 'accuracy'") << 10;
    QTest::newRow("source") << QStringLiteral("source=ANNOTATION")
                            << QStringLiteral("s.source = 'ANNOTATION'") << 10;
    QTest::newRow("dataType") << QStringLiteral("dataType=CATEGORICAL")
                              << QStringLiteral("s.data_type = 'CATEGORICAL'") << 10;
    QTest::newRow("staging + numeric")
        << QStringLiteral("environment=staging&dataType=NUMERIC")
        << QStringLiteral("s.environment = 'staging' AND s.data_type = 'NUMERIC'") << 1;
    QTest::newRow("window") << QStringLiteral("fromTimestamp=%1&toTimestamp=%2")
                                   .arg(ServerFixture::iso(m_midMs), ServerFixture::iso(m_lateMs))
                            << QStringLiteral("s.ts >= %1 AND s.ts < %2").arg(m_midMs).arg(m_lateMs)
                            << 50;
}

void TstServerReads::scores()
{
    QFETCH(QString, query);
    QFETCH(QString, where);
    QFETCH(int, minimum);
    QSqlQuery q = m_fx.sql(
        QStringLiteral("SELECT s.id, (SELECT user_id FROM traces WHERE id = s.trace_id), s.value,"
                       " s.data_type FROM scores s WHERE %1 ORDER BY s.ts DESC, s.id")
            .arg(where));
    QStringList want;
    QStringList users;
    while (q.next()) {
        want.append(q.value(0).toString());
        users.append(q.value(1).toString());
    }
    QVERIFY2(want.size() >= minimum, qPrintable(QString::number(want.size())));
    const QJsonArray got =
        m_fx.fetchAll(QStringLiteral("/api/public/v2/scores"), QUrlQuery(query), 100);
    QCOMPARE(idsOf(got), want);
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i]
                     .toObject()
                     .value(QLatin1String("trace"))
                     .toObject()
                     .value(QLatin1String("userId"))
                     .toString(),
                 users[i]);
    }
}

void TstServerReads::dailyMetrics_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("where");
    QTest::newRow("all") << QString() << QStringLiteral("1");
    QTest::newRow("user") << QStringLiteral("userId=alice%40example.com")
                          << QStringLiteral("t.user_id = 'alice@example.com'");
    QTest::newRow("trace name + staging")
        << QStringLiteral("traceName=chat-completion&environment=staging")
        << QStringLiteral("t.name = 'chat-completion' AND t.environment = 'staging'");
    QTest::newRow("tags") << QStringLiteral("tags=chat&tags=web")
                          << QStringLiteral("t.tags LIKE '%\"chat\"%' AND t.tags LIKE '%\"web\"%'");
    QTest::newRow("window")
        << QStringLiteral("fromTimestamp=%1&toTimestamp=%2")
               .arg(ServerFixture::iso(m_midMs), ServerFixture::iso(m_lateMs))
        << QStringLiteral("t.ts >= %1 AND t.ts < %2").arg(m_midMs).arg(m_lateMs);
}

void TstServerReads::dailyMetrics()
{
    QFETCH(QString, query);
    QFETCH(QString, where);
    QSqlQuery days = m_fx.sql(
        QStringLiteral(
            "SELECT date(t.ts / 1000, 'unixepoch'), COUNT(*),"
            " TOTAL((SELECT COUNT(*) FROM observations o WHERE o.trace_id = t.id)),"
            " TOTAL((SELECT TOTAL(total_cost_nanos) FROM observations o WHERE o.trace_id = t.id))"
            " FROM traces t WHERE %1 GROUP BY 1 ORDER BY 1 DESC")
            .arg(where));
    QList<QJsonObject> want;
    while (days.next()) {
        want.append(QJsonObject{{QLatin1String("date"), days.value(0).toString()},
                                {QLatin1String("countTraces"), days.value(1).toLongLong()},
                                {QLatin1String("countObservations"), days.value(2).toLongLong()},
                                {QLatin1String("cost"), days.value(3).toDouble()}});
    }
    QVERIFY(!want.isEmpty());
    const QJsonArray got = m_fx.fetchAll(QStringLiteral("/api/public/metrics/daily"),
                                         QUrlQuery(query), 11, QStringLiteral("date"));
    QCOMPARE(got.size(), want.size());
    QSqlQuery usage = m_fx.sql(
        QStringLiteral("SELECT date(t.ts / 1000, 'unixepoch'), o.model, TOTAL(o.input_tokens),"
                       " TOTAL(o.output_tokens), TOTAL(o.total_tokens), COUNT(*),"
                       " COUNT(DISTINCT t.id), TOTAL(o.total_cost_nanos) FROM observations o"
                       " JOIN traces t ON t.id = o.trace_id WHERE o.model IS NOT NULL AND %1"
                       " GROUP BY 1, 2 ORDER BY 1, 2")
            .arg(where));
    QHash<QString, QJsonArray> usageByDay;
    while (usage.next()) {
        usageByDay[usage.value(0).toString()].append(
            QJsonObject{{QLatin1String("model"), usage.value(1).toString()},
                        {QLatin1String("inputUsage"), usage.value(2).toLongLong()},
                        {QLatin1String("outputUsage"), usage.value(3).toLongLong()},
                        {QLatin1String("totalUsage"), usage.value(4).toLongLong()},
                        {QLatin1String("countObservations"), usage.value(5).toLongLong()},
                        {QLatin1String("countTraces"), usage.value(6).toLongLong()},
                        {QLatin1String("totalCost"), usage.value(7).toDouble() / 1e9}});
    }
    for (qsizetype i = 0; i < got.size(); ++i) {
        const QJsonObject day = got[i].toObject();
        const QString date = want[i].value(QLatin1String("date")).toString();
        QCOMPARE(day.value(QLatin1String("date")).toString(), date);
        QCOMPARE(day.value(QLatin1String("countTraces")).toInteger(),
                 want[i].value(QLatin1String("countTraces")).toInteger());
        QCOMPARE(day.value(QLatin1String("countObservations")).toInteger(),
                 want[i].value(QLatin1String("countObservations")).toInteger());
        QVERIFY(near(day.value(QLatin1String("totalCost")).toDouble(),
                     want[i].value(QLatin1String("cost")).toDouble() / 1e9));
        const QJsonArray models = day.value(QLatin1String("usage")).toArray();
        const QJsonArray expectedModels = usageByDay.value(date);
        QCOMPARE(models.size(), expectedModels.size());
        for (qsizetype m = 0; m < models.size(); ++m) {
            const QJsonObject a = models[m].toObject();
            const QJsonObject e = expectedModels[m].toObject();
            for (const char *key : {"model", "inputUsage", "outputUsage", "totalUsage",
                                    "countObservations", "countTraces"})
                QCOMPARE(a.value(QLatin1String(key)), e.value(QLatin1String(key)));
            QVERIFY(near(a.value(QLatin1String("totalCost")).toDouble(),
                         e.value(QLatin1String("totalCost")).toDouble()));
        }
    }
}

qint64 TstServerReads::compareDaily(const QString &userId, const QString &extra)
{
    using xeroml::server::ReadApi;
    const ReadApi api(m_fx.db(), QStringLiteral("xeroml-local"));
    QUrlQuery query(extra);
    query.addQueryItem(QStringLiteral("userId"),
                       QString::fromLatin1(QUrl::toPercentEncoding(userId)));
    const xeroml::server::ApiReply rollup = api.dailyMetrics(query);
    const xeroml::server::ApiReply raw = api.dailyMetrics(query, ReadApi::DailySource::Raw);
    const QByteArray context = (userId + QLatin1Char(' ') + extra).toUtf8();
    [&] {
        QVERIFY2(rollup.status == raw.status, context.constData());
        QVERIFY2(rollup.json == raw.json,
                 (context + '\n' + QJsonDocument(rollup.json).toJson(QJsonDocument::Compact) +
                  "\n" + QJsonDocument(raw.json).toJson(QJsonDocument::Compact))
                     .constData());
    }();
    return raw.json.value(QLatin1String("meta"))
        .toObject()
        .value(QLatin1String("totalItems"))
        .toInteger();
}

void TstServerReads::dailyRollupEqualsRaw()
{
    // The heaviest users, users in id order and the odd one written after the bulk load.
    QStringList users{kOddUser, QStringLiteral("nobody at all")};
    for (const QString &order : {QStringLiteral("COUNT(*) DESC"), QStringLiteral("user_id")}) {
        QSqlQuery q = m_fx.sql(QStringLiteral("SELECT user_id FROM traces WHERE user_id IS NOT"
                                              " NULL GROUP BY user_id ORDER BY %1 LIMIT 15")
                                   .arg(order));
        while (q.next())
            users.append(q.value(0).toString());
    }
    QVERIFY(m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM daily_models")) > 0);
    // The rollup the bulk load wrote from its own sums is the one the rows define.
    const QString byTraces = QStringLiteral(
        "SELECT user_id, ts / 86400000, environment, COUNT(*), SUM(observation_count),"
        " SUM(total_cost_nanos) FROM traces WHERE user_id IS NOT NULL GROUP BY 1, 2, 3");
    const QString byModels = QStringLiteral(
        "SELECT t.user_id, t.ts / 86400000, t.environment, o.model, COUNT(DISTINCT t.id),"
        " COUNT(*), SUM(o.input_tokens), SUM(o.output_tokens), SUM(o.total_tokens),"
        " SUM(o.total_cost_nanos) FROM observations o JOIN traces t ON t.id = o.trace_id"
        " WHERE o.model IS NOT NULL AND t.user_id IS NOT NULL GROUP BY 1, 2, 3, 4");
    const QString traceRows = QStringLiteral("SELECT * FROM daily_traces WHERE traces != 0");
    const QString modelRows = QStringLiteral("SELECT * FROM daily_models WHERE observations != 0");
    for (const auto &[a, b] : {std::pair{byTraces, traceRows}, std::pair{traceRows, byTraces},
                               std::pair{byModels, modelRows}, std::pair{modelRows, byModels}}) {
        QCOMPARE(m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM (%1 EXCEPT %2)").arg(a, b)), 0);
    }

    constexpr qint64 day = 86400000;
    const qint64 anchor = ServerFixture::anchor().toMSecsSinceEpoch();
    const auto window = [](std::optional<qint64> from, std::optional<qint64> to) {
        QStringList parts;
        if (from)
            parts.append(QStringLiteral("fromTimestamp=") + ServerFixture::iso(*from));
        if (to)
            parts.append(QStringLiteral("toTimestamp=") + ServerFixture::iso(*to));
        return parts.join(QLatin1Char('&'));
    };
    const qint64 midnight = anchor - anchor % day;
    const QStringList windows{
        QString(),
        window(anchor - 90 * day, std::nullopt),         // the UI's "last 90 days"
        window(midnight - 30 * day, std::nullopt),       // whole days only
        window(std::nullopt, m_midMs),                   // open start, partial last day
        window(m_midMs, m_lateMs),                       // partial days at both ends
        window(midnight - 20 * day, midnight - 3 * day), // whole days at both ends
        window(midnight - 5 * day + 1, midnight - 5 * day + day - 1),       // inside one day
        window(midnight - 6 * day + 3600000, midnight - 5 * day + 1800000), // two part days
        window(m_midMs, m_midMs + day + 1),
    };
    const QStringList environments{QString(), QStringLiteral("environment=production"),
                                   QStringLiteral("environment=staging"),
                                   QStringLiteral("environment=production&environment=staging")};
    qint64 days = 0;
    for (const QString &user : std::as_const(users)) {
        for (const QString &w : windows) {
            for (const QString &environment : environments) {
                QString extra = w;
                if (!environment.isEmpty())
                    extra += (extra.isEmpty() ? QString() : QStringLiteral("&")) + environment;
                days += compareDaily(user, extra);
                if (QTest::currentTestFailed())
                    return;
            }
        }
        // Paging: a short page, the next one, and one past the end.
        for (const QString &paging : {QStringLiteral("limit=3"), QStringLiteral("limit=3&page=2"),
                                      QStringLiteral("limit=100&page=9")}) {
            compareDaily(user, paging + QLatin1Char('&') + window(m_midMs, std::nullopt));
            if (QTest::currentTestFailed())
                return;
        }
    }
    QVERIFY(days > 1000);
}

void TstServerReads::dailyRollupFollowsWrites()
{
    // Writes from another connection, as an ingestion writer makes them: the triggers keep the
    // rollup equal to the rows through inserts, updates that move a trace or an observation,
    // and deletes.
    const QString user = QStringLiteral("rollup/writer é");
    const qint64 ts = ServerFixture::anchor().toMSecsSinceEpoch() - 3 * 86400000LL;
    const QString window = QStringLiteral("fromTimestamp=") +
                           ServerFixture::iso(ts - 10 * 86400000LL) + QStringLiteral("&limit=100");
    const auto write = [&](const QString &statement, const QVariantList &binds = {}) {
        QSqlQuery query(m_fx.db());
        if (!query.prepare(statement))
            return false;
        for (const QVariant &value : binds)
            query.addBindValue(value);
        return query.exec();
    };
    const auto observation = [&](const QString &id, const QString &trace, const QVariant &model,
                                 qint64 tokens) {
        return write(QStringLiteral("INSERT INTO observations (id, trace_id, type, start_time,"
                                    " model, input_tokens, output_tokens, total_tokens,"
                                    " total_cost_nanos) VALUES (?, ?, 'GENERATION', ?, ?, ?, 1,"
                                    " ?, ?)"),
                     {id, trace, ts, model, tokens, tokens + 1, tokens * 7});
    };
    const auto check = [&](qint64 wantDays) { QCOMPARE(compareDaily(user, window), wantDays); };

    // An observation before its trace, then the trace: both orders of arrival count.
    QVERIFY(observation(QStringLiteral("rw-o1"), QStringLiteral("rw-t1"), QStringLiteral("gpt-4o"),
                        10));
    QVERIFY(write(QStringLiteral("INSERT INTO traces (id, ts, user_id, user_id_lower,"
                                 " environment, observation_count, total_cost_nanos) VALUES"
                                 " ('rw-t1', ?, ?, ?, 'production', 1, 70)"),
                  {ts, user, user.toLower()}));
    check(1);
    QVERIFY(observation(QStringLiteral("rw-o2"), QStringLiteral("rw-t1"), QStringLiteral("gpt-4o"),
                        20));
    QVERIFY(observation(QStringLiteral("rw-o3"), QStringLiteral("rw-t1"), QVariant(), 5));
    QVERIFY(observation(QStringLiteral("rw-o4"), QStringLiteral("rw-t1"),
                        QStringLiteral("claude-3-5-sonnet"), 30));
    QVERIFY(write(QStringLiteral("UPDATE traces SET observation_count = 4, total_cost_nanos ="
                                 " 455 WHERE id = 'rw-t1'")));
    check(1);
    // A second trace the next day in staging, then the first moves onto that day.
    QVERIFY(write(QStringLiteral("INSERT INTO traces (id, ts, user_id, user_id_lower,"
                                 " environment) VALUES ('rw-t2', ?, ?, ?, 'staging')"),
                  {ts + 86400000LL, user, user.toLower()}));
    QVERIFY(observation(QStringLiteral("rw-o5"), QStringLiteral("rw-t2"), QStringLiteral("gpt-4o"),
                        40));
    check(2);
    QVERIFY(write(QStringLiteral("UPDATE traces SET ts = ts + 86400000, environment = 'staging'"
                                 " WHERE id = 'rw-t1'")));
    check(1);
    // Observations change model, trace and tokens, and go away.
    QVERIFY(write(QStringLiteral("UPDATE observations SET model = 'gpt-4o' WHERE id = 'rw-o4'")));
    QVERIFY(write(QStringLiteral("UPDATE observations SET input_tokens = 99, total_cost_nanos ="
                                 " 1 WHERE id = 'rw-o2'")));
    QVERIFY(write(QStringLiteral("UPDATE observations SET model = 'o3' WHERE id = 'rw-o3'")));
    QVERIFY(write(QStringLiteral("UPDATE observations SET trace_id = 'rw-t2' WHERE id = 'rw-o1'")));
    check(1);
    QVERIFY(write(QStringLiteral("DELETE FROM observations WHERE id IN ('rw-o2', 'rw-o5')")));
    check(1);
    // The trace changes hands: another user's days gain what this one's lose.
    const QString other = QStringLiteral("rollup/other");
    QVERIFY(write(QStringLiteral("UPDATE traces SET user_id = ? WHERE id = 'rw-t2'"), {other}));
    check(1);
    QCOMPARE(compareDaily(other, window), 1);
    QVERIFY(write(QStringLiteral("DELETE FROM observations WHERE trace_id IN ('rw-t1', 'rw-t2')")));
    QVERIFY(write(QStringLiteral("DELETE FROM traces WHERE id IN ('rw-t1', 'rw-t2')")));
    check(0);
    QCOMPARE(compareDaily(other, window), 0);
    QCOMPARE(m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM daily_traces WHERE user_id IN (?, ?)"
                                        " AND (traces != 0 OR observations != 0 OR cost_nanos"
                                        " != 0)"),
                         {user, other}),
             0);
    QCOMPARE(m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM daily_models WHERE user_id IN (?, ?)"
                                        " AND (traces != 0 OR observations != 0 OR"
                                        " total_tokens != 0)"),
                         {user, other}),
             0);
}

void TstServerReads::singleUserEndpoint()
{
    // The inserted trace counts for its user like every other one.
    const Reply reply =
        m_fx.get(QStringLiteral("/api/public/users/") + ServerFixture::encoded(kOddUser));
    QCOMPARE(reply.status, 200);
    QCOMPARE(
        reply.json.value(QLatin1String("totalTraces")).toInteger(),
        m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM traces WHERE user_id = ?"), {kOddUser}));
    QCOMPARE(reply.json.value(QLatin1String("totalObservations")).toInteger(),
             m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM observations o JOIN traces t ON"
                                        " t.id = o.trace_id WHERE t.user_id = ?"),
                         {kOddUser}));
    QUrlQuery staging(QStringLiteral("environment=staging&fromTimestamp=") +
                      ServerFixture::iso(m_midMs));
    const Reply ranged = m_fx.get(QStringLiteral("/api/public/users/alice%40example.com"), staging);
    QCOMPARE(ranged.status, 200);
    QCOMPARE(
        ranged.json.value(QLatin1String("totalTraces")).toInteger(),
        m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM traces WHERE user_id ="
                                   " 'alice@example.com' AND environment = 'staging' AND ts >= ?"),
                    {m_midMs}));
}

void TstServerReads::notFound()
{
    for (const QString &path : {QStringLiteral("/api/public/traces/no-such-trace"),
                                QStringLiteral("/api/public/traces/") +
                                    ServerFixture::encoded(kOddTrace + QStringLiteral("x")),
                                QStringLiteral("/api/public/sessions/no%2Fsuch"),
                                QStringLiteral("/api/public/users/nobody%20at%20all"),
                                QStringLiteral("/api/public/traces/a/b")}) {
        const Reply reply = m_fx.get(path);
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("not_found"));
    }
}

void TstServerReads::foreignWritesAreSeen()
{
    // Another connection adds a trace for a new user: /users answers from fresh figures.
    const QString user = QStringLiteral("late/comer Ünïcode");
    const QString path = QStringLiteral("/api/public/users/") + ServerFixture::encoded(user);
    QCOMPARE(m_fx.get(path).status, 404);
    const qint64 before = m_fx.get(QStringLiteral("/api/public/users"))
                              .json.value(QLatin1String("meta"))
                              .toObject()
                              .value(QLatin1String("totalItems"))
                              .toInteger();
    const qint64 ts = ServerFixture::anchor().toMSecsSinceEpoch() - 1000;
    QSqlQuery insert(m_fx.db());
    QVERIFY(insert.prepare(QStringLiteral(
        "INSERT INTO traces (id, ts, name, user_id, user_id_lower, session_id, environment,"
        " observation_count, input_tokens, output_tokens, total_tokens, total_cost_nanos)"
        " VALUES ('tr-late', ?, 'late', ?, ?, 'se-late', 'production', 0, 0, 0, 0, 0)")));
    insert.addBindValue(ts);
    insert.addBindValue(user);
    insert.addBindValue(user.toLower());
    QVERIFY(insert.exec());
    const Reply reply = m_fx.get(path);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QLatin1String("totalTraces")).toInteger(), 1);
    QCOMPARE(reply.json.value(QLatin1String("totalSessions")).toInteger(), 1);
    QCOMPARE(reply.json.value(QLatin1String("lastTraceAt")).toString(), ServerFixture::iso(ts));
    QCOMPARE(m_fx.get(QStringLiteral("/api/public/users"))
                 .json.value(QLatin1String("meta"))
                 .toObject()
                 .value(QLatin1String("totalItems"))
                 .toInteger(),
             before + 1);
    QVERIFY(m_fx.sql(QStringLiteral("DELETE FROM traces WHERE id = 'tr-late'")).isActive());
    QCOMPARE(m_fx.get(path).status, 404);
}

QTEST_GUILESS_MAIN(TstServerReads)
#include "tst_serverreads.moc"
