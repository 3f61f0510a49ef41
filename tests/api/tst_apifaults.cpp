// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient against a fault-injecting server: every fault ends in a typed error or a
// successful retry, never a crash, a hang or a wrong number; replies arrive asynchronously.
#include "api/apiclient.h"
#include "tests/support/faultserver.h"
#include "tests/support/waiter.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

namespace {

const QString kTraces = QStringLiteral("/api/public/traces");
const QString kUsers = QStringLiteral("/api/public/users");
const QByteArray kTracesPage = R"({"data":[{"id":"t1","timestamp":"2026-12-04T10:00:00.000Z",
    "name":"chat","userId":"u1","totalCost":0.25,"latency":1.5}],
    "meta":{"page":1,"limit":50,"totalItems":1,"totalPages":1}})";

// Peak resident memory of this process in KiB (VmHWM).
qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

QMutex g_logMutex;
QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker lock(&g_logMutex);
    g_log.append(QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') +
                 message);
}

} // namespace

class TestApiFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void malformedJson();
    void truncatedBody();
    void wrongTypesNameThePath();
    void unauthorized();
    void forbidden();
    void notFound();
    void rateLimitedRetriedAfterRetryAfter();
    void retryAfterBeyondBudgetFailsFast();
    void serverErrorIsNotRetried();
    void unavailableRetriedWithBackoffThenFails();
    void badGatewayThenSuccess();
    void backoffGrowsWithJitterWithinBounds();
    void retryAfterAsHttpDate();
    void deadContextDuringBackoffNeverCallsBack();
    void hangEndsInTimeout();
    void resetConnection();
    void refusedConnection();
    void hundredMegabytesAnnounced();
    void hundredMegabytesStreamed();
    void gzipIsAskedForAndDecoded();
    void userAgentCarriesVersion();
    void postIsNeverRetried();
    void cancelDuringBackoffNeverCallsBack();
    void concurrentRequestsAreCapped();
    void cancelledQueuedRequestNeverLeaves();
    void deletingTheClientDropsCallbacks();
    void logNeverShowsSecrets();

private:
    template<typename T> void expectError(Waiter<T> &w, ApiError::Kind kind, int status = -1);
    Waiter<Page<TraceSummary>> *getTraces();

    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<Waiter<Page<TraceSummary>>> m_waiter;
};

void TestApiFaults::init()
{
    m_server = std::make_unique<FaultServer>();
    QVERIFY(m_server->start());
    m_client = std::make_unique<ApiClient>();
    m_client->setConnection({QStringLiteral("fault"), m_server->baseUrl(),
                             QStringLiteral("pk-lf-public"),
                             QStringLiteral("sk-lf-TOP-SECRET-4711")});
    // Short waits keep the suite fast; the shape of the policy is what is tested.
    RetryPolicy fast;
    fast.maxAttempts = 3;
    fast.baseDelay = std::chrono::milliseconds(20);
    fast.maxDelay = std::chrono::milliseconds(3000);
    fast.maxTotalDelay = std::chrono::milliseconds(4000);
    m_client->setRetryPolicy(fast);
    m_client->setTimeout(std::chrono::milliseconds(5000));
}

void TestApiFaults::cleanup()
{
    m_client.reset();
    m_waiter.reset();
    m_server.reset();
}

Waiter<Page<TraceSummary>> *TestApiFaults::getTraces()
{
    m_waiter = std::make_unique<Waiter<Page<TraceSummary>>>();
    m_client->traces({}, this, m_waiter->callback());
    return m_waiter.get();
}

template<typename T> void TestApiFaults::expectError(Waiter<T> &w, ApiError::Kind kind, int status)
{
    QVERIFY(w.wait());
    QCOMPARE(w.calls, 1);
    QVERIFY2(!w.ok(), "expected an error");
    const ApiError &e = w.result->error();
    QCOMPARE(e.kind, kind);
    if (status >= 0)
        QCOMPARE(e.httpStatus, status);
    // A sentence for people, the technical detail apart.
    QVERIFY(!e.message.isEmpty());
    QVERIFY(!e.detail.isEmpty());
    QVERIFY2(!e.message.contains(QLatin1String("/api/public")), qPrintable(e.message));
}

void TestApiFaults::malformedJson()
{
    m_server->setReply(kTraces, FaultServer::json(R"({"data":[{"id":"t1",}]})"));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Decode);
    QVERIFY2(w->detail().contains(QLatin1String("invalid JSON")), qPrintable(w->detail()));
    QCOMPARE(m_server->requestCount(kTraces), 1); // a broken body is not retried
}

void TestApiFaults::truncatedBody()
{
    FaultServer::Reply r = FaultServer::json(kTracesPage);
    r.fault = FaultServer::Fault::Truncate;
    m_server->setReply(kTraces, r);
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Offline);
    // A connection that broke mid-body is transient: retried up to the policy's limit.
    QCOMPARE(m_server->requestCount(kTraces), 3);
}

void TestApiFaults::wrongTypesNameThePath()
{
    m_server->setReply(kTraces, FaultServer::json(R"({"data":[
        {"id":"t1","timestamp":"2026-12-04T10:00:00Z"},
        {"id":"t2","timestamp":"2026-12-04T10:00:00Z","totalCost":"12"}],
        "meta":{"page":1,"limit":50,"totalItems":2,"totalPages":1}})"));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Decode);
    QVERIFY2(w->detail().contains(QLatin1String("data[1].totalCost")), qPrintable(w->detail()));

    m_server->setReply(kTraces, FaultServer::json(R"({"data":[{"id":"t1"}],
        "meta":{"page":1,"limit":50,"totalItems":1,"totalPages":1}})"));
    auto *w2 = getTraces();
    expectError(*w2, ApiError::Kind::Decode);
    QVERIFY2(w2->detail().contains(QLatin1String("data[0].timestamp: missing")),
             qPrintable(w2->detail()));

    m_server->setReply(kTraces, FaultServer::json(R"({"data":[],"meta":{"page":"1"}})"));
    auto *w3 = getTraces();
    expectError(*w3, ApiError::Kind::Decode);
    QVERIFY2(w3->detail().contains(QLatin1String("meta.page")), qPrintable(w3->detail()));
}

void TestApiFaults::unauthorized()
{
    m_server->setReply(kTraces,
                       FaultServer::json(R"({"message":"bad keys","code":"unauthorized"})", 401));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Unauthorized, 401);
    QVERIFY(w->detail().contains(QLatin1String("bad keys")));
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::forbidden()
{
    m_server->setReply(kTraces, FaultServer::json(R"({"message":"no","code":"forbidden"})", 403));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Forbidden, 403);
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::notFound()
{
    m_server->setReply(kTraces, FaultServer::json(R"({"message":"gone","code":"not_found"})", 404));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::NotFound, 404);
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::rateLimitedRetriedAfterRetryAfter()
{
    FaultServer::Reply limited =
        FaultServer::json(R"({"message":"slow down","code":"rate_limited"})", 429);
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")));
    m_server->setReplies(kTraces, {limited, FaultServer::json(kTracesPage)});
    QElapsedTimer clock;
    clock.start();
    auto *w = getTraces();
    QVERIFY(w->wait());
    QVERIFY2(w->ok(), qPrintable(w->detail()));
    QCOMPARE(w->result->value().items.first().totalCost, 0.25);
    QCOMPARE(m_server->requestCount(kTraces), 2);
    QVERIFY2(clock.elapsed() >= 950, "Retry-After: 1 was not honoured"); // not the 20 ms backoff
}

void TestApiFaults::retryAfterBeyondBudgetFailsFast()
{
    FaultServer::Reply limited =
        FaultServer::json(R"({"message":"come back tomorrow","code":"rate_limited"})", 429);
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("86400")));
    m_server->setReply(kTraces, limited);
    QElapsedTimer clock;
    clock.start();
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::RateLimited, 429);
    QVERIFY(clock.elapsed() < 2000);
    QCOMPARE(m_server->requestCount(kTraces), 1);
    QVERIFY2(w->detail().contains(QLatin1String("Retry-After")), qPrintable(w->detail()));
}

void TestApiFaults::serverErrorIsNotRetried()
{
    m_server->setReply(kTraces, FaultServer::json(R"({"message":"boom","code":"internal"})", 500));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Server, 500);
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::unavailableRetriedWithBackoffThenFails()
{
    m_server->setReply(kTraces,
                       FaultServer::json(R"({"message":"later","code":"unavailable"})", 503));
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Server, 503);
    QCOMPARE(m_server->requestCount(kTraces), 3); // maxAttempts
    QVERIFY2(w->detail().contains(QLatin1String("after 3 attempts")), qPrintable(w->detail()));
}

void TestApiFaults::badGatewayThenSuccess()
{
    m_server->setReplies(kTraces, {FaultServer::json("<html>bad gateway</html>", 502),
                                   FaultServer::json("", 504), FaultServer::json(kTracesPage)});
    auto *w = getTraces();
    QVERIFY(w->wait());
    QVERIFY2(w->ok(), qPrintable(w->detail()));
    QCOMPARE(w->calls, 1);
    QCOMPARE(m_server->requestCount(kTraces), 3);
}

void TestApiFaults::backoffGrowsWithJitterWithinBounds()
{
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.baseDelay = std::chrono::milliseconds(200);
    policy.maxDelay = std::chrono::milliseconds(5000);
    policy.maxTotalDelay = std::chrono::milliseconds(10000);
    m_client->setRetryPolicy(policy);
    m_server->setReply(kTraces, FaultServer::json("{}", 503));
    QElapsedTimer clock;
    clock.start();
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Server, 503);
    // Waits of 200 ms then 400 ms, each with half of it random: 100–200 + 200–400 ms.
    QVERIFY2(clock.elapsed() >= 290, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(m_server->requestCount(kTraces), 3);
}

void TestApiFaults::retryAfterAsHttpDate()
{
    FaultServer::Reply limited = FaultServer::json("{}", 503);
    // IMF-fixdate, as servers send it: "Fri, 04 Dec 2026 17:05:00 GMT".
    const QByteArray date = QLocale::c()
                                .toString(QDateTime::currentDateTimeUtc().addSecs(2),
                                          QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                                .toLatin1();
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), date));
    m_server->setReplies(kTraces, {limited, FaultServer::json(kTracesPage)});
    QElapsedTimer clock;
    clock.start();
    auto *w = getTraces();
    QVERIFY(w->wait());
    QVERIFY2(w->ok(), qPrintable(w->detail()));
    QCOMPARE(m_server->requestCount(kTraces), 2);
    QVERIFY2(clock.elapsed() >= 700, qPrintable(QString::number(clock.elapsed())));
}

void TestApiFaults::deadContextDuringBackoffNeverCallsBack()
{
    FaultServer::Reply limited = FaultServer::json("{}", 429);
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")));
    m_server->setReplies(kTraces, {limited, FaultServer::json(kTracesPage)});
    Waiter<Page<TraceSummary>> w;
    auto *context = new QObject;
    m_client->traces({}, context, w.callback());
    QTRY_COMPARE(m_server->requestCount(kTraces), 1);
    QTest::qWait(100);
    delete context;
    QTest::qWait(1400);
    QCOMPARE(w.calls, 0);
    QCOMPARE(m_server->requestCount(kTraces), 1);
    QCOMPARE(m_client->runningRequests(), 0);
}

void TestApiFaults::hangEndsInTimeout()
{
    FaultServer::Reply hang;
    hang.fault = FaultServer::Fault::Hang;
    m_server->setReply(kTraces, hang);
    m_client->setTimeout(std::chrono::milliseconds(400));
    QElapsedTimer clock;
    clock.start();
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Timeout);
    QVERIFY(clock.elapsed() >= 350);
    QVERIFY(clock.elapsed() < 3000);
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::resetConnection()
{
    FaultServer::Reply reset;
    reset.fault = FaultServer::Fault::Reset;
    m_server->setReplies(kTraces, {reset, FaultServer::json(kTracesPage)});
    auto *w = getTraces();
    QVERIFY(w->wait());
    QVERIFY2(w->ok(), qPrintable(w->detail())); // a reset GET is retried
    QCOMPARE(m_server->requestCount(kTraces), 2);

    m_server->setReply(kTraces, reset);
    auto *w2 = getTraces();
    expectError(*w2, ApiError::Kind::Offline);
}

void TestApiFaults::refusedConnection()
{
    const QUrl url = m_server->baseUrl();
    m_server.reset(); // nothing listens there any more
    RetryPolicy none;
    none.maxAttempts = 1;
    m_client->setRetryPolicy(none);
    m_client->setConnection(
        {QStringLiteral("gone"), url, QStringLiteral("pk"), QStringLiteral("sk")});
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::Offline);
}

void TestApiFaults::hundredMegabytesAnnounced()
{
    FaultServer::Reply huge = FaultServer::json({});
    huge.fault = FaultServer::Fault::Stream;
    huge.streamBytes = 100LL * 1024 * 1024;
    m_server->setReply(kTraces, huge);
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::TooLarge);
    // Refused on the announced length, long before the body could arrive.
    QVERIFY2(m_server->bytesStreamed() < 100LL * 1024 * 1024,
             qPrintable(QString::number(m_server->bytesStreamed())));
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::hundredMegabytesStreamed()
{
    FaultServer::Reply huge = FaultServer::json({});
    huge.fault = FaultServer::Fault::Stream;
    huge.chunked = true; // no Content-Length: the cap must catch the body as it arrives
    huge.streamBytes = 100LL * 1024 * 1024;
    m_server->setReply(kTraces, huge);
    const qint64 cap = 8LL * 1024 * 1024;
    m_client->setMaxResponseBytes(cap);
    const qint64 before = peakRssKiB();
    auto *w = getTraces();
    expectError(*w, ApiError::Kind::TooLarge);
    QVERIFY2(w->detail().contains(QString::number(cap)), qPrintable(w->detail()));
    QVERIFY2(m_server->bytesStreamed() < 50LL * 1024 * 1024,
             qPrintable(QString::number(m_server->bytesStreamed())));
    // Memory grew by a few caps at most, not by the 100 MB on offer.
    const qint64 grownMiB = (peakRssKiB() - before) / 1024;
    QVERIFY2(grownMiB < 64, qPrintable(QString::number(grownMiB)));
}

void TestApiFaults::gzipIsAskedForAndDecoded()
{
    FaultServer::Reply zipped = FaultServer::json(kTracesPage);
    zipped.gzip = true;
    m_server->setReply(kTraces, zipped);
    auto *w = getTraces();
    QVERIFY(w->wait());
    QVERIFY2(w->ok(), qPrintable(w->detail()));
    QCOMPARE(w->result->value().items.first().id, QStringLiteral("t1"));
    QVERIFY(m_server->requests().first().headers.value("accept-encoding").contains("gzip"));
}

void TestApiFaults::userAgentCarriesVersion()
{
    m_server->setReply(kTraces, FaultServer::json(kTracesPage));
    auto *w = getTraces();
    QVERIFY(w->wait());
    const QByteArray ua = m_server->requests().first().headers.value("user-agent");
    QVERIFY2(ua.startsWith("XeroML-Dashboard/" XEROML_VERSION), ua.constData());
    QCOMPARE(m_server->requests().first().headers.value("authorization"),
             "Basic " + QByteArray("pk-lf-public:sk-lf-TOP-SECRET-4711").toBase64());
}

void TestApiFaults::postIsNeverRetried()
{
    const QString path = QStringLiteral("/api/public/scores");
    m_server->setReply(path, FaultServer::json(R"({"message":"later"})", 503));
    ScoreInput score;
    score.traceId = QStringLiteral("tr/1");
    score.name = QStringLiteral("helpfulness");
    score.value = 0.75;
    score.comment = QStringLiteral("good");
    Waiter<QString> w;
    m_client->createScore(score, this, w.callback());
    expectError(w, ApiError::Kind::Server, 503);
    QCOMPARE(m_server->requestCount(path), 1);

    m_server->setReply(path, FaultServer::json(R"({"id":"sc-9"})"));
    Waiter<QString> ok;
    m_client->createScore(score, this, ok.callback());
    QVERIFY(ok.wait());
    QVERIFY2(ok.ok(), qPrintable(ok.detail()));
    QCOMPARE(ok.result->value(), QStringLiteral("sc-9"));
    const FaultServer::Request &sent = m_server->requests().last();
    QCOMPARE(sent.method, "POST");
    QCOMPARE(sent.headers.value("content-type"), "application/json");
    const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(body, score.toJson());
    QCOMPARE(body.value(QLatin1String("value")).toDouble(), 0.75);
    QVERIFY(!body.contains(QLatin1String("observationId")));
}

void TestApiFaults::cancelDuringBackoffNeverCallsBack()
{
    FaultServer::Reply limited = FaultServer::json("{}", 429);
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")));
    m_server->setReplies(kTraces, {limited, FaultServer::json(kTracesPage)});
    Waiter<Page<TraceSummary>> w;
    RequestHandle handle = m_client->traces({}, this, w.callback());
    QTRY_COMPARE(m_server->requestCount(kTraces), 1);
    QTest::qWait(100); // the 429 has arrived; the client now waits out Retry-After
    QVERIFY(handle.isActive());
    handle.cancel();
    QVERIFY(!handle.isActive());
    QTest::qWait(1500);
    QCOMPARE(w.calls, 0);
    QCOMPARE(m_server->requestCount(kTraces), 1); // the retry never left
}

void TestApiFaults::concurrentRequestsAreCapped()
{
    FaultServer::Reply slow = FaultServer::json(kTracesPage);
    slow.delayMs = 300;
    m_server->setReply(kTraces, slow);
    m_client->setMaxConcurrentRequests(2);
    std::vector<std::unique_ptr<Waiter<Page<TraceSummary>>>> waiters;
    for (int i = 0; i < 6; ++i) {
        waiters.push_back(std::make_unique<Waiter<Page<TraceSummary>>>());
        m_client->traces({}, this, waiters.back()->callback());
    }
    QCOMPARE(m_client->runningRequests(), 2);
    QCOMPARE(m_client->queuedRequests(), 4);
    QTest::qWait(200);
    QCOMPARE(m_server->requestCount(kTraces), 2);
    for (auto &w : waiters) {
        QVERIFY(w->wait());
        QVERIFY(w->ok());
    }
    QCOMPARE(m_server->requestCount(kTraces), 6);
    QCOMPARE(m_client->runningRequests(), 0);
    QCOMPARE(m_client->queuedRequests(), 0);
}

void TestApiFaults::cancelledQueuedRequestNeverLeaves()
{
    FaultServer::Reply slow = FaultServer::json(kTracesPage);
    slow.delayMs = 150;
    m_server->setReply(kTraces, slow);
    m_client->setMaxConcurrentRequests(1);
    Waiter<Page<TraceSummary>> first;
    Waiter<Page<TraceSummary>> queued;
    m_client->traces({}, this, first.callback());
    TracesQuery other;
    other.name = QStringLiteral("queued");
    RequestHandle handle = m_client->traces(other, this, queued.callback());
    QVERIFY(handle.isActive());
    handle.cancel();
    QVERIFY(first.wait());
    QTest::qWait(300);
    QCOMPARE(queued.calls, 0);
    QCOMPARE(m_server->requestCount(kTraces), 1);
}

void TestApiFaults::deletingTheClientDropsCallbacks()
{
    FaultServer::Reply slow = FaultServer::json(kTracesPage);
    slow.delayMs = 100;
    m_server->setReply(kTraces, slow);
    Waiter<Page<TraceSummary>> w;
    m_client->traces({}, this, w.callback());
    m_client.reset();
    QTest::qWait(300);
    QCOMPARE(w.calls, 0);
}

void TestApiFaults::logNeverShowsSecrets()
{
    QLoggingCategory::setFilterRules(QStringLiteral("xeroml.api.debug=true"));
    {
        QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    FaultServer::Reply limited = FaultServer::json("{}", 429);
    limited.headers.append(qMakePair(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("0")));
    m_server->setReplies(kTraces, {limited, FaultServer::json(kTracesPage)});
    m_server->setReply(kUsers, FaultServer::json(R"({"message":"bad keys"})", 401));
    auto *w = getTraces();
    const bool tracesDone = w->wait();
    Waiter<Page<UserSummary>> users;
    m_client->users({}, this, users.callback());
    const bool usersDone = users.wait();
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(tracesDone && usersDone);

    QMutexLocker lock(&g_logMutex);
    const QString all = g_log.join(QLatin1Char('\n'));
    QVERIFY2(g_log.size() >= 3, qPrintable(all)); // the test saw the client's debug output
    QVERIFY(all.contains(QLatin1String("xeroml.api")));
    const QString secret = QStringLiteral("sk-lf-TOP-SECRET-4711");
    const QString basic =
        QString::fromLatin1(QByteArray("pk-lf-public:sk-lf-TOP-SECRET-4711").toBase64());
    QVERIFY2(!all.contains(secret), qPrintable(all));
    QVERIFY2(!all.contains(basic), qPrintable(all));
    QVERIFY2(!all.contains(QLatin1String("Authorization"), Qt::CaseInsensitive), qPrintable(all));
    QVERIFY2(!all.contains(QLatin1String("TOP-SECRET")), qPrintable(all));
}

QTEST_GUILESS_MAIN(TestApiFaults)
#include "tst_apifaults.moc"
