// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient::metrics(): the query JSON that reaches a server, and strict decoding of rows.
#include "api/apiclient.h"
#include "tests/support/faultserver.h"
#include "tests/support/waiter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestApiMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void queryReachesTheServerAsJson();
    void totalsRowWithoutDimensions();
    void nullMetricStaysEmpty();
    void numericStringsAreNumbers();
    void missingMetricIsADecodeError();
    void timeDimensionIsRead();
    void environmentFilterIsAnyOf();

private:
    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<ApiClient> m_client;
};

void TestApiMetrics::init()
{
    m_server = std::make_unique<FaultServer>();
    QVERIFY(m_server->start());
    m_client = std::make_unique<ApiClient>();
    m_client->setConnection({QStringLiteral("fault"), m_server->baseUrl(), QStringLiteral("pk-x"),
                             QStringLiteral("sk-x")});
}

void TestApiMetrics::queryReachesTheServerAsJson()
{
    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"userId":"a b/%+&=","sum_totalCost":1.5,
                                          "count_count":3}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.dimensions = {QStringLiteral("userId")};
    const QString cost = q.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    QCOMPARE(cost, QStringLiteral("sum_totalCost"));
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    q.filterEquals(QStringLiteral("name"), QStringLiteral("chat & \"quotes\" 100% + more"));
    q.from = QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC);
    q.to = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    q.orderBy = {{cost, true}};
    q.rowLimit = 1000;

    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));

    QCOMPARE(m_server->requests().size(), 1);
    const QString sent = m_server->requests().first().query.queryItemValue(QStringLiteral("query"),
                                                                           QUrl::FullyDecoded);
    const QJsonObject json = QJsonDocument::fromJson(sent.toUtf8()).object();
    QCOMPARE(json, q.toJson());
    QCOMPARE(json.value(QLatin1String("view")).toString(), QStringLiteral("traces"));
    QCOMPARE(json.value(QLatin1String("dimensions"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("field")),
             QJsonValue(QStringLiteral("userId")));
    QCOMPARE(json.value(QLatin1String("filters"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("value")),
             QJsonValue(QStringLiteral("chat & \"quotes\" 100% + more")));
    QCOMPARE(json.value(QLatin1String("fromTimestamp")).toString(),
             QStringLiteral("2026-11-01T00:00:00.000Z"));
    QCOMPARE(json.value(QLatin1String("timeDimension")), QJsonValue(QJsonValue::Null));
    QCOMPARE(json.value(QLatin1String("config")).toObject().value(QLatin1String("row_limit")),
             QJsonValue(1000));
    QCOMPARE(json.value(QLatin1String("orderBy")).toArray().first().toObject(),
             (QJsonObject{{QLatin1String("field"), QStringLiteral("sum_totalCost")},
                          {QLatin1String("direction"), QStringLiteral("desc")}}));

    const QList<MetricsRow> &rows = w.result->value();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().dimension(QStringLiteral("userId")), QStringLiteral("a b/%+&="));
    QCOMPARE(rows.first().metric(QStringLiteral("sum"), QStringLiteral("totalCost")), 1.5);
    QCOMPARE(rows.first().metric(QStringLiteral("count_count")), 3.0);
}

void TestApiMetrics::totalsRowWithoutDimensions()
{
    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"count_count":12,"sum_totalTokens":3400,
                                          "unknownField":true}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    q.addMetric(QStringLiteral("totalTokens"), QStringLiteral("sum"));
    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    QCOMPARE(w.result->value().size(), 1);
    QVERIFY(w.result->value().first().dimensions.isEmpty());
    QCOMPARE(w.result->value().first().metric(QStringLiteral("sum_totalTokens")), 3400.0);
}

void TestApiMetrics::nullMetricStaysEmpty()
{
    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"userId":null,"avg_value":null}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("scores-numeric");
    q.dimensions = {QStringLiteral("userId")};
    q.addMetric(QStringLiteral("value"), QStringLiteral("avg"));
    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    const MetricsRow &row = w.result->value().first();
    QVERIFY(row.metrics.contains(QStringLiteral("avg_value")));
    QVERIFY(!row.metric(QStringLiteral("avg_value")).has_value()); // "no value", never 0
    QVERIFY(row.dimension(QStringLiteral("userId")).isNull());
}

void TestApiMetrics::numericStringsAreNumbers()
{
    // ClickHouse-backed servers send 64-bit sums as strings.
    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"count_count":"9007199254740993"}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    QVERIFY(*w.result->value().first().metric(QStringLiteral("count_count")) > 9e15);
}

void TestApiMetrics::missingMetricIsADecodeError()
{
    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"userId":"u1","sum_totalCost":1},
                                          {"userId":"u2"}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.dimensions = {QStringLiteral("userId")};
    q.addMetric(QStringLiteral("totalCost"), QStringLiteral("sum"));
    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::Decode);
    QVERIFY2(w.detail().contains(QLatin1String("data[1].sum_totalCost: missing")),
             qPrintable(w.detail()));

    m_server->setReply(QStringLiteral("/api/public/metrics"),
                       FaultServer::json(R"({"data":[{"userId":7,"sum_totalCost":1}]})"));
    Waiter<QList<MetricsRow>> w2;
    m_client->metrics(q, this, w2.callback());
    QVERIFY(w2.wait());
    QVERIFY(!w2.ok());
    QVERIFY2(w2.detail().contains(QLatin1String("data[0].userId")), qPrintable(w2.detail()));
}

void TestApiMetrics::timeDimensionIsRead()
{
    m_server->setReply(QStringLiteral("/api/public/metrics"), FaultServer::json(R"({"data":[
                           {"time_dimension":"2026-12-03T00:00:00.000Z","count_count":4},
                           {"time_dimension":"2026-12-04T00:00:00.000Z","count_count":0}]})"));
    MetricsQuery q;
    q.view = QStringLiteral("traces");
    q.granularity = QStringLiteral("day");
    q.addMetric(QStringLiteral("count"), QStringLiteral("count"));
    QCOMPARE(q.toJson()
                 .value(QLatin1String("timeDimension"))
                 .toObject()
                 .value(QLatin1String("granularity")),
             QJsonValue(QStringLiteral("day")));
    Waiter<QList<MetricsRow>> w;
    m_client->metrics(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.ok(), qPrintable(w.detail()));
    QCOMPARE(w.result->value().size(), 2);
    QCOMPARE(w.result->value().at(1).timeDimension,
             QDateTime(QDate(2026, 12, 4), QTime(0, 0), Qt::UTC));
}

void TestApiMetrics::environmentFilterIsAnyOf()
{
    MetricsQuery q;
    q.filterEnvironments({});
    QVERIFY(q.filters.isEmpty());
    q.filterEnvironments({QStringLiteral("production"), QStringLiteral("staging")});
    const QJsonObject f = q.toJson().value(QLatin1String("filters")).toArray().first().toObject();
    QCOMPARE(f.value(QLatin1String("column")).toString(), QStringLiteral("environment"));
    QCOMPARE(f.value(QLatin1String("operator")).toString(), QStringLiteral("any of"));
    QCOMPARE(f.value(QLatin1String("value")).toArray().size(), 2);
    QCOMPARE(f.value(QLatin1String("type")).toString(), QStringLiteral("stringOptions"));
}

QTEST_GUILESS_MAIN(TestApiMetrics)
#include "tst_apimetrics.moc"
