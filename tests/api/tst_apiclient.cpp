// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient against the real local server on a free port: real HTTP, real SQLite.
#include "api/apiclient.h"
#include "tests/support/testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <optional>

namespace {

template<typename T> struct Waiter
{
    std::optional<ApiResult<T>> result;
    int calls = 0;
    auto callback()
    {
        return [this](const ApiResult<T> &r) {
            result = r;
            ++calls;
        };
    }
    bool wait(int ms = 10000)
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, ms);
    }
};

} // namespace

class TestApiClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void health();
    void usersPageDecodesEveryField();
    void usersQueryParametersReachTheServer();
    void searchWithReservedCharacters();
    void wrongSecretIsUnauthorized();
    void refusedConnectionIsOffline();
    void cancelledRequestNeverCallsBack();
    void deadContextNeverCallsBack();
    void oversizedBodyIsRefused();
    void notFoundIsTyped();

private:
    [[nodiscard]] Connection connection() const;
    [[nodiscard]] QJsonObject rawGet(const QString &pathAndQuery);

    TestServer m_server;
};

void TestApiClient::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 120;
    demo.traces = 2500;
    demo.seed = 11;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
}

Connection TestApiClient::connection() const
{
    Connection c;
    c.name = QStringLiteral("test");
    c.baseUrl = m_server.baseUrl();
    c.publicKey = m_server.credentials().publicKey;
    c.secretKey = m_server.credentials().secretKey;
    return c;
}

// The same request made without ApiClient, to compare what it decoded with the raw JSON.
QJsonObject TestApiClient::rawGet(const QString &pathAndQuery)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(m_server.baseUrl().toString() + pathAndQuery));
    const QByteArray auth =
        (m_server.credentials().publicKey + QLatin1Char(':') + m_server.credentials().secretKey)
            .toUtf8();
    request.setRawHeader("Authorization", "Basic " + auth.toBase64());
    QNetworkReply *reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return {};
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestApiClient::health()
{
    ApiClient client;
    client.setConnection(connection());
    Waiter<QString> w;
    client.health(this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.result->ok(), qPrintable(w.result->ok() ? QString() : w.result->error().detail));
    QVERIFY(!w.result->value().isEmpty());
}

void TestApiClient::usersPageDecodesEveryField()
{
    ApiClient client;
    client.setConnection(connection());
    UsersQuery q;
    q.limit = 40;
    q.orderField = QStringLiteral("totalCost");
    Waiter<Page<UserSummary>> w;
    client.users(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.result->ok(), qPrintable(w.result->ok() ? QString() : w.result->error().detail));
    const Page<UserSummary> &page = w.result->value();

    const QJsonObject raw =
        rawGet(QStringLiteral("/api/public/users?limit=40&orderBy=totalCost.desc"));
    const QJsonArray rows = raw.value(QLatin1String("data")).toArray();
    QCOMPARE(page.items.size(), rows.size());
    QCOMPARE(page.items.size(), 40);
    QCOMPARE(
        page.meta.totalItems,
        raw.value(QLatin1String("meta")).toObject().value(QLatin1String("totalItems")).toInteger());
    QVERIFY(page.meta.totalItems > 40);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject r = rows.at(i).toObject();
        const UserSummary &u = page.items.at(i);
        QCOMPARE(u.userId, r.value(QLatin1String("userId")).toString());
        QCOMPARE(u.totalTraces, r.value(QLatin1String("totalTraces")).toInteger());
        QCOMPARE(u.totalSessions, r.value(QLatin1String("totalSessions")).toInteger());
        QCOMPARE(u.totalObservations, r.value(QLatin1String("totalObservations")).toInteger());
        QCOMPARE(u.inputTokens, r.value(QLatin1String("inputTokens")).toInteger());
        QCOMPARE(u.outputTokens, r.value(QLatin1String("outputTokens")).toInteger());
        QCOMPARE(u.totalTokens, r.value(QLatin1String("totalTokens")).toInteger());
        QCOMPARE(u.totalCost, r.value(QLatin1String("totalCost")).toDouble());
        QCOMPARE(u.scoreCount, r.value(QLatin1String("scoreCount")).toInteger());
        if (r.value(QLatin1String("averageScore")).isNull()) {
            QVERIFY(!u.averageScore.has_value()); // "no value", never 0
        } else {
            QCOMPARE(*u.averageScore, r.value(QLatin1String("averageScore")).toDouble());
        }
        QCOMPARE(u.firstTraceAt,
                 QDateTime::fromString(r.value(QLatin1String("firstTraceAt")).toString(),
                                       Qt::ISODateWithMs));
        QCOMPARE(u.lastTraceAt,
                 QDateTime::fromString(r.value(QLatin1String("lastTraceAt")).toString(),
                                       Qt::ISODateWithMs));
        QVERIFY(!u.environments.isEmpty());
        if (i > 0)
            QVERIFY(page.items.at(i - 1).totalCost >= u.totalCost);
    }
}

void TestApiClient::usersQueryParametersReachTheServer()
{
    ApiClient client;
    client.setConnection(connection());
    UsersQuery q;
    q.limit = 1000;
    q.orderField = QStringLiteral("userId");
    q.descending = false;
    q.environments = {QStringLiteral("staging")};
    q.from = QDateTime::currentDateTimeUtc().addDays(-30);
    Waiter<Page<UserSummary>> w;
    client.users(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(w.result->ok());
    const auto &items = w.result->value().items;
    QVERIFY(!items.isEmpty());
    for (qsizetype i = 0; i < items.size(); ++i) {
        QCOMPARE(items.at(i).environments, QStringList{QStringLiteral("staging")});
        QVERIFY(items.at(i).lastTraceAt >= q.from);
        if (i > 0)
            QVERIFY(items.at(i - 1).userId < items.at(i).userId);
    }
}

void TestApiClient::searchWithReservedCharacters()
{
    ApiClient client;
    client.setConnection(connection());
    for (const QString &needle :
         {QStringLiteral("@"), QStringLiteral("/"), QStringLiteral(" "), QStringLiteral("+%&=#")}) {
        UsersQuery q;
        q.limit = 1000;
        q.search = needle;
        Waiter<Page<UserSummary>> w;
        client.users(q, this, w.callback());
        QVERIFY(w.wait());
        QVERIFY2(w.result->ok(), qPrintable(needle));
        for (const UserSummary &u : w.result->value().items)
            QVERIFY2(u.userId.contains(needle, Qt::CaseInsensitive), qPrintable(u.userId));
        // The demo data has users with '@', '/' and spaces; none has "+%&=#".
        QCOMPARE(w.result->value().items.isEmpty(), needle.size() > 1);
    }
}

void TestApiClient::wrongSecretIsUnauthorized()
{
    ApiClient client;
    Connection c = connection();
    c.secretKey = QStringLiteral("sk-wrong");
    client.setConnection(c);
    Waiter<Page<UserSummary>> w;
    client.users({}, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.result->ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(w.result->error().httpStatus, 401);
    QVERIFY(!w.result->error().message.isEmpty());
    QVERIFY(!w.result->error().message.contains(QLatin1String("sk-wrong")));
}

void TestApiClient::refusedConnectionIsOffline()
{
    // Take a free port and close it again, so nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    ApiClient client;
    Connection c = connection();
    c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    client.setConnection(c);
    Waiter<Page<UserSummary>> w;
    client.users({}, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.result->ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::Offline);
}

void TestApiClient::cancelledRequestNeverCallsBack()
{
    ApiClient client;
    client.setConnection(connection());
    Waiter<Page<UserSummary>> cancelled;
    RequestHandle handle = client.users({}, this, cancelled.callback());
    QVERIFY(handle.isActive());
    handle.cancel();
    QVERIFY(!handle.isActive());
    // A later request completes, and by then the cancelled one would have answered too.
    Waiter<Page<UserSummary>> after;
    client.users({}, this, after.callback());
    QVERIFY(after.wait());
    QTest::qWait(50);
    QCOMPARE(cancelled.calls, 0);
}

void TestApiClient::deadContextNeverCallsBack()
{
    ApiClient client;
    client.setConnection(connection());
    Waiter<Page<UserSummary>> dropped;
    auto *context = new QObject;
    client.users({}, context, dropped.callback());
    delete context;
    Waiter<Page<UserSummary>> after;
    client.users({}, this, after.callback());
    QVERIFY(after.wait());
    QTest::qWait(50);
    QCOMPARE(dropped.calls, 0);
}

void TestApiClient::oversizedBodyIsRefused()
{
    ApiClient client;
    client.setConnection(connection());
    client.setMaxResponseBytes(2000);
    UsersQuery q;
    q.limit = 1000;
    Waiter<Page<UserSummary>> w;
    client.users(q, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.result->ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::TooLarge);
}

void TestApiClient::notFoundIsTyped()
{
    ApiClient client;
    Connection c = connection();
    // A base path that does not exist on the server: every endpoint answers 404.
    c.baseUrl = QUrl(m_server.baseUrl().toString() + QStringLiteral("/no-such-prefix"));
    client.setConnection(c);
    Waiter<Page<UserSummary>> w;
    client.users({}, this, w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.result->ok());
    QCOMPARE(w.result->error().kind, ApiError::Kind::NotFound);
}

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
