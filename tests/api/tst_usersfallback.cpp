// SPDX-License-Identifier: GPL-3.0-or-later
// The /users fallback of API.md: the local server behind a FaultServer that answers 404 for
// /api/public/users (a Langfuse-shaped server) and forwards everything else. The list the
// client builds from three Metrics queries must equal what the real /users endpoint says.
#include "api/apiclient.h"
#include "api/usersfallback.h"
#include "tests/support/faultserver.h"
#include "tests/support/testserver.h"
#include "tests/support/waiter.h"

#include <QTest>

#include <cmath>

namespace {

const QString kUsers = QStringLiteral("/api/public/users");
const QString kMetrics = QStringLiteral("/api/public/metrics");

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

// The value a list is ordered by; averages computed by different SQL (SUM/COUNT against AVG)
// may differ in the last bits, so equal-looking averages can tie-break differently.
double rankValue(const UserSummary &u, const QString &field)
{
    if (field == QLatin1String("totalCost"))
        return u.totalCost;
    if (field == QLatin1String("averageScore"))
        return u.averageScore.value_or(-1e300);
    if (field == QLatin1String("inputTokens"))
        return double(u.inputTokens);
    if (field == QLatin1String("outputTokens"))
        return double(u.outputTokens);
    if (field == QLatin1String("totalTokens"))
        return double(u.totalTokens);
    if (field == QLatin1String("totalObservations"))
        return double(u.totalObservations);
    return double(u.totalTraces);
}

// actual lists the same users as expected (or, when prefixOnly, a prefix of it), in the same
// order up to float ties, with the same figures.
void compareRanked(const QList<UserSummary> &actual, const QList<UserSummary> &expected,
                   const QString &field, bool compareScores, bool prefixOnly)
{
    if (prefixOnly)
        QVERIFY(actual.size() <= expected.size());
    else
        QCOMPARE(actual.size(), expected.size());
    QHash<QString, UserSummary> byId;
    for (const UserSummary &e : expected)
        byId.insert(e.userId, e);
    for (qsizetype i = 0; i < actual.size(); ++i) {
        if (field == QLatin1String("userId"))
            QCOMPARE(actual.at(i).userId, expected.at(i).userId);
        else
            QVERIFY2(near(rankValue(actual.at(i), field), rankValue(expected.at(i), field)),
                     qPrintable(QStringLiteral("row %1: %2 vs %3")
                                    .arg(i)
                                    .arg(actual.at(i).userId, expected.at(i).userId)));
        const UserSummary &a = actual.at(i);
        // Near the cut a float tie may swap a user in or out; everywhere else ids match.
        if (!byId.contains(a.userId) && prefixOnly && i > actual.size() - 5)
            continue;
        QVERIFY2(byId.contains(a.userId), qPrintable(a.userId));
        const UserSummary e = byId.value(a.userId);
        QCOMPARE(a.totalTraces, e.totalTraces);
        QCOMPARE(a.totalObservations, e.totalObservations);
        QCOMPARE(a.inputTokens, e.inputTokens);
        QCOMPARE(a.outputTokens, e.outputTokens);
        QCOMPARE(a.totalTokens, e.totalTokens);
        QVERIFY2(near(a.totalCost, e.totalCost), qPrintable(e.userId));
        if (compareScores) {
            QCOMPARE(a.averageScore.has_value(), e.averageScore.has_value()); // null stays null
            if (e.averageScore)
                QVERIFY(near(*a.averageScore, *e.averageScore));
            QCOMPARE(a.scoreCount, e.scoreCount);
        }
    }
}

} // namespace

class TestUsersFallback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchesTheRealEndpoint_data();
    void matchesTheRealEndpoint();
    void overThousandUsersIsCappedAndFilled();
    void pagesComeFromOneSetOfQueries();
    void cancelStopsTheFallback();
    void metricsFailureIsTheError();

private:
    QList<UserSummary> realUsers(const UsersQuery &query);
    QList<UserSummary> fallbackUsers(ApiClient &client, const UsersQuery &query,
                                     PageMeta *meta = nullptr);
    static Connection connectionTo(const QUrl &url, const TestServer &server);

    TestServer m_small;
    TestServer m_large;
    FaultServer m_smallProxy;
    FaultServer m_largeProxy;
};

Connection TestUsersFallback::connectionTo(const QUrl &url, const TestServer &server)
{
    return {QStringLiteral("test"), url, server.credentials().publicKey,
            server.credentials().secretKey};
}

void TestUsersFallback::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions small;
    small.users = 80;
    small.traces = 2000;
    small.seed = 3;
    QVERIFY2(m_small.start(small, &error), qPrintable(error));
    xeroml::server::DemoOptions large;
    large.users = 1300;
    large.traces = 6000;
    large.seed = 8;
    QVERIFY2(m_large.start(large, &error), qPrintable(error));
    for (auto [proxy, server] : {std::pair{&m_smallProxy, &m_small}, {&m_largeProxy, &m_large}}) {
        QVERIFY(proxy->start());
        proxy->setUpstream(server->baseUrl());
        proxy->setReply(kUsers, FaultServer::json(R"({"message":"Not Found"})", 404));
    }
}

QList<UserSummary> TestUsersFallback::realUsers(const UsersQuery &query)
{
    ApiClient client;
    client.setConnection(connectionTo(m_small.baseUrl(), m_small));
    UsersQuery q = query;
    q.limit = 1000;
    Waiter<Page<UserSummary>> w;
    client.users(q, this, w.callback());
    if (!w.wait() || !w.ok())
        return {};
    return w.result->value().items;
}

QList<UserSummary> TestUsersFallback::fallbackUsers(ApiClient &client, const UsersQuery &query,
                                                    PageMeta *meta)
{
    UsersQuery q = query;
    q.limit = 1000;
    Waiter<Page<UserSummary>> w;
    client.users(q, this, w.callback());
    if (!w.wait()) {
        qWarning() << "no answer";
        return {};
    }
    if (!w.ok()) {
        qWarning() << w.detail();
        return {};
    }
    if (meta)
        *meta = w.result->value().meta;
    return w.result->value().items;
}

void TestUsersFallback::matchesTheRealEndpoint_data()
{
    QTest::addColumn<UsersQuery>("query");
    for (const char *field : {"totalTraces", "totalCost", "totalTokens", "inputTokens",
                              "outputTokens", "averageScore", "userId", "totalObservations"}) {
        for (bool desc : {true, false}) {
            UsersQuery q;
            q.orderField = QLatin1String(field);
            q.descending = desc;
            QTest::addRow("%s %s", field, desc ? "desc" : "asc") << q;
        }
    }
    UsersQuery filtered;
    filtered.orderField = QStringLiteral("totalCost");
    filtered.search = QStringLiteral("@"); // Metrics "contains" may be case-sensitive
    filtered.environments = {QStringLiteral("production")};
    filtered.from = QDateTime::currentDateTimeUtc().addDays(-40);
    filtered.to = QDateTime::currentDateTimeUtc().addDays(-3);
    QTest::newRow("search, environment, range") << filtered;
}

void TestUsersFallback::matchesTheRealEndpoint()
{
    QFETCH(UsersQuery, query);
    const QList<UserSummary> expected = realUsers(query);
    QVERIFY(!expected.isEmpty());

    ApiClient client;
    client.setConnection(connectionTo(m_smallProxy.baseUrl(), m_small));
    PageMeta meta;
    const QList<UserSummary> actual = fallbackUsers(client, query, &meta);
    QVERIFY(client.usersEndpointMissing());
    QVERIFY(meta.capped);
    QCOMPARE(meta.orderedBy, query.orderField);
    QVERIFY(meta.unavailableFields.contains(QStringLiteral("totalSessions")));
    QCOMPARE(meta.totalItems, actual.size());

    // With a time range, /users counts the scores of the traces in range while the
    // scores-numeric view filters scores by their own time: averages may differ there.
    compareRanked(actual, expected, query.orderField, !query.from.isValid(), false);
    // Three Metrics queries (one per view), nothing else.
    QCOMPARE(m_smallProxy.requestCount(kMetrics) % 3, 0);
}

void TestUsersFallback::overThousandUsersIsCappedAndFilled()
{
    // 1300 users: each view's top 1000 leaves out users the ranking keeps, so the client must
    // ask for those by id; any user shown with made-up zeros would be a silent wrong number.
    ApiClient real;
    real.setConnection(connectionTo(m_large.baseUrl(), m_large));
    ApiClient client;
    client.setConnection(connectionTo(m_largeProxy.baseUrl(), m_large));
    for (const QString &field : {QStringLiteral("inputTokens"), QStringLiteral("averageScore")}) {
        UsersQuery q;
        q.orderField = field;
        q.limit = 1000;
        Waiter<Page<UserSummary>> w;
        real.users(q, this, w.callback());
        QVERIFY(w.wait() && w.ok());
        QVERIFY(w.result->value().meta.totalItems > 1000);
        const QList<UserSummary> expected = w.result->value().items;

        PageMeta meta;
        const QList<UserSummary> actual = fallbackUsers(client, q, &meta);
        QVERIFY(meta.capped);
        QCOMPARE(meta.orderedBy, field);
        QCOMPARE(expected.size(), usersfallback::kRowLimit);
        // The traces without a user id take one of the ranking view's 1000 rows; the client
        // lists only users it can rank for sure: a prefix of the true top 1000.
        QVERIFY2(actual.size() >= usersfallback::kRowLimit - 1,
                 qPrintable(QString::number(actual.size())));
        QVERIFY(actual.size() <= usersfallback::kRowLimit);
        if (field == QLatin1String("averageScore")) {
            // Users without a score have no place in this ranking: the fallback appends the
            // ones it happened to see, the server those first by id. The scored ones match.
            auto scored = [](QList<UserSummary> list) {
                list.removeIf([](const UserSummary &u) { return !u.averageScore; });
                return list;
            };
            QVERIFY(scored(expected).size() > 100);
            compareRanked(scored(actual), scored(expected), field, true, false);
        } else {
            compareRanked(actual, expected, field, true, true);
        }
    }
}

void TestUsersFallback::pagesComeFromOneSetOfQueries()
{
    ApiClient client;
    client.setConnection(connectionTo(m_smallProxy.baseUrl(), m_small));
    const int before = m_smallProxy.requestCount(kMetrics);
    UsersQuery q;
    q.orderField = QStringLiteral("totalTokens");
    q.limit = 30;
    QList<UserSummary> paged;
    int totalPages = 0;
    for (int page = 1; page <= 3; ++page) {
        q.page = page;
        Waiter<Page<UserSummary>> w;
        client.users(q, this, w.callback());
        QVERIFY(w.wait());
        QVERIFY2(w.ok(), qPrintable(w.detail()));
        QCOMPARE(w.result->value().meta.page, page);
        totalPages = w.result->value().meta.totalPages;
        paged += w.result->value().items;
    }
    QCOMPARE(totalPages, 3); // 80 users in pages of 30
    QCOMPARE(paged.size(), 80);
    QCOMPARE(m_smallProxy.requestCount(kMetrics) - before, 3);
    for (qsizetype i = 1; i < paged.size(); ++i)
        QVERIFY(paged.at(i - 1).totalTokens >= paged.at(i).totalTokens);
    // /users itself was asked once: the 404 is remembered for the connection.
    QCOMPARE(client.usersEndpointMissing(), true);
}

void TestUsersFallback::cancelStopsTheFallback()
{
    FaultServer proxy;
    QVERIFY(proxy.start());
    proxy.setUpstream(m_small.baseUrl());
    proxy.setForwardDelay(300);
    proxy.setReply(kUsers, FaultServer::json(R"({"message":"Not Found"})", 404));
    ApiClient client;
    client.setConnection(connectionTo(proxy.baseUrl(), m_small));
    UsersQuery q;
    q.orderField = QStringLiteral("outputTokens");
    Waiter<Page<UserSummary>> w;
    RequestHandle handle = client.users(q, this, w.callback());
    // Cancel once the 404 has been seen and the Metrics queries are on their way.
    QTRY_VERIFY(client.usersEndpointMissing());
    QTRY_COMPARE(proxy.requestCount(kMetrics), 3);
    QVERIFY(handle.isActive());
    handle.cancel();
    QVERIFY(!handle.isActive());
    QTest::qWait(600);
    QCOMPARE(w.calls, 0);
}

void TestUsersFallback::metricsFailureIsTheError()
{
    FaultServer proxy;
    QVERIFY(proxy.start());
    proxy.setUpstream(m_small.baseUrl());
    proxy.setReply(kUsers, FaultServer::json(R"({"message":"Not Found"})", 404));
    proxy.setReply(kMetrics, FaultServer::json(R"({"message":"no metrics here"})", 403));
    ApiClient client;
    client.setConnection(connectionTo(proxy.baseUrl(), m_small));
    Waiter<Page<UserSummary>> w;
    client.users({}, this, w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.calls, 1);
    QVERIFY(!w.ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::Forbidden);
}

QTEST_GUILESS_MAIN(TestUsersFallback)
#include "tst_usersfallback.moc"
