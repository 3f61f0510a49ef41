// SPDX-License-Identifier: GPL-3.0-or-later
// GET /api/public/metrics/user-cost-histogram [XR]: for every filter, the users per decade of
// cost equal a count over every /users row of the same filter; the SQL fallback answers the
// same as the in-memory columns; boundaries are exact; bad parameters are a 400.
#include "server/costhistogram.h"
#include "serverfixture.h"

class TestServerCostHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void decades();
    void equalsCountOverUsers_data();
    void equalsCountOverUsers();
    void sqlEqualsColumns_data() { equalsCountOverUsers_data(); }
    void sqlEqualsColumns();
    void boundariesAreExact();
    void newTracesCountAtOnce();
    void badRequests_data();
    void badRequests();

private:
    ServerFixture m_fx;
};

namespace {

const QString kPath = QStringLiteral("/api/public/metrics/user-cost-histogram");
const qint64 kDay = 86400000;

// Users at the edges of decades (nano-USD), and one whose traces cost nothing.
const QList<QPair<QString, qint64>> kEdgeUsers{
    {QStringLiteral("edge/zero"), 0},
    {QStringLiteral("edge/one-nano"), 1},
    {QStringLiteral("edge/just-below-a-dime"), 99'999'999},
    {QStringLiteral("edge/a-dime"), 100'000'000},
    {QStringLiteral("edge/ten-thousand-usd"), 10'000'000'000'000},
};

bool insertTrace(QSqlDatabase &db, const QString &id, const QString &user, qint64 ts,
                 const QString &environment, qint64 costNanos)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO traces (id, ts, user_id, user_id_lower, environment,"
                                 " total_cost_nanos) VALUES (?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : QVariantList{id, ts, user, user.toLower(), environment, costNanos})
        query.addBindValue(v);
    if (!query.exec()) {
        qWarning() << query.lastError().text();
        return false;
    }
    return true;
}

QUrlQuery filterQuery(const QString &search, const QStringList &environments,
                      std::optional<qint64> from, std::optional<qint64> to)
{
    QUrlQuery q;
    if (!search.isEmpty())
        q.addQueryItem(QStringLiteral("search"), search);
    for (const QString &e : environments)
        q.addQueryItem(QStringLiteral("environment"), e);
    if (from)
        q.addQueryItem(QStringLiteral("fromTimestamp"), ServerFixture::iso(*from));
    if (to)
        q.addQueryItem(QStringLiteral("toTimestamp"), ServerFixture::iso(*to));
    return q;
}

} // namespace

void TestServerCostHistogram::initTestCase()
{
    QString error;
    const qint64 ts = ServerFixture::anchor().toMSecsSinceEpoch() - 3 * kDay;
    QVERIFY2(m_fx.start(300, 4000, 17, &error,
                        [ts](QSqlDatabase &db) {
                            int n = 0;
                            for (const auto &[user, cost] : kEdgeUsers) {
                                // Two traces each, their costs adding up to the edge value.
                                if (!insertTrace(db, QStringLiteral("edge-%1").arg(n++), user, ts,
                                                 QStringLiteral("production"), cost / 2) ||
                                    !insertTrace(db, QStringLiteral("edge-%1").arg(n++), user,
                                                 ts + 1000, QStringLiteral("staging"),
                                                 cost - cost / 2))
                                    return false;
                            }
                            return true;
                        }),
             qPrintable(error));
}

void TestServerCostHistogram::decades()
{
    using xeroml::server::CostHistogram;
    QCOMPARE(CostHistogram::decadeOf(1), -9);
    QCOMPARE(CostHistogram::decadeOf(9), -9);
    QCOMPARE(CostHistogram::decadeOf(10), -8);
    QCOMPARE(CostHistogram::decadeOf(99'999'999), -2);
    QCOMPARE(CostHistogram::decadeOf(100'000'000), -1);
    QCOMPARE(CostHistogram::decadeOf(1'000'000'000), 0);
    QCOMPARE(CostHistogram::decadeOf(std::numeric_limits<qint64>::max()), 9);
    QCOMPARE(CostHistogram::powerOfTen(-2), 0.01);
    QCOMPARE(CostHistogram::powerOfTen(-9), 1e-9);
    QCOMPARE(CostHistogram::powerOfTen(3), 1000.0);
    QCOMPARE(CostHistogram::powerOfTen(-1), 100'000'000 / 1e9);
}

void TestServerCostHistogram::equalsCountOverUsers_data()
{
    const qint64 anchor = ServerFixture::anchor().toMSecsSinceEpoch();
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("environments");
    QTest::addColumn<std::optional<qint64>>("from");
    QTest::addColumn<std::optional<qint64>>("to");
    const std::optional<qint64> none;
    QTest::newRow("everyone") << QString() << QStringList() << none << none;
    QTest::newRow("search @") << QStringLiteral("@") << QStringList() << none << none;
    QTest::newRow("search EDGE (any case)")
        << QStringLiteral("EDGE") << QStringList() << none << none;
    QTest::newRow("staging") << QString() << QStringList{QStringLiteral("staging")} << none << none;
    QTest::newRow("both environments")
        << QString() << QStringList{QStringLiteral("production"), QStringLiteral("staging")} << none
        << none;
    QTest::newRow("last 7 days") << QString() << QStringList()
                                 << std::optional<qint64>(anchor - 7 * kDay) << none;
    QTest::newRow("a window, production, /")
        << QStringLiteral("/") << QStringList{QStringLiteral("production")}
        << std::optional<qint64>(anchor - 40 * kDay) << std::optional<qint64>(anchor - 10 * kDay);
    QTest::newRow("nobody") << QStringLiteral("no such user anywhere") << QStringList() << none
                            << none;
    QTest::newRow("unknown environment")
        << QString() << QStringList{QStringLiteral("nowhere")} << none << none;
}

void TestServerCostHistogram::equalsCountOverUsers()
{
    QFETCH(QString, search);
    QFETCH(QStringList, environments);
    QFETCH(std::optional<qint64>, from);
    QFETCH(std::optional<qint64>, to);
    const QUrlQuery query = filterQuery(search, environments, from, to);
    const Reply reply = m_fx.get(kPath, query);
    QCOMPARE(reply.status, 200);
    const QJsonArray users =
        m_fx.fetchAll(QStringLiteral("/api/public/users"), query, 1000, QStringLiteral("userId"));
    QCOMPARE(reply.json.value(QLatin1String("totalUsers")).toInteger(), users.size());

    qint64 zero = 0;
    for (const QJsonValue &u : users)
        zero += u.toObject().value(QLatin1String("totalCost")).toDouble() <= 0 ? 1 : 0;
    QCOMPARE(reply.json.value(QLatin1String("zeroCostUsers")).toInteger(), zero);

    const QJsonArray buckets = reply.json.value(QLatin1String("buckets")).toArray();
    qint64 inBuckets = 0;
    for (qsizetype i = 0; i < buckets.size(); ++i) {
        const QJsonObject b = buckets.at(i).toObject();
        const double lower = b.value(QLatin1String("lowerUsd")).toDouble();
        const double upper = b.value(QLatin1String("upperUsd")).toDouble();
        QVERIFY(lower > 0);
        QCOMPARE(upper / lower, 10.0);
        if (i > 0)
            QCOMPARE(lower,
                     buckets.at(i - 1).toObject().value(QLatin1String("upperUsd")).toDouble());
        qint64 count = 0;
        for (const QJsonValue &u : users) {
            const double cost = u.toObject().value(QLatin1String("totalCost")).toDouble();
            count += (cost >= lower && cost < upper) ? 1 : 0;
        }
        QCOMPARE(b.value(QLatin1String("users")).toInteger(), count);
        inBuckets += count;
    }
    QCOMPARE(inBuckets + zero, qint64(users.size()));
    if (!buckets.isEmpty()) {
        // Neither end is an empty decade.
        QVERIFY(buckets.first().toObject().value(QLatin1String("users")).toInteger() > 0);
        QVERIFY(buckets.last().toObject().value(QLatin1String("users")).toInteger() > 0);
    }
    if (QByteArray(QTest::currentDataTag()) == "everyone") {
        QVERIFY2(buckets.size() >= 4, "the demo data spreads over several decades");
        QVERIFY(zero >= 1);
    }
}

void TestServerCostHistogram::sqlEqualsColumns()
{
    QFETCH(QString, search);
    QFETCH(QStringList, environments);
    QFETCH(std::optional<qint64>, from);
    QFETCH(std::optional<qint64>, to);
    xeroml::server::UsersRequest request;
    request.search = search;
    request.environments = environments;
    request.fromMs = from;
    request.toMs = to;
    xeroml::server::TraceColumns columns;
    QString error;
    QVERIFY2(columns.load(m_fx.db(), &error), qPrintable(error));
    const auto fast = xeroml::server::CostHistogram::fromColumns(columns, request);
    const auto sql = xeroml::server::CostHistogram::fromSql(m_fx.db(), request, &error);
    QVERIFY2(sql, qPrintable(error));
    QCOMPARE(sql->toJson(), fast.toJson());
}

void TestServerCostHistogram::boundariesAreExact()
{
    const Reply reply = m_fx.get(kPath, filterQuery(QStringLiteral("edge/"), {}, {}, {}));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QLatin1String("zeroCostUsers")).toInteger(), 1);
    QCOMPARE(reply.json.value(QLatin1String("totalUsers")).toInteger(), kEdgeUsers.size());
    const QJsonArray buckets = reply.json.value(QLatin1String("buckets")).toArray();
    // From [1e-9, 1e-8) to [1e4, 1e5): 14 decades, four of them holding one user each.
    QCOMPARE(buckets.size(), 14);
    QMap<double, qint64> byLower;
    for (const QJsonValue &b : buckets) {
        byLower.insert(b.toObject().value(QLatin1String("lowerUsd")).toDouble(),
                       b.toObject().value(QLatin1String("users")).toInteger());
    }
    QCOMPARE(byLower.value(1e-9), 1);
    QCOMPARE(byLower.value(0.01), 1); // 0.099999999
    QCOMPARE(byLower.value(0.1), 1);  // exactly 0.1
    QCOMPARE(byLower.value(1e4), 1);
    QCOMPARE(byLower.value(1e-3), 0);
}

void TestServerCostHistogram::newTracesCountAtOnce()
{
    const QUrlQuery query = filterQuery(QStringLiteral("late/"), {}, {}, {});
    QCOMPARE(m_fx.get(kPath, query).json.value(QLatin1String("totalUsers")).toInteger(), 0);
    const qint64 ts = ServerFixture::anchor().toMSecsSinceEpoch();
    QVERIFY(insertTrace(m_fx.db(), QStringLiteral("late-1"), QStringLiteral("late/ann"), ts,
                        QStringLiteral("production"), 5'000'000'000));
    const Reply reply = m_fx.get(kPath, query);
    QCOMPARE(reply.json.value(QLatin1String("totalUsers")).toInteger(), 1);
    const QJsonObject bucket =
        reply.json.value(QLatin1String("buckets")).toArray().first().toObject();
    QCOMPARE(bucket.value(QLatin1String("lowerUsd")).toDouble(), 1.0);
    QCOMPARE(bucket.value(QLatin1String("users")).toInteger(), 1);
}

void TestServerCostHistogram::badRequests_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << "page=1"
                             << "unknown parameter \"page\"";
    QTest::newRow("orderBy") << "orderBy=totalCost.desc"
                             << "unknown parameter \"orderBy\"";
    QTest::newRow("twice") << "search=a&search=b"
                           << "search is given more than once";
    QTest::newRow("bad time") << "fromTimestamp=yesterday"
                              << "fromTimestamp must be an ISO 8601 time";
    QTest::newRow("no zone") << "toTimestamp=2026-11-01T00:00:00"
                             << "toTimestamp must be an ISO 8601 time";
    QTest::newRow("reversed")
        << "fromTimestamp=2026-11-02T00:00:00Z&toTimestamp=2026-11-01T00:00:00Z"
        << "fromTimestamp must not be after toTimestamp";
}

void TestServerCostHistogram::badRequests()
{
    QFETCH(QString, query);
    QFETCH(QString, message);
    const Reply reply = m_fx.get(kPath, QUrlQuery(query));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("invalid_request"));
    const QString text = reply.json.value(QLatin1String("message")).toString();
    QVERIFY2(text.contains(message), qPrintable(text));
    // Nothing more below the endpoint.
    QCOMPARE(m_fx.get(kPath + QStringLiteral("/x")).status, 404);
}

QTEST_MAIN(TestServerCostHistogram)
#include "tst_servercosthistogram.moc"
