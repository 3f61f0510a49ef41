// SPDX-License-Identifier: GPL-3.0-or-later
// SessionListModel against the real local server, under QAbstractItemModelTester.
#include "models/sessionlistmodel.h"
#include "tests/models/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ModelTestSupport;

class TestSessionListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everySessionOfTheUserOnce();
    void traceTimesLoadLazilyAndBounded();
    void changedQueryCancelsTraceTimes();
    void errorIsShown();
    void appendPageWithoutNetwork();
    void traceTimeQueueIsBounded();

private:
    [[nodiscard]] SessionsQuery userQuery(const QString &userId) const;

    TestServer m_server;
    QList<UserSummary> m_users; // heaviest first
};

void TestSessionListModel::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error), qPrintable(error));
    m_users = heaviestUsers(m_server, 2);
    QCOMPARE(m_users.size(), 2);
    QVERIFY2(m_users.first().totalSessions > 10, "the heaviest user needs several pages");
}

SessionsQuery TestSessionListModel::userQuery(const QString &userId) const
{
    SessionsQuery q;
    q.userId = userId;
    q.orderField = QStringLiteral("firstTraceAt");
    q.descending = false;
    return q;
}

void TestSessionListModel::everySessionOfTheUserOnce()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy span(&model, &SessionListModel::spanChanged);
    model.setPageSizes(4, 8);
    model.setQuery(userQuery(user.userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QCOMPARE(model.totalCount(), user.totalSessions);
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QVERIFY(QTest::qWaitFor([&] { return !model.loading(); }, 10000));
    }
    QCOMPARE(model.rowCount(), int(user.totalSessions));
    QVERIFY(!span.isEmpty());
    QSet<QString> ids;
    qint64 traces = 0;
    QDateTime earliest;
    QDateTime latest;
    for (int row = 0; row < model.rowCount(); ++row) {
        const SessionSummary &s = model.session(row);
        ids.insert(s.id);
        QVERIFY(s.userIds.contains(user.userId));
        traces += s.traceCount.value_or(0);
        if (row > 0)
            QVERIFY(model.session(row - 1).firstTraceAt <= s.firstTraceAt);
        if (!earliest.isValid() || s.firstTraceAt < earliest)
            earliest = s.firstTraceAt;
        if (!latest.isValid() || s.lastTraceAt > latest)
            latest = s.lastTraceAt;
        const QModelIndex i = model.index(row);
        QCOMPARE(i.data(SessionListModel::SessionIdRole).toString(), s.id);
        QCOMPARE(i.data(SessionListModel::FirstTraceMsRole).toLongLong(),
                 s.firstTraceAt.toMSecsSinceEpoch());
        QCOMPARE(i.data(SessionListModel::TraceCountRole).toLongLong(), *s.traceCount);
        QCOMPARE(i.data(SessionListModel::TotalCostTextRole).toString().front(), QLatin1Char('$'));
        QVERIFY(!i.data(SessionListModel::TraceTimesLoadedRole).toBool());
        QVERIFY(i.data(SessionListModel::TraceTimesRole).toList().isEmpty());
    }
    QCOMPARE(ids.size(), model.rowCount());
    QCOMPARE(model.earliest(), earliest);
    QCOMPARE(model.latest(), latest);
    QVERIFY(traces <= user.totalTraces); // traces without a session are in no session
}

void TestSessionListModel::traceTimesLoadLazilyAndBounded()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxTraceTimeRequests(2);
    model.setQuery(userQuery(m_users.first().userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const int rows = std::min(model.rowCount(), 12);
    QVERIFY(rows > 4);
    // Rows but no marks yet: not settled (a screenshot would show bare bars).
    QVERIFY(!model.traceTimesSettled());
    QSignalSpy settledChanges(&model, &SessionListModel::traceTimesSettledChanged);
    int maxInFlight = 0;
    QSet<int> changedRows;
    connect(&model, &QAbstractItemModel::dataChanged, this,
            [&](const QModelIndex &from, const QModelIndex &to, const QList<int> &roles) {
                QVERIFY(roles.contains(SessionListModel::TraceTimesRole));
                for (int row = from.row(); row <= to.row(); ++row)
                    changedRows.insert(row);
                maxInFlight = std::max(maxInFlight, model.traceTimeRequestsInFlight());
            });
    model.requestTraceTimes(0, rows - 1);
    QCOMPARE(model.traceTimeRequestsInFlight(), 2);
    QCOMPARE(model.traceTimeRequestsQueued(), rows - 2);
    model.requestTraceTimes(0, rows - 1); // asking again queues nothing twice
    QCOMPARE(model.traceTimeRequestsInFlight() + model.traceTimeRequestsQueued(), rows);
    QVERIFY(!model.traceTimesSettled());
    QVERIFY(QTest::qWaitFor([&] { return changedRows.size() == rows; }, 15000));
    QVERIFY(maxInFlight <= 2);
    QCOMPARE(model.traceTimeRequestsInFlight(), 0);
    QVERIFY(model.traceTimesSettled());
    QCOMPARE(settledChanges.size(), 1);
    for (int row = 0; row < rows; ++row) {
        const QModelIndex i = model.index(row);
        QVERIFY(i.data(SessionListModel::TraceTimesLoadedRole).toBool());
        const QVariantList times = i.data(SessionListModel::TraceTimesRole).toList();
        QCOMPARE(qint64(times.size()), i.data(SessionListModel::TraceCountRole).toLongLong());
        // The marks lie on the session's span, oldest first.
        QCOMPARE(times.first().toLongLong(),
                 i.data(SessionListModel::FirstTraceMsRole).toLongLong());
        QCOMPARE(times.last().toLongLong(), i.data(SessionListModel::LastTraceMsRole).toLongLong());
        for (qsizetype k = 1; k < times.size(); ++k)
            QVERIFY(times.at(k - 1).toLongLong() <= times.at(k).toLongLong());
    }
    // Rows not asked for stay unloaded; loaded rows are not fetched again.
    if (model.rowCount() > rows)
        QVERIFY(!model.index(rows).data(SessionListModel::TraceTimesLoadedRole).toBool());
    model.requestTraceTimes(0, rows - 1);
    QCOMPARE(model.traceTimeRequestsInFlight(), 0);
}

void TestSessionListModel::changedQueryCancelsTraceTimes()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(m_users.at(0).userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    model.requestTraceTimes(0, model.rowCount() - 1);
    QVERIFY(model.traceTimeRequestsInFlight() > 0);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setQuery(userQuery(m_users.at(1).userId));
    QCOMPARE(model.traceTimeRequestsInFlight(), 0);
    QCOMPARE(model.traceTimeRequestsQueued(), 0);
    QVERIFY(waitLoaded(model));
    QTest::qWait(150); // stray detail replies of the first user would land now
    QCOMPARE(changed.count(), 0);
    for (int row = 0; row < model.rowCount(); ++row) {
        QVERIFY(model.session(row).userIds.contains(m_users.at(1).userId));
        QVERIFY(!model.index(row).data(SessionListModel::TraceTimesLoadedRole).toBool());
    }
}

void TestSessionListModel::errorIsShown()
{
    ApiClient client;
    Connection bad = connection(m_server);
    bad.secretKey = QStringLiteral("sk-not-the-key");
    client.setConnection(bad);
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QVERIFY(!model.errorString().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(!model.earliest().isValid());
}

void TestSessionListModel::appendPageWithoutNetwork()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime t0 = QDateTime(QDate(2026, 12, 1), QTime(9, 0), Qt::UTC);
    SessionSummary a;
    a.id = QStringLiteral("s/1 ü");
    a.createdAt = t0;
    a.firstTraceAt = t0;
    a.lastTraceAt = t0.addSecs(754);
    a.traceCount = 1234;
    a.totalTokens = 56789;
    a.totalCost = 0.37;
    SessionSummary b; // a Langfuse-shaped server: no aggregates
    b.id = QStringLiteral("s-2");
    b.createdAt = t0.addDays(-1);
    Page<SessionSummary> page;
    page.items = {a, b, a};
    page.meta.totalItems = 2;
    QSignalSpy span(&model, &SessionListModel::spanChanged);
    model.appendPage(page);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(span.count(), 1);
    QCOMPARE(model.earliest(), b.createdAt);
    QCOMPARE(model.latest(), a.lastTraceAt);
    const QModelIndex ia = model.index(0);
    QCOMPARE(ia.data(SessionListModel::TraceCountTextRole).toString(), QStringLiteral("1,234"));
    QCOMPARE(ia.data(SessionListModel::TotalTokensTextRole).toString(), QStringLiteral("56,789"));
    QCOMPARE(ia.data(SessionListModel::TotalCostTextRole).toString(), QStringLiteral("$0.37"));
    QCOMPARE(ia.data(SessionListModel::DurationTextRole).toString(), QStringLiteral("12 min"));
    QCOMPARE(ia.data(SessionListModel::TimeToolTipRole).toString(),
             QStringLiteral("2026-12-01 09:00:00 UTC – 2026-12-01 09:12:34 UTC"));
    const QModelIndex ib = model.index(1);
    QCOMPARE(ib.data(SessionListModel::TraceCountTextRole).toString(), QStringLiteral("–"));
    QVERIFY(!ib.data(SessionListModel::TotalCostRole).isValid());
    QCOMPARE(ib.data(SessionListModel::FirstTraceAtRole).toDateTime(), b.createdAt);
    QCOMPARE(ib.data(SessionListModel::LastTraceMsRole).toLongLong(),
             b.createdAt.toMSecsSinceEpoch());

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTraceTimes(a.id, {t0.addSecs(754), t0, QDateTime(), t0.addSecs(60)});
    QCOMPARE(changed.count(), 1);
    const QVariantList times = ia.data(SessionListModel::TraceTimesRole).toList();
    QCOMPARE(times, (QVariantList{t0.toMSecsSinceEpoch(), t0.addSecs(60).toMSecsSinceEpoch(),
                                  t0.addSecs(754).toMSecsSinceEpoch()}));
    QVERIFY(ia.data(SessionListModel::TraceTimesLoadedRole).toBool());
    model.setTraceTimes(QStringLiteral("unknown"), {t0});
    QCOMPARE(changed.count(), 1);
    model.requestTraceTimes(-5, 99); // no client: clamped, nothing sent, nothing breaks
    QCOMPARE(model.traceTimeRequestsInFlight(), 0);
    const QHash<int, QByteArray> roles = model.roleNames();
    QCOMPARE(roles.value(SessionListModel::TraceTimesRole), QByteArray("traceTimes"));
    QCOMPARE(roles.value(SessionListModel::SessionIdRole), QByteArray("sessionId"));
    QCOMPARE(int(SessionListModel::SessionIdRole), Qt::UserRole + 1);
}

void TestSessionListModel::traceTimeQueueIsBounded()
{
    // No client: nothing leaves the queue, so it shows what a fast scroll would leave behind.
    SessionListModel model;
    constexpr int kRows = SessionListModel::kMaxQueuedTraceTimes + 100;
    Page<SessionSummary> page;
    for (int i = 0; i < kRows; ++i) {
        SessionSummary s;
        s.id = QStringLiteral("s%1").arg(i);
        s.createdAt = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC).addSecs(i);
        page.items.append(s);
    }
    page.meta.totalItems = kRows;
    model.appendPage(page);
    model.requestTraceTimes(0, 99);
    QCOMPARE(model.traceTimeRequestsQueued(), 100);
    model.requestTraceTimes(100, kRows - 1); // the newest range goes first, the oldest drops
    QCOMPARE(model.traceTimeRequestsQueued(), SessionListModel::kMaxQueuedTraceTimes);
    model.requestTraceTimes(0, 9); // dropped rows can be asked for again
    QCOMPARE(model.traceTimeRequestsQueued(), SessionListModel::kMaxQueuedTraceTimes);
    model.requestTraceTimes(0, 9); // and are not queued twice
    QCOMPARE(model.traceTimeRequestsQueued(), SessionListModel::kMaxQueuedTraceTimes);
    model.setTraceTimes(QStringLiteral("s5"), {});
    QCOMPARE(model.traceTimeRequestsQueued(), SessionListModel::kMaxQueuedTraceTimes - 1);
}

QTEST_GUILESS_MAIN(TestSessionListModel)
#include "tst_sessionlistmodel.moc"
