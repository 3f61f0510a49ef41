// SPDX-License-Identifier: GPL-3.0-or-later
// Metrics API v1 (GET /api/public/metrics?query=JSON) against SQL over the raw rows: the three
// queries of the users-list fallback (and their agreement with /users), totals without
// dimensions, the environment list, time buckets, every filter operator, ordering, row_limit
// and the 400s that name the unknown view / field / measure / operator.
#include "server/metricsquery.h"
#include "tests/server/serverfixture.h"

#include <cmath>

namespace {

QJsonObject metric(const char *measure, const char *aggregation)
{
    return {{QStringLiteral("measure"), QLatin1String(measure)},
            {QStringLiteral("aggregation"), QLatin1String(aggregation)}};
}

QJsonObject dimension(const char *field)
{
    return {{QStringLiteral("field"), QLatin1String(field)}};
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TstServerMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void usersFallback_data();
    void usersFallback();
    void totalsWithoutDimensions();
    void environmentList();
    void timeDimension_data();
    void timeDimension();
    void filters_data();
    void filters();
    void orderAndRowLimit();
    void invalid_data();
    void invalid();
    void columnsAgreeWithSql_data();
    void columnsAgreeWithSql();

private:
    [[nodiscard]] Reply metrics(const QJsonObject &query);
    [[nodiscard]] QJsonArray rows(const QJsonObject &query);

    ServerFixture m_fx;
    qint64 m_midMs = 0;
    qint64 m_lateMs = 0;
};

void TstServerMetrics::initTestCase()
{
    QString error;
    QVERIFY2(m_fx.start(150, 2500, 21, &error), qPrintable(error));
    QSqlQuery q = m_fx.sql(QStringLiteral("SELECT ts FROM traces ORDER BY ts"));
    QList<qint64> times;
    while (q.next())
        times.append(q.value(0).toLongLong());
    m_midMs = times.at(times.size() / 2);
    m_lateMs = times.at(times.size() * 5 / 6);
}

Reply TstServerMetrics::metrics(const QJsonObject &query)
{
    QUrlQuery q;
    q.setQuery(QStringLiteral("query=") +
               QString::fromLatin1(QUrl::toPercentEncoding(
                   QString::fromUtf8(QJsonDocument(query).toJson(QJsonDocument::Compact)))));
    return m_fx.get(QStringLiteral("/api/public/metrics"), q);
}

QJsonArray TstServerMetrics::rows(const QJsonObject &query)
{
    const Reply reply = metrics(query);
    if (reply.status != 200)
        qWarning() << reply.status << reply.body;
    return reply.json.value(QLatin1String("data")).toArray();
}

void TstServerMetrics::usersFallback_data()
{
    QTest::addColumn<bool>("window");
    QTest::addColumn<QString>("environment");
    QTest::newRow("all time") << false << QString();
    QTest::newRow("window") << true << QString();
    QTest::newRow("staging") << false << QStringLiteral("staging");
    QTest::newRow("window, production") << true << QStringLiteral("production");
}

void TstServerMetrics::usersFallback()
{
    QFETCH(bool, window);
    QFETCH(QString, environment);
    const auto withFilters = [&](QJsonObject query) {
        if (window) {
            query.insert(QStringLiteral("fromTimestamp"), ServerFixture::iso(m_midMs));
            query.insert(QStringLiteral("toTimestamp"), ServerFixture::iso(m_lateMs));
        }
        if (!environment.isEmpty()) {
            query.insert(
                QStringLiteral("filters"),
                QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("environment")},
                                       {QStringLiteral("operator"), QStringLiteral("any of")},
                                       {QStringLiteral("value"), QJsonArray{environment}},
                                       {QStringLiteral("type"), QStringLiteral("stringOptions")}}});
        }
        query.insert(QStringLiteral("config"), QJsonObject{{QStringLiteral("row_limit"), 1000}});
        return query;
    };
    const QJsonArray traces = rows(withFilters(
        {{QStringLiteral("view"), QStringLiteral("traces")},
         {QStringLiteral("dimensions"), QJsonArray{dimension("userId")}},
         {QStringLiteral("metrics"),
          QJsonArray{metric("count", "count"), metric("totalTokens", "sum"),
                     metric("totalCost", "sum")}},
         {QStringLiteral("orderBy"),
          QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("sum_totalCost")},
                                 {QStringLiteral("direction"), QStringLiteral("desc")}}}}}));
    const QJsonArray observations =
        rows(withFilters({{QStringLiteral("view"), QStringLiteral("observations")},
                          {QStringLiteral("dimensions"), QJsonArray{dimension("userId")}},
                          {QStringLiteral("metrics"), QJsonArray{metric("inputTokens", "sum"),
                                                                 metric("outputTokens", "sum")}}}));
    const QJsonArray scores =
        rows(withFilters({{QStringLiteral("view"), QStringLiteral("scores-numeric")},
                          {QStringLiteral("dimensions"), QJsonArray{dimension("userId")}},
                          {QStringLiteral("metrics"),
                           QJsonArray{metric("value", "avg"), metric("count", "count")}}}));
    QVERIFY(!traces.isEmpty());
    QVERIFY(!observations.isEmpty());
    QVERIFY(!scores.isEmpty());

    QString where = QStringLiteral("1");
    if (window)
        where += QStringLiteral(" AND t.ts >= %1 AND t.ts < %2").arg(m_midMs).arg(m_lateMs);
    if (!environment.isEmpty())
        where += QStringLiteral(" AND t.environment = '%1'").arg(environment);
    // Traces without a user form their own group (userId null), as in Langfuse.
    QSqlQuery t = m_fx.sql(
        QStringLiteral(
            "SELECT t.user_id, COUNT(*), TOTAL((SELECT TOTAL(total_tokens) FROM observations o "
            "WHERE o.trace_id = t.id)),"
            " TOTAL((SELECT TOTAL(total_cost_nanos) FROM observations o WHERE o.trace_id = t.id))"
            " FROM traces t WHERE %1 GROUP BY t.user_id ORDER BY 4 DESC, t.user_id")
            .arg(where));
    qsizetype i = 0;
    while (t.next()) {
        QVERIFY(i < traces.size());
        const QJsonObject row = traces[i++].toObject();
        QCOMPARE(row.value(QLatin1String("userId")).toString(), t.value(0).toString());
        QCOMPARE(row.value(QLatin1String("userId")).isNull(), t.value(0).isNull());
        QCOMPARE(row.value(QLatin1String("count_count")).toInteger(), t.value(1).toLongLong());
        QCOMPARE(row.value(QLatin1String("sum_totalTokens")).toInteger(), t.value(2).toLongLong());
        QVERIFY(near(row.value(QLatin1String("sum_totalCost")).toDouble(),
                     t.value(3).toDouble() / 1e9));
    }
    QCOMPARE(i, traces.size());

    QString obsWhere = where;
    obsWhere.replace(QStringLiteral("t.environment"), QStringLiteral("o.environment"));
    QSqlQuery o =
        m_fx.sql(QStringLiteral("SELECT t.user_id, TOTAL(o.input_tokens), TOTAL(o.output_tokens)"
                                " FROM observations o JOIN traces t ON t.id = o.trace_id"
                                " WHERE %1 GROUP BY t.user_id ORDER BY t.user_id")
                     .arg(obsWhere));
    i = 0;
    while (o.next()) {
        QVERIFY(i < observations.size());
        const QJsonObject row = observations[i++].toObject();
        QCOMPARE(row.value(QLatin1String("userId")).toString(), o.value(0).toString());
        QCOMPARE(row.value(QLatin1String("sum_inputTokens")).toInteger(), o.value(1).toLongLong());
        QCOMPARE(row.value(QLatin1String("sum_outputTokens")).toInteger(), o.value(2).toLongLong());
    }
    QCOMPARE(i, observations.size());

    // Scores are placed in time by their own timestamp.
    QString scoreWhere = QStringLiteral("s.data_type = 'NUMERIC'");
    if (window)
        scoreWhere += QStringLiteral(" AND s.ts >= %1 AND s.ts < %2").arg(m_midMs).arg(m_lateMs);
    if (!environment.isEmpty())
        scoreWhere += QStringLiteral(" AND s.environment = '%1'").arg(environment);
    QSqlQuery s = m_fx.sql(QStringLiteral("SELECT t.user_id, AVG(s.value), COUNT(*) FROM scores s"
                                          " LEFT JOIN traces t ON t.id = s.trace_id WHERE %1"
                                          " GROUP BY t.user_id ORDER BY t.user_id")
                               .arg(scoreWhere));
    i = 0;
    while (s.next()) {
        QVERIFY(i < scores.size());
        const QJsonObject row = scores[i++].toObject();
        QCOMPARE(row.value(QLatin1String("userId")).toString(), s.value(0).toString());
        QVERIFY(near(row.value(QLatin1String("avg_value")).toDouble(), s.value(1).toDouble()));
        QCOMPARE(row.value(QLatin1String("count_count")).toInteger(), s.value(2).toLongLong());
    }
    QCOMPARE(i, scores.size());

    if (window || !environment.isEmpty())
        return;
    // All time, the merged fallback says what /users says.
    const Reply users =
        m_fx.get(QStringLiteral("/api/public/users"), QUrlQuery(QStringLiteral("limit=1000")));
    QCOMPARE(users.status, 200);
    QHash<QString, QJsonObject> byUser;
    for (const QJsonValue &value : traces)
        byUser[value.toObject().value(QLatin1String("userId")).toString()] = value.toObject();
    for (const QJsonValue &value : observations) {
        QJsonObject &merged = byUser[value.toObject().value(QLatin1String("userId")).toString()];
        const QJsonObject row = value.toObject();
        for (auto it = row.begin(); it != row.end(); ++it)
            merged.insert(it.key(), it.value());
    }
    for (const QJsonValue &value : scores) {
        QJsonObject &merged = byUser[value.toObject().value(QLatin1String("userId")).toString()];
        merged.insert(QStringLiteral("avg_value"),
                      value.toObject().value(QLatin1String("avg_value")));
        merged.insert(QStringLiteral("score_count"),
                      value.toObject().value(QLatin1String("count_count")));
    }
    const QJsonArray list = users.json.value(QLatin1String("data")).toArray();
    QCOMPARE(list.size(), 150);
    for (const QJsonValue &value : list) {
        const QJsonObject user = value.toObject();
        const QJsonObject merged = byUser.value(user.value(QLatin1String("userId")).toString());
        QCOMPARE(merged.value(QLatin1String("count_count")).toInteger(),
                 user.value(QLatin1String("totalTraces")).toInteger());
        QCOMPARE(merged.value(QLatin1String("sum_totalTokens")).toInteger(),
                 user.value(QLatin1String("totalTokens")).toInteger());
        QCOMPARE(merged.value(QLatin1String("sum_inputTokens")).toInteger(),
                 user.value(QLatin1String("inputTokens")).toInteger());
        QCOMPARE(merged.value(QLatin1String("sum_outputTokens")).toInteger(),
                 user.value(QLatin1String("outputTokens")).toInteger());
        QVERIFY(near(merged.value(QLatin1String("sum_totalCost")).toDouble(),
                     user.value(QLatin1String("totalCost")).toDouble()));
        QCOMPARE(merged.value(QLatin1String("score_count")).toInteger(),
                 user.value(QLatin1String("scoreCount")).toInteger());
        if (user.value(QLatin1String("averageScore")).isNull())
            QVERIFY(!merged.contains(QLatin1String("avg_value")));
        else
            QVERIFY(near(merged.value(QLatin1String("avg_value")).toDouble(),
                         user.value(QLatin1String("averageScore")).toDouble()));
    }
}

void TstServerMetrics::totalsWithoutDimensions()
{
    const QJsonObject query{
        {QStringLiteral("view"), QStringLiteral("traces")},
        {QStringLiteral("metrics"),
         QJsonArray{metric("count", "count"), metric("totalTokens", "sum"),
                    metric("totalCost", "sum"), metric("latency", "avg"),
                    metric("totalTokens", "min"), metric("totalTokens", "max"),
                    metric("observationsCount", "sum"), metric("scoresCount", "sum")}},
        {QStringLiteral("fromTimestamp"), ServerFixture::iso(m_midMs)},
        {QStringLiteral("filters"),
         QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("environment")},
                                {QStringLiteral("operator"), QStringLiteral("=")},
                                {QStringLiteral("value"), QStringLiteral("production")}}}}};
    const QJsonArray result = rows(query);
    QCOMPARE(result.size(), 1);
    const QJsonObject row = result.first().toObject();
    QSqlQuery q = m_fx.sql(
        QStringLiteral(
            "SELECT COUNT(*), TOTAL((SELECT TOTAL(total_tokens) FROM observations o WHERE "
            "o.trace_id = t.id)),"
            " TOTAL((SELECT TOTAL(total_cost_nanos) FROM observations o WHERE o.trace_id = t.id)),"
            " AVG(latency_ms), MIN(total_tokens), MAX(total_tokens),"
            " (SELECT COUNT(*) FROM observations o JOIN traces t2 ON t2.id = o.trace_id"
            "  WHERE t2.ts >= ? AND t2.environment = 'production'),"
            " (SELECT COUNT(*) FROM scores s JOIN traces t3 ON t3.id = s.trace_id"
            "  WHERE t3.ts >= ? AND t3.environment = 'production')"
            " FROM traces t WHERE t.ts >= ? AND t.environment = 'production'"),
        {m_midMs, m_midMs, m_midMs});
    QVERIFY(q.next());
    QCOMPARE(row.value(QLatin1String("count_count")).toInteger(), q.value(0).toLongLong());
    QCOMPARE(row.value(QLatin1String("sum_totalTokens")).toInteger(), q.value(1).toLongLong());
    QVERIFY(
        near(row.value(QLatin1String("sum_totalCost")).toDouble(), q.value(2).toDouble() / 1e9));
    QVERIFY(
        near(row.value(QLatin1String("avg_latency")).toDouble(), q.value(3).toDouble() / 1000.0));
    QCOMPARE(row.value(QLatin1String("min_totalTokens")).toInteger(), q.value(4).toLongLong());
    QCOMPARE(row.value(QLatin1String("max_totalTokens")).toInteger(), q.value(5).toLongLong());
    QCOMPARE(row.value(QLatin1String("sum_observationsCount")).toInteger(),
             q.value(6).toLongLong());
    QCOMPARE(row.value(QLatin1String("sum_scoresCount")).toInteger(), q.value(7).toLongLong());

    // Nothing matches: still one row, sums 0 and the average null (never 0).
    QJsonObject none = query;
    none.insert(QStringLiteral("filters"),
                QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("userId")},
                                       {QStringLiteral("operator"), QStringLiteral("=")},
                                       {QStringLiteral("value"), QStringLiteral("nobody")}}});
    const QJsonArray empty = rows(none);
    QCOMPARE(empty.size(), 1);
    QCOMPARE(empty[0].toObject().value(QLatin1String("count_count")).toInteger(), 0);
    QCOMPARE(empty[0].toObject().value(QLatin1String("sum_totalTokens")).toInteger(), 0);
    QVERIFY(empty[0].toObject().value(QLatin1String("avg_latency")).isNull());
}

void TstServerMetrics::environmentList()
{
    const QJsonArray result =
        rows({{QStringLiteral("view"), QStringLiteral("traces")},
              {QStringLiteral("dimensions"), QJsonArray{dimension("environment")}},
              {QStringLiteral("metrics"), QJsonArray{metric("count", "count")}}});
    QSqlQuery q =
        m_fx.sql(QStringLiteral("SELECT environment, COUNT(*) FROM traces GROUP BY 1 ORDER BY 1"));
    qsizetype i = 0;
    while (q.next()) {
        QVERIFY(i < result.size());
        QCOMPARE(result[i].toObject().value(QLatin1String("environment")).toString(),
                 q.value(0).toString());
        QCOMPARE(result[i].toObject().value(QLatin1String("count_count")).toInteger(),
                 q.value(1).toLongLong());
        ++i;
    }
    QCOMPARE(i, result.size());
    QCOMPARE(i, 2);
}

void TstServerMetrics::timeDimension_data()
{
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("bucket"); // SQL giving the bucket's start as ISO text
    QTest::newRow("hour") << QStringLiteral("hour") << QStringLiteral("traces")
                          << QStringLiteral(
                                 "strftime('%Y-%m-%dT%H:00:00.000Z', t.ts / 1000, 'unixepoch')");
    QTest::newRow("day") << QStringLiteral("day") << QStringLiteral("observations")
                         << QStringLiteral(
                                "strftime('%Y-%m-%dT00:00:00.000Z', t.ts / 1000, 'unixepoch')");
    QTest::newRow("week") << QStringLiteral("week") << QStringLiteral("traces")
                          << QStringLiteral(
                                 "strftime('%Y-%m-%dT00:00:00.000Z', t.ts / 1000, 'unixepoch',"
                                 " '-6 days', 'weekday 1')");
    QTest::newRow("month") << QStringLiteral("month") << QStringLiteral("traces")
                           << QStringLiteral(
                                  "strftime('%Y-%m-01T00:00:00.000Z', t.ts / 1000, 'unixepoch')");
}

void TstServerMetrics::timeDimension()
{
    QFETCH(QString, granularity);
    QFETCH(QString, view);
    QFETCH(QString, bucket);
    // Ten days for hours (240 buckets), the window otherwise.
    const qint64 from = granularity == QLatin1String("hour") ? m_lateMs - 10 * 86400000LL : m_midMs;
    const QJsonArray result =
        rows({{QStringLiteral("view"), view},
              {QStringLiteral("metrics"),
               QJsonArray{metric("count", "count"), metric("totalTokens", "sum")}},
              {QStringLiteral("timeDimension"),
               QJsonObject{{QStringLiteral("granularity"), granularity}}},
              {QStringLiteral("fromTimestamp"), ServerFixture::iso(from)},
              {QStringLiteral("toTimestamp"), ServerFixture::iso(m_lateMs)},
              {QStringLiteral("config"), QJsonObject{{QStringLiteral("row_limit"), 1000}}}});
    const QString table = view == QLatin1String("traces")
                              ? QStringLiteral("traces t")
                              : QStringLiteral("observations o JOIN traces t ON t.id = o.trace_id");
    const QString tokens = view == QLatin1String("traces") ? QStringLiteral("t.total_tokens")
                                                           : QStringLiteral("o.total_tokens");
    QSqlQuery q = m_fx.sql(
        QStringLiteral("SELECT %1, COUNT(*), TOTAL(%2) FROM %3 WHERE t.ts >= ? AND t.ts < ?"
                       " GROUP BY 1 ORDER BY 1")
            .arg(bucket, tokens, table),
        {from, m_lateMs});
    qsizetype i = 0;
    while (q.next()) {
        QVERIFY(i < result.size());
        const QJsonObject row = result[i++].toObject();
        QCOMPARE(row.value(QLatin1String("time_dimension")).toString(), q.value(0).toString());
        QCOMPARE(row.value(QLatin1String("count_count")).toInteger(), q.value(1).toLongLong());
        QCOMPARE(row.value(QLatin1String("sum_totalTokens")).toInteger(), q.value(2).toLongLong());
    }
    QCOMPARE(i, result.size());
    QVERIFY(i > 1);
}

void TstServerMetrics::filters_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("op");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("where");
    const auto s = [](const char *v) { return QJsonValue(QLatin1String(v)); };
    QTest::newRow("userId =") << "traces"
                              << "userId"
                              << "=" << s("alice@example.com") << "t.user_id = 'alice@example.com'";
    QTest::newRow("userId !=") << "traces"
                               << "userId"
                               << "!=" << s("alice@example.com")
                               << "(t.user_id IS NULL OR t.user_id != 'alice@example.com')";
    QTest::newRow("name contains") << "traces"
                                   << "name"
                                   << "contains" << s("summ") << "t.name LIKE '%summ%'";
    QTest::newRow("environment any of")
        << "traces"
        << "environment"
        << "any of" << QJsonValue(QJsonArray{QStringLiteral("staging"), QStringLiteral("nowhere")})
        << "t.environment = 'staging'";
    QTest::newRow("userId >") << "traces"
                              << "userId"
                              << ">" << s("m") << "t.user_id > 'm'";
    QTest::newRow("totalTokens >") << "traces"
                                   << "totalTokens"
                                   << ">" << QJsonValue(3000) << "t.total_tokens > 3000";
    QTest::newRow("totalTokens >=") << "traces"
                                    << "totalTokens"
                                    << ">=" << QJsonValue(3000) << "t.total_tokens >= 3000";
    QTest::newRow("latency <=") << "traces"
                                << "latency"
                                << "<=" << QJsonValue(2.5) << "t.latency_ms <= 2500";
    QTest::newRow("totalCost <") << "traces"
                                 << "totalCost"
                                 << "<" << QJsonValue(0.01) << "t.total_cost_nanos < 10000000";
    QTest::newRow("observations model =") << "observations"
                                          << "providedModelName"
                                          << "=" << s("gpt-4o") << "o.model = 'gpt-4o'";
    QTest::newRow("observations type any of")
        << "observations"
        << "type"
        << "any of" << QJsonValue(QJsonArray{QStringLiteral("SPAN"), QStringLiteral("EVENT")})
        << "o.type IN ('SPAN', 'EVENT')";
    QTest::newRow("observations traceName !=") << "observations"
                                               << "traceName"
                                               << "!=" << s("translate") << "t.name != 'translate'";
    QTest::newRow("scores source =")
        << "scores-numeric"
        << "source"
        << "=" << s("EVAL") << "s.source = 'EVAL' AND s.data_type = 'NUMERIC'";
    QTest::newRow("scores value >=")
        << "scores-numeric"
        << "value"
        << ">=" << QJsonValue(3) << "s.value >= 3 AND s.data_type = 'NUMERIC'";
}

void TstServerMetrics::filters()
{
    QFETCH(QString, view);
    QFETCH(QString, column);
    QFETCH(QString, op);
    QFETCH(QJsonValue, value);
    QFETCH(QString, where);
    const QJsonArray result = rows(
        {{QStringLiteral("view"), view},
         {QStringLiteral("metrics"), QJsonArray{metric("count", "count")}},
         {QStringLiteral("filters"), QJsonArray{QJsonObject{{QStringLiteral("column"), column},
                                                            {QStringLiteral("operator"), op},
                                                            {QStringLiteral("value"), value}}}}});
    QCOMPARE(result.size(), 1);
    const QString table = view == QLatin1String("traces") ? QStringLiteral("traces t")
                          : view == QLatin1String("observations")
                              ? QStringLiteral("observations o JOIN traces t ON t.id = o.trace_id")
                              : QStringLiteral("scores s");
    const qint64 expected =
        m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE %2").arg(table, where));
    QVERIFY(expected > 0);
    QCOMPARE(result[0].toObject().value(QLatin1String("count_count")).toInteger(), expected);
}

void TstServerMetrics::orderAndRowLimit()
{
    // The benchmark's query: observations by user, top 10 by cost.
    const QJsonArray result =
        rows({{QStringLiteral("view"), QStringLiteral("observations")},
              {QStringLiteral("dimensions"), QJsonArray{dimension("userId")}},
              {QStringLiteral("metrics"), QJsonArray{metric("totalCost", "sum")}},
              {QStringLiteral("fromTimestamp"), ServerFixture::iso(m_midMs)},
              {QStringLiteral("orderBy"),
               QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("sum_totalCost")},
                                      {QStringLiteral("direction"), QStringLiteral("desc")}}}},
              {QStringLiteral("config"), QJsonObject{{QStringLiteral("row_limit"), 10}}}});
    QCOMPARE(result.size(), 10);
    QSqlQuery q =
        m_fx.sql(QStringLiteral("SELECT t.user_id, TOTAL(o.total_cost_nanos) FROM observations o"
                                " JOIN traces t ON t.id = o.trace_id WHERE t.ts >= ?"
                                " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
                 {m_midMs});
    for (const QJsonValue &row : result) {
        QVERIFY(q.next());
        QCOMPARE(row.toObject().value(QLatin1String("userId")).toString(), q.value(0).toString());
        QVERIFY(near(row.toObject().value(QLatin1String("sum_totalCost")).toDouble(),
                     q.value(1).toDouble() / 1e9));
    }
    // Default row_limit is 100.
    QCOMPARE(rows({{QStringLiteral("view"), QStringLiteral("traces")},
                   {QStringLiteral("dimensions"), QJsonArray{dimension("userId")}},
                   {QStringLiteral("metrics"), QJsonArray{metric("count", "count")}}})
                 .size(),
             100);
}

void TstServerMetrics::invalid_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("named");
    const QString ok = QStringLiteral("\"dimensions\":[{\"field\":\"userId\"}],\"metrics\":[{"
                                      "\"measure\":\"count\",\"aggregation\":\"count\"}]");
    QTest::newRow("unknown view") << QStringLiteral("{\"view\":\"users\",%1}").arg(ok)
                                  << QStringLiteral("users");
    QTest::newRow("missing view") << QStringLiteral("{%1}").arg(ok) << QStringLiteral("view");
    QTest::newRow("unknown dimension")
        << QStringLiteral(
               "{\"view\":\"traces\",\"dimensions\":[{\"field\":\"providedModelName\"}]}")
        << QStringLiteral("providedModelName");
    QTest::newRow("unknown measure")
        << QStringLiteral("{\"view\":\"scores-numeric\",\"metrics\":[{\"measure\":\"totalCost\","
                          "\"aggregation\":\"sum\"}]}")
        << QStringLiteral("totalCost");
    QTest::newRow("unknown aggregation")
        << QStringLiteral("{\"view\":\"traces\",\"metrics\":[{\"measure\":\"totalCost\","
                          "\"aggregation\":\"median\"}]}")
        << QStringLiteral("median");
    QTest::newRow("percentile unsupported")
        << QStringLiteral("{\"view\":\"traces\",\"metrics\":[{\"measure\":\"latency\","
                          "\"aggregation\":\"p95\"}]}")
        << QStringLiteral("p95");
    QTest::newRow("unknown operator")
        << QStringLiteral("{\"view\":\"traces\",%1,\"filters\":[{\"column\":\"userId\","
                          "\"operator\":\"LIKE\",\"value\":\"a\"}]}")
               .arg(ok)
        << QStringLiteral("LIKE");
    QTest::newRow("unknown filter column")
        << QStringLiteral("{\"view\":\"traces\",%1,\"filters\":[{\"column\":\"user_id\","
                          "\"operator\":\"=\",\"value\":\"a\"}]}")
               .arg(ok)
        << QStringLiteral("user_id");
    QTest::newRow("number for a string column")
        << QStringLiteral("{\"view\":\"traces\",%1,\"filters\":[{\"column\":\"userId\","
                          "\"operator\":\"=\",\"value\":1}]}")
               .arg(ok)
        << QStringLiteral("userId");
    QTest::newRow("contains on a number")
        << QStringLiteral("{\"view\":\"traces\",%1,\"filters\":[{\"column\":\"totalTokens\","
                          "\"operator\":\"contains\",\"value\":1}]}")
               .arg(ok)
        << QStringLiteral("contains");
    QTest::newRow("unknown top-level field")
        << QStringLiteral("{\"view\":\"traces\",%1,\"limit\":5}").arg(ok)
        << QStringLiteral("limit");
    QTest::newRow("unknown granularity")
        << QStringLiteral("{\"view\":\"traces\",%1,\"timeDimension\":{\"granularity\":\"minute\"}}")
               .arg(ok)
        << QStringLiteral("minute");
    QTest::newRow("row_limit 0")
        << QStringLiteral("{\"view\":\"traces\",%1,\"config\":{\"row_limit\":0}}").arg(ok)
        << QStringLiteral("row_limit");
    QTest::newRow("row_limit 1001")
        << QStringLiteral("{\"view\":\"traces\",%1,\"config\":{\"row_limit\":1001}}").arg(ok)
        << QStringLiteral("row_limit");
    QTest::newRow("orderBy field not in the query")
        << QStringLiteral("{\"view\":\"traces\",%1,\"orderBy\":[{\"field\":\"sum_totalCost\","
                          "\"direction\":\"desc\"}]}")
               .arg(ok)
        << QStringLiteral("sum_totalCost");
    QTest::newRow("orderBy direction")
        << QStringLiteral("{\"view\":\"traces\",%1,\"orderBy\":[{\"field\":\"userId\","
                          "\"direction\":\"sideways\"}]}")
               .arg(ok)
        << QStringLiteral("sideways");
    QTest::newRow("from after to")
        << QStringLiteral("{\"view\":\"traces\",%1,\"fromTimestamp\":\"2026-11-02T00:00:00.000Z\","
                          "\"toTimestamp\":\"2026-11-01T00:00:00.000Z\"}")
               .arg(ok)
        << QStringLiteral("fromTimestamp");
    QTest::newRow("invalid date")
        << QStringLiteral("{\"view\":\"traces\",%1,\"fromTimestamp\":\"2026-02-30T00:00:00.000Z\"}")
               .arg(ok)
        << QStringLiteral("fromTimestamp");
    QTest::newRow("SQL in a dimension")
        << QStringLiteral("{\"view\":\"traces\",\"dimensions\":[{\"field\":\"user_id); DROP TABLE "
                          "traces; --\"}]}")
        << QStringLiteral("DROP TABLE");
    QTest::newRow("nothing asked")
        << QStringLiteral("{\"view\":\"traces\"}") << QStringLiteral("dimension");
}

void TstServerMetrics::invalid()
{
    QFETCH(QString, json);
    QFETCH(QString, named);
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    QVERIFY2(doc.isObject(), qPrintable(json));
    const Reply reply = metrics(doc.object());
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("invalid_request"));
    QVERIFY2(reply.json.value(QLatin1String("message")).toString().contains(named),
             reply.body.constData());
}

void TstServerMetrics::columnsAgreeWithSql_data()
{
    QTest::addColumn<QString>("json");
    const QString window = QStringLiteral(",\"fromTimestamp\":\"%1\",\"toTimestamp\":\"%2\"")
                               .arg(ServerFixture::iso(m_midMs), ServerFixture::iso(m_lateMs));
    QTest::newRow("traces by user, all sums")
        << QStringLiteral("{\"view\":\"traces\",\"dimensions\":[{\"field\":\"userId\"}],"
                          "\"metrics\":[{\"measure\":\"count\",\"aggregation\":\"count\"},"
                          "{\"measure\":\"totalTokens\",\"aggregation\":\"sum\"},"
                          "{\"measure\":\"totalCost\",\"aggregation\":\"sum\"},"
                          "{\"measure\":\"observationsCount\",\"aggregation\":\"sum\"}],"
                          "\"config\":{\"row_limit\":1000}}");
    QTest::newRow("observations by user, top 20 by cost, window")
        << QStringLiteral("{\"view\":\"observations\",\"dimensions\":[{\"field\":\"userId\"}],"
                          "\"metrics\":[{\"measure\":\"totalCost\",\"aggregation\":\"sum\"},"
                          "{\"measure\":\"count\",\"aggregation\":\"sum\"}],"
                          "\"orderBy\":[{\"field\":\"sum_totalCost\",\"direction\":\"desc\"}],"
                          "\"config\":{\"row_limit\":20}%1}")
               .arg(window);
    QTest::newRow("traces by user desc, staging") << QStringLiteral(
        "{\"view\":\"traces\",\"dimensions\":[{\"field\":\"userId\"}],"
        "\"metrics\":[{\"measure\":\"inputTokens\",\"aggregation\":\"sum\"}],"
        "\"filters\":[{\"column\":\"environment\",\"operator\":\"=\",\"value\":\"staging\"}],"
        "\"orderBy\":[{\"field\":\"userId\",\"direction\":\"desc\"}]}");
    QTest::newRow("observation totals, window")
        << QStringLiteral(
               "{\"view\":\"observations\",\"metrics\":[{\"measure\":\"outputTokens\","
               "\"aggregation\":\"sum\"},{\"measure\":\"count\",\"aggregation\":\"count\"}]%1}")
               .arg(window);
    QTest::newRow("empty window") << QStringLiteral(
        "{\"view\":\"traces\",\"dimensions\":[{\"field\":\"userId\"}],"
        "\"metrics\":[{\"measure\":\"count\",\"aggregation\":\"count\"}],"
        "\"fromTimestamp\":\"2001-01-01T00:00:00Z\",\"toTimestamp\":\"2001-01-02T00:00:00Z\"}");
}

void TstServerMetrics::columnsAgreeWithSql()
{
    // The in-memory answer must equal the SQL one; a filter that changes nothing but that only
    // SQL can evaluate forces the SQL path.
    QFETCH(QString, json);
    const QJsonObject fast = QJsonDocument::fromJson(json.toUtf8()).object();
    QVERIFY(!fast.isEmpty());
    QJsonObject forced = fast;
    QJsonArray filters = forced.value(QLatin1String("filters")).toArray();
    filters.append(QJsonObject{{QStringLiteral("column"), QStringLiteral("name")},
                               {QStringLiteral("operator"), QStringLiteral("!=")},
                               {QStringLiteral("value"), QStringLiteral("no such name")}});
    forced.insert(QStringLiteral("filters"), filters);
    QString error;
    const auto fastPlan = xeroml::server::MetricsQuery::parse(fast, &error);
    const auto sqlPlan = xeroml::server::MetricsQuery::parse(forced, &error);
    QVERIFY(fastPlan && sqlPlan);
    QVERIFY(fastPlan->usesColumns());
    QVERIFY(!sqlPlan->usesColumns());
    const Reply a = metrics(fast);
    const Reply b = metrics(forced);
    QCOMPARE(a.status, 200);
    QCOMPARE(b.status, 200);
    QCOMPARE(a.json, b.json);
}

QTEST_GUILESS_MAIN(TstServerMetrics)
#include "tst_servermetrics.moc"
