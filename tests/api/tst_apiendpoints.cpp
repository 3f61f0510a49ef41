// SPDX-License-Identifier: GPL-3.0-or-later
// Every read endpoint of API.md through ApiClient against the real local server on a free port
// (real HTTP, real SQLite): what the client decodes equals the raw JSON, parameters reach the
// server, and ids with '/', '%', '?', '#', spaces and Unicode survive the path.
#include "api/apiclient.h"
#include "api/jsonreader.h"
#include "tests/support/testserver.h"
#include "tests/support/waiter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <cmath>

namespace {

const QString kOddTrace = QStringLiteral("tr/odd id Ω?#%25");
const QString kOddSession = QStringLiteral("se/odd session é+&");
const QString kOddUser = QStringLiteral("team/alpha bob@x%2F");

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

std::optional<double> optionalNumber(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

} // namespace

class TestApiEndpoints : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void projects();
    void singleUser();
    void singleUserNotFound();
    void traces_data();
    void traces();
    void tracesFieldsCore();
    void traceDetailWithOddId();
    void sessions();
    void sessionDetailWithOddId();
    void scores_data();
    void scores();
    void dailyMetrics();
    void metricsTotalsMatchUsers();
    void metricsPerUserMatchUsers();
    void unknownMetricsViewIsBadRequest();

private:
    [[nodiscard]] Connection connection() const;
    [[nodiscard]] QJsonObject rawGet(const QString &path, const QUrlQuery &query = {});
    bool addOddRows(QString *error);

    TestServer m_server;
    ApiClient m_client;
    QNetworkAccessManager m_nam;
};

Connection TestApiEndpoints::connection() const
{
    return {QStringLiteral("test"), m_server.baseUrl(), m_server.credentials().publicKey,
            m_server.credentials().secretKey};
}

void TestApiEndpoints::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 60;
    demo.traces = 1500;
    demo.seed = 5;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
    QVERIFY2(addOddRows(&error), qPrintable(error));
    m_client.setConnection(connection());
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

void TestApiEndpoints::cleanupTestCase()
{
    QSqlDatabase::removeDatabase(QStringLiteral("odd"));
}

// One trace with awkward ids, two observations, a trace score and a session score.
bool TestApiEndpoints::addOddRows(QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("odd"));
    db.setDatabaseName(m_server.dbPath());
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    const qint64 ts = QDateTime::currentMSecsSinceEpoch() - 5 * 86400000LL;
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
        if (!query.prepare(statements[i])) {
            *error = query.lastError().text();
            return false;
        }
        for (const QVariant &value : binds[i])
            query.addBindValue(value);
        if (!query.exec()) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}

// The same request without ApiClient, to compare what it decoded with the raw JSON.
QJsonObject TestApiEndpoints::rawGet(const QString &path, const QUrlQuery &query)
{
    QUrl url = m_server.baseUrl();
    url.setPath(path, QUrl::TolerantMode);
    url.setQuery(query);
    QNetworkRequest request(url);
    const QByteArray auth =
        (m_server.credentials().publicKey + QLatin1Char(':') + m_server.credentials().secretKey)
            .toUtf8();
    request.setRawHeader("Authorization", "Basic " + auth.toBase64());
    QNetworkReply *reply = m_nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestApiEndpoints::projects()
{
    Waiter<QList<Project>> w;
    m_client.projects(this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    QCOMPARE(w.result->value().size(), 1);
    QCOMPARE(w.result->value().first().id, m_server.server()->projectId());
    QCOMPARE(w.result->value().first().name, m_server.server()->projectName());
}

void TestApiEndpoints::singleUser()
{
    // Every demo user with an id that needs encoding, and the odd one.
    UsersQuery all;
    all.limit = 1000;
    Waiter<Page<UserSummary>> list;
    m_client.users(all, this, list.callback());
    QVERIFY(list.wait());
    QVERIFY2(list.ok(), qPrintable(list.detail()));
    int checked = 0;
    for (const UserSummary &expected : list.result->value().items) {
        if (expected.userId.toUtf8() == QUrl::toPercentEncoding(expected.userId))
            continue; // nothing to encode
        Waiter<UserSummary> w;
        m_client.user(expected.userId, {}, this, w.callback());
        QVERIFY(w.wait());
        QVERIFY2(w.ok(), qPrintable(expected.userId + QLatin1Char(' ') + w.detail()));
        const UserSummary &u = w.result->value();
        QCOMPARE(u.userId, expected.userId);
        QCOMPARE(u.totalTraces, expected.totalTraces);
        QCOMPARE(u.totalTokens, expected.totalTokens);
        QVERIFY(near(u.totalCost, expected.totalCost));
        QCOMPARE(u.averageScore.has_value(), expected.averageScore.has_value());
        QCOMPARE(u.lastTraceAt, expected.lastTraceAt);
        ++checked;
    }
    QVERIFY(checked >= 2);

    Waiter<UserSummary> odd;
    m_client.user(kOddUser, {}, this, odd.callback());
    QVERIFY(odd.wait());
    QVERIFY2(odd.ok(), qPrintable(odd.detail()));
    QCOMPARE(odd.result->value().userId, kOddUser);
    QCOMPARE(odd.result->value().totalTraces, 1);
    QCOMPARE(odd.result->value().totalTokens, 42);

    // The scope reaches the server: a range after the odd trace leaves the user without data.
    UserScope later;
    later.from = QDateTime::currentDateTimeUtc().addDays(-1);
    Waiter<UserSummary> none;
    m_client.user(kOddUser, later, this, none.callback());
    QVERIFY(none.wait());
    QVERIFY(!none.ok());
    QCOMPARE(none.result->error().kind, ApiError::Kind::NotFound);
}

void TestApiEndpoints::singleUserNotFound()
{
    Waiter<UserSummary> w;
    m_client.user(QStringLiteral("nobody/../health"), {}, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::NotFound);
    QCOMPARE(w.result->error().httpStatus, 404);
}

void TestApiEndpoints::traces_data()
{
    QTest::addColumn<TracesQuery>("query");
    TracesQuery q;
    q.limit = 100;
    QTest::newRow("defaults") << q;
    q.orderField = QStringLiteral("totalCost");
    QTest::newRow("cost desc") << q;
    q.orderField = QStringLiteral("latency");
    q.descending = false;
    QTest::newRow("latency asc") << q;
    TracesQuery user;
    user.userId = kOddUser;
    QTest::newRow("odd user") << user;
    TracesQuery session;
    session.sessionId = kOddSession;
    QTest::newRow("odd session") << session;
    TracesQuery tags;
    tags.tags = {QStringLiteral("chat"), QStringLiteral("x y")};
    QTest::newRow("tags") << tags;
    TracesQuery name;
    name.name = QStringLiteral("odd-trace");
    QTest::newRow("name") << name;
    TracesQuery env;
    env.environments = {QStringLiteral("staging")};
    env.from = QDateTime::currentDateTimeUtc().addDays(-20);
    env.to = QDateTime::currentDateTimeUtc().addDays(-2);
    env.limit = 10;
    env.page = 2;
    env.orderField = QStringLiteral("totalTokens");
    QTest::newRow("environment, range, page 2") << env;
}

void TestApiEndpoints::traces()
{
    QFETCH(TracesQuery, query);
    Waiter<Page<TraceSummary>> w;
    m_client.traces(query, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const Page<TraceSummary> &page = w.result->value();

    const QJsonObject raw = rawGet(QStringLiteral("/api/public/traces"), query.toUrlQuery());
    const QJsonArray rows = raw.value(QLatin1String("data")).toArray();
    QCOMPARE(page.items.size(), rows.size());
    QVERIFY(!rows.isEmpty());
    QCOMPARE(
        page.meta.totalItems,
        raw.value(QLatin1String("meta")).toObject().value(QLatin1String("totalItems")).toInteger());
    QCOMPARE(page.meta.page, query.page);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject r = rows.at(i).toObject();
        const TraceSummary &t = page.items.at(i);
        QCOMPARE(t.id, r.value(QLatin1String("id")).toString());
        QCOMPARE(t.timestamp, parseIsoTime(r.value(QLatin1String("timestamp")).toString()));
        QCOMPARE(t.userId, r.value(QLatin1String("userId")).toString());
        QCOMPARE(t.sessionId, r.value(QLatin1String("sessionId")).toString());
        QCOMPARE(t.environment, r.value(QLatin1String("environment")).toString());
        QCOMPARE(t.name, r.value(QLatin1String("name")).toString());
        QCOMPARE(t.latency, optionalNumber(r.value(QLatin1String("latency"))));
        QCOMPARE(t.totalCost, optionalNumber(r.value(QLatin1String("totalCost"))));
        QCOMPARE(t.totalTokens.value_or(-1), r.value(QLatin1String("totalTokens")).toInteger(-1));
        QCOMPARE(t.observationCount.value_or(-1),
                 r.value(QLatin1String("observationCount")).toInteger(-1));
        QCOMPARE(t.tags.size(), r.value(QLatin1String("tags")).toArray().size());
        QCOMPARE(t.htmlPath, r.value(QLatin1String("htmlPath")).toString());
        // The filters reached the server.
        if (!query.userId.isEmpty())
            QCOMPARE(t.userId, query.userId);
        if (!query.sessionId.isEmpty())
            QCOMPARE(t.sessionId, query.sessionId);
        if (!query.name.isEmpty())
            QCOMPARE(t.name, query.name);
        for (const QString &tag : query.tags)
            QVERIFY(t.tags.contains(tag));
        if (!query.environments.isEmpty())
            QVERIFY(query.environments.contains(t.environment));
        if (query.from.isValid())
            QVERIFY(t.timestamp >= query.from);
        if (query.to.isValid())
            QVERIFY(t.timestamp < query.to);
        if (i > 0 && query.orderField == QLatin1String("totalCost"))
            QVERIFY(*page.items.at(i - 1).totalCost >= *t.totalCost);
        if (i > 0 && query.orderField == QLatin1String("latency") && !query.descending)
            QVERIFY(page.items.at(i - 1).latency.value_or(-1) <= t.latency.value_or(-1));
    }
}

void TestApiEndpoints::tracesFieldsCore()
{
    TracesQuery q;
    q.userId = kOddUser;
    Waiter<Page<TraceSummary>> full;
    m_client.traces(q, this, full.callback());
    q.fields = {QStringLiteral("core")};
    Waiter<Page<TraceSummary>> core;
    m_client.traces(q, this, core.callback());
    QVERIFY(full.wait() && core.wait());
    QVERIFY2(full.ok() && core.ok(), qPrintable(full.detail() + core.detail()));
    QCOMPARE(full.result->value().items.size(), 1);
    QCOMPARE(full.result->value().items.first().input.toString(), QStringLiteral("plain"));
    QCOMPARE(core.result->value().items.size(), 1);
    QVERIFY(core.result->value().items.first().input.isUndefined());
    QVERIFY(core.result->value().items.first().output.isUndefined());
}

void TestApiEndpoints::traceDetailWithOddId()
{
    Waiter<TraceDetail> w;
    m_client.trace(kOddTrace, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const TraceDetail &d = w.result->value();
    QCOMPARE(d.trace.id, kOddTrace);
    QCOMPARE(d.trace.userId, kOddUser);
    QCOMPARE(d.trace.sessionId, kOddSession);
    QCOMPARE(d.trace.input.toString(), QStringLiteral("plain"));
    QCOMPARE(d.trace.output.toString(), QStringLiteral("not json {"));
    QCOMPARE(d.trace.metadata.toObject().value(QLatin1String("k")).toInt(), 1);
    QCOMPARE(d.trace.tags, (QStringList{QStringLiteral("chat"), QStringLiteral("x y")}));
    QCOMPARE(d.observations.size(), 2);
    const Observation &first = d.observations.at(0);
    QCOMPARE(first.id, QStringLiteral("ob/odd 1"));
    QCOMPARE(first.traceId, kOddTrace);
    QCOMPARE(first.type, QStringLiteral("GENERATION"));
    QCOMPARE(first.model, QStringLiteral("gpt-4o"));
    QCOMPARE(first.usageDetails.value(QStringLiteral("input")), 30.0);
    QCOMPARE(first.usageDetails.value(QStringLiteral("output")), 10.0);
    QVERIFY(near(first.costDetails.value(QStringLiteral("total")), 1400e-9));
    QVERIFY(near(first.calculatedTotalCost.value_or(-1), 1400e-9));
    QVERIFY(near(first.latency.value_or(-1), 0.89));
    const Observation &open = d.observations.at(1);
    QVERIFY(!open.endTime.isValid());
    QVERIFY(!open.latency.has_value()); // no end, no latency: never 0
    QCOMPARE(d.scores.size(), 1);
    QCOMPARE(d.scores.first().id, QStringLiteral("sc/odd 1"));
    QCOMPARE(d.scores.first().value, 0.5);
    QCOMPARE(d.scores.first().dataType, QStringLiteral("NUMERIC"));
    QCOMPARE(d.trace.scores, QStringList{QStringLiteral("sc/odd 1")});

    Waiter<TraceDetail> missing;
    m_client.trace(kOddTrace + QStringLiteral("x"), this, missing.callback());
    QVERIFY(missing.wait());
    QVERIFY(!missing.ok());
    QCOMPARE(missing.result->error().kind, ApiError::Kind::NotFound);
}

void TestApiEndpoints::sessions()
{
    SessionsQuery q;
    q.limit = 100;
    Waiter<Page<SessionSummary>> w;
    m_client.sessions(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const QJsonArray rows = rawGet(QStringLiteral("/api/public/sessions"), q.toUrlQuery())
                                .value(QLatin1String("data"))
                                .toArray();
    QCOMPARE(w.result->value().items.size(), rows.size());
    QVERIFY(!rows.isEmpty());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject r = rows.at(i).toObject();
        const SessionSummary &s = w.result->value().items.at(i);
        QCOMPARE(s.id, r.value(QLatin1String("id")).toString());
        QCOMPARE(s.createdAt, parseIsoTime(r.value(QLatin1String("createdAt")).toString()));
        QCOMPARE(s.traceCount.value_or(-1), r.value(QLatin1String("traceCount")).toInteger(-1));
        QCOMPARE(s.totalTokens.value_or(-1), r.value(QLatin1String("totalTokens")).toInteger(-1));
        QCOMPARE(s.totalCost, optionalNumber(r.value(QLatin1String("totalCost"))));
        QCOMPARE(s.userIds.size(), r.value(QLatin1String("userIds")).toArray().size());
    }

    SessionsQuery byUser;
    byUser.userId = kOddUser;
    Waiter<Page<SessionSummary>> mine;
    m_client.sessions(byUser, this, mine.callback());
    QVERIFY(mine.wait());
    QVERIFY2(mine.ok(), qPrintable(mine.detail()));
    QCOMPARE(mine.result->value().items.size(), 1);
    QCOMPARE(mine.result->value().items.first().id, kOddSession);
    QCOMPARE(mine.result->value().items.first().userIds, QStringList{kOddUser});
}

void TestApiEndpoints::sessionDetailWithOddId()
{
    Waiter<SessionDetail> w;
    m_client.session(kOddSession, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    QCOMPARE(w.result->value().session.id, kOddSession);
    QCOMPARE(w.result->value().traces.size(), 1);
    QCOMPARE(w.result->value().traces.first().id, kOddTrace);

    // A real multi-trace session: traces oldest first.
    SessionsQuery q;
    q.limit = 100;
    Waiter<Page<SessionSummary>> list;
    m_client.sessions(q, this, list.callback());
    QVERIFY(list.wait() && list.ok());
    QString busiest;
    qint64 most = 0;
    for (const SessionSummary &s : list.result->value().items) {
        if (s.traceCount.value_or(0) > most) {
            most = *s.traceCount;
            busiest = s.id;
        }
    }
    QVERIFY(most >= 2);
    Waiter<SessionDetail> big;
    m_client.session(busiest, this, big.callback());
    QVERIFY(big.wait());
    QVERIFY2(big.ok(), qPrintable(big.detail()));
    QCOMPARE(big.result->value().traces.size(), most);
    for (qsizetype i = 1; i < big.result->value().traces.size(); ++i)
        QVERIFY(big.result->value().traces.at(i - 1).timestamp <=
                big.result->value().traces.at(i).timestamp);
}

void TestApiEndpoints::scores_data()
{
    QTest::addColumn<ScoresQuery>("query");
    ScoresQuery q;
    q.limit = 100;
    QTest::newRow("defaults") << q;
    ScoresQuery trace;
    trace.traceId = kOddTrace;
    QTest::newRow("odd trace") << trace;
    ScoresQuery session;
    session.sessionId = kOddSession;
    QTest::newRow("odd session") << session;
    ScoresQuery user;
    user.userId = kOddUser;
    QTest::newRow("odd user") << user;
    ScoresQuery typed;
    typed.limit = 100;
    typed.dataType = QStringLiteral("BOOLEAN");
    typed.source = QStringLiteral("ANNOTATION");
    QTest::newRow("boolean annotations") << typed;
    ScoresQuery named;
    named.limit = 100;
    named.name = QStringLiteral("helpfulness");
    named.environments = {QStringLiteral("production")};
    named.from = QDateTime::currentDateTimeUtc().addDays(-30);
    QTest::newRow("name, environment, range") << named;
}

void TestApiEndpoints::scores()
{
    QFETCH(ScoresQuery, query);
    Waiter<Page<Score>> w;
    m_client.scores(query, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const QJsonArray rows = rawGet(QStringLiteral("/api/public/v2/scores"), query.toUrlQuery())
                                .value(QLatin1String("data"))
                                .toArray();
    QCOMPARE(w.result->value().items.size(), rows.size());
    QVERIFY(!rows.isEmpty());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject r = rows.at(i).toObject();
        const Score &s = w.result->value().items.at(i);
        QCOMPARE(s.id, r.value(QLatin1String("id")).toString());
        QCOMPARE(s.name, r.value(QLatin1String("name")).toString());
        QCOMPARE(s.value, optionalNumber(r.value(QLatin1String("value"))));
        QCOMPARE(s.stringValue, r.value(QLatin1String("stringValue")).toString());
        QCOMPARE(s.dataType, r.value(QLatin1String("dataType")).toString());
        QCOMPARE(s.source, r.value(QLatin1String("source")).toString());
        QCOMPARE(s.timestamp, parseIsoTime(r.value(QLatin1String("timestamp")).toString()));
        if (!query.traceId.isEmpty())
            QCOMPARE(s.traceId, query.traceId);
        if (!query.sessionId.isEmpty()) // the session's own scores and its traces' scores
            QVERIFY(s.sessionId == query.sessionId || s.traceId == kOddTrace);
        if (!query.dataType.isEmpty())
            QCOMPARE(s.dataType, query.dataType);
        if (!query.source.isEmpty())
            QCOMPARE(s.source, query.source);
        if (!query.name.isEmpty())
            QCOMPARE(s.name, query.name);
        if (query.from.isValid())
            QVERIFY(s.timestamp >= query.from);
    }
}

void TestApiEndpoints::dailyMetrics()
{
    DailyMetricsQuery q;
    q.limit = 100;
    q.from = QDateTime::currentDateTimeUtc().addDays(-30);
    Waiter<Page<DailyMetrics>> w;
    m_client.dailyMetrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const QJsonArray rows = rawGet(QStringLiteral("/api/public/metrics/daily"), q.toUrlQuery())
                                .value(QLatin1String("data"))
                                .toArray();
    const QList<DailyMetrics> &days = w.result->value().items;
    QCOMPARE(days.size(), rows.size());
    QVERIFY(days.size() >= 20);
    for (qsizetype i = 0; i < days.size(); ++i) {
        const QJsonObject r = rows.at(i).toObject();
        QCOMPARE(days.at(i).date.toString(Qt::ISODate), r.value(QLatin1String("date")).toString());
        QCOMPARE(days.at(i).countTraces, r.value(QLatin1String("countTraces")).toInteger());
        QVERIFY(near(days.at(i).totalCost, r.value(QLatin1String("totalCost")).toDouble()));
        QCOMPARE(days.at(i).countObservations,
                 r.value(QLatin1String("countObservations")).toInteger());
        const QJsonArray usage = r.value(QLatin1String("usage")).toArray();
        QCOMPARE(days.at(i).usage.size(), usage.size());
        for (qsizetype m = 0; m < usage.size(); ++m) {
            const QJsonObject u = usage.at(m).toObject();
            QCOMPARE(days.at(i).usage.at(m).model, u.value(QLatin1String("model")).toString());
            QCOMPARE(days.at(i).usage.at(m).totalUsage,
                     u.value(QLatin1String("totalUsage")).toInteger());
            QCOMPARE(days.at(i).usage.at(m).countTraces,
                     u.value(QLatin1String("countTraces")).toInteger());
        }
        if (i > 0)
            QVERIFY(days.at(i - 1).date > days.at(i).date); // newest first
    }

    DailyMetricsQuery user;
    user.userId = kOddUser;
    Waiter<Page<DailyMetrics>> mine;
    m_client.dailyMetrics(user, this, mine.callback());
    QVERIFY(mine.wait());
    QVERIFY2(mine.ok(), qPrintable(mine.detail()));
    QCOMPARE(mine.result->value().items.size(), 1);
    QCOMPARE(mine.result->value().items.first().countTraces, 1);
    QCOMPARE(mine.result->value().items.first().usage.size(), 2);
}

void TestApiEndpoints::metricsTotalsMatchUsers()
{
    UsersQuery all;
    all.limit = 1000;
    all.environments = {QStringLiteral("production")};
    Waiter<Page<UserSummary>> users;
    m_client.users(all, this, users.callback());

    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.filterEnvironments(all.environments);
    q.dimensions = {QStringLiteral("userId")};
    q.rowLimit = 1000;
    const QString count = q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    const QString tokens = q.addMetric(QStringLiteral("totalTokens"), QStringLiteral("sum"));
    const QString cost = q.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    Waiter<QList<MetricsRow>> totals;
    m_client.metrics(q, this, totals.callback());
    QVERIFY(users.wait() && totals.wait());
    QVERIFY2(users.ok(), qPrintable(users.detail()));
    QVERIFY2(totals.ok(), qPrintable(totals.detail()));
    qint64 traces = 0;
    qint64 tokenSum = 0;
    double costSum = 0;
    for (const UserSummary &u : users.result->value().items) {
        traces += u.totalTraces;
        tokenSum += u.totalTokens;
        costSum += u.totalCost;
    }
    double metricTraces = 0, metricTokens = 0, metricCost = 0;
    for (const MetricsRow &row : totals.result->value()) {
        if (row.dimension(QStringLiteral("userId")).isNull())
            continue;
        metricTraces += *row.metric(count);
        metricTokens += *row.metric(tokens);
        metricCost += *row.metric(cost);
    }
    QCOMPARE(metricTraces, double(traces));
    QCOMPARE(metricTokens, double(tokenSum));
    QVERIFY(std::abs(metricCost - costSum) < 1e-6);
}

void TestApiEndpoints::metricsPerUserMatchUsers()
{
    UsersQuery all;
    all.limit = 1000;
    Waiter<Page<UserSummary>> users;
    m_client.users(all, this, users.callback());
    MetricsQuery q;
    q.view = QStringLiteral("scores-numeric");
    q.dimensions = {QStringLiteral("userId")};
    const QString avg = q.addMetric(QStringLiteral("value"), QStringLiteral("avg"));
    const QString n = q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    q.rowLimit = 1000;
    Waiter<QList<MetricsRow>> rows;
    m_client.metrics(q, this, rows.callback());
    QVERIFY(users.wait() && rows.wait());
    QVERIFY2(rows.ok(), qPrintable(rows.detail()));
    QHash<QString, MetricsRow> byUser;
    for (const MetricsRow &r : rows.result->value())
        byUser.insert(r.dimension(QStringLiteral("userId")), r);
    int compared = 0;
    for (const UserSummary &u : users.result->value().items) {
        if (!u.averageScore) {
            QVERIFY(!byUser.contains(u.userId) || !byUser.value(u.userId).metric(avg));
            continue;
        }
        QVERIFY2(byUser.contains(u.userId), qPrintable(u.userId));
        QVERIFY(near(*byUser.value(u.userId).metric(avg), *u.averageScore));
        QCOMPARE(qint64(*byUser.value(u.userId).metric(n)), u.scoreCount);
        ++compared;
    }
    QVERIFY(compared > 10);
}

void TestApiEndpoints::unknownMetricsViewIsBadRequest()
{
    MetricsQuery q;
    q.view = QStringLiteral("no-such-view");
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    Waiter<QList<MetricsRow>> w;
    m_client.metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::BadRequest);
    QCOMPARE(w.result->error().httpStatus, 400);
    // The server's message names what was wrong, for people too.
    QVERIFY2(w.result->error().message.contains(QLatin1String("no-such-view")),
             qPrintable(w.result->error().message));
}

QTEST_GUILESS_MAIN(TestApiEndpoints)
#include "tst_apiendpoints.moc"
