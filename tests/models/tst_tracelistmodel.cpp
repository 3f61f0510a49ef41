// SPDX-License-Identifier: GPL-3.0-or-later
// TraceListModel against the real local server, under QAbstractItemModelTester.
#include "models/tracelistmodel.h"
#include "tests/models/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ModelTestSupport;

class TestTraceListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstPageArrives();
    void fetchMoreReachesEveryTraceOnce();
    void eachPageIsAskedForOnce();
    void sortsOnTheServer_data();
    void sortsOnTheServer();
    void unsortableColumnsKeepTheOrder();
    void nameFilters();
    void changedQueryDropsTheLateReply();
    void errorIsShownAndRetryRecovers();
    void appendPageWithoutNetwork();

private:
    [[nodiscard]] TracesQuery userQuery(const QString &userId) const;

    TestServer m_server;
    QList<UserSummary> m_users; // heaviest first
};

void TestTraceListModel::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error), qPrintable(error));
    m_users = heaviestUsers(m_server, 2);
    QCOMPARE(m_users.size(), 2);
    QVERIFY2(m_users.first().totalTraces > 120, "the heaviest user needs several pages");
}

TracesQuery TestTraceListModel::userQuery(const QString &userId) const
{
    TracesQuery q;
    q.userId = userId;
    return q;
}

void TestTraceListModel::firstPageArrives()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(user.userId));
    QVERIFY(!model.loading()); // no client yet
    model.setClient(&client);
    QVERIFY(model.loading());
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(model.rowCount() >= 50); // the tester may have fetched more
    QCOMPARE(model.columnCount(), int(TraceListModel::ColumnCount));
    QCOMPARE(model.totalCount(), user.totalTraces);
    QCOMPARE(model.sortColumn(), int(TraceListModel::TimeColumn));
    QCOMPARE(model.sortOrder(), Qt::DescendingOrder);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.trace(row).userId, user.userId);
        QVERIFY(model.trace(row).input.isUndefined()); // fields=core: no input/output
        if (row > 0)
            QVERIFY(model.trace(row - 1).timestamp >= model.trace(row).timestamp);
    }
    const TraceSummary &first = model.trace(0);
    const QModelIndex tokens = model.index(0, TraceListModel::TotalTokensColumn);
    QCOMPARE(tokens.data(TraceListModel::ValueRole).toLongLong(), first.totalTokens.value_or(-1));
    if (first.totalTokens.value_or(0) >= 1000)
        QVERIFY(tokens.data().toString().contains(QLatin1Char(',')));
    QCOMPARE(model.index(0, TraceListModel::CostColumn).data().toString().front(),
             QLatin1Char('$'));
    QCOMPARE(model.index(0, TraceListModel::TimeColumn).data(Qt::ToolTipRole).toString(),
             first.timestamp.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                 QStringLiteral(" UTC"));
    QCOMPARE(
        model.index(0, TraceListModel::TagsColumn).data(TraceListModel::TraceIdRole).toString(),
        first.id);
    QCOMPARE(model.index(0, 0).data(TraceListModel::SessionIdRole).toString(), first.sessionId);
    QCOMPARE(
        model.index(0, TraceListModel::ScoresColumn).data(TraceListModel::ValueRole).toLongLong(),
        qint64(first.scores.size()));
    QCOMPARE(
        model.headerData(TraceListModel::CostColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
        QStringLiteral("Cost (USD)"));
    const QHash<int, QByteArray> roles = model.roleNames();
    QCOMPARE(roles.value(TraceListModel::TraceIdRole), QByteArray("traceId"));
    QCOMPARE(roles.value(TraceListModel::SessionIdRole), QByteArray("sessionId"));
    QVERIFY(TraceListModel::ValueRole == Qt::UserRole + 1);
}

void TestTraceListModel::fetchMoreReachesEveryTraceOnce()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    // No tester here: it calls fetchMore() itself, and this test counts the requests.
    TraceListModel model;
    model.setPageSizes(20, 40);
    model.setQuery(userQuery(user.userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.rowCount(), 20);
    int requests = 1;
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        model.fetchMore({}); // one request per call: a second call while loading is a no-op
        ++requests;
        QVERIFY(model.loading());
        QVERIFY(QTest::qWaitFor([&] { return !model.loading(); }, 10000));
        QVERIFY(model.errorString().isEmpty());
        QVERIFY(model.rowCount() > before);
    }
    // 20 rows, then one more page of 20 to line up with pages of 40: no row fetched twice.
    QCOMPARE(requests, 2 + int((user.totalTraces - 40 + 39) / 40));
    QCOMPARE(model.rowCount(), int(user.totalTraces));
    QSet<QString> ids;
    qint64 tokens = 0;
    double cost = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.insert(model.trace(row).id);
        tokens += model.index(row, TraceListModel::TotalTokensColumn)
                      .data(TraceListModel::ValueRole)
                      .toLongLong();
        cost +=
            model.index(row, TraceListModel::CostColumn).data(TraceListModel::ValueRole).toDouble();
        if (row > 0)
            QVERIFY(model.trace(row - 1).timestamp >= model.trace(row).timestamp);
    }
    QCOMPARE(ids.size(), model.rowCount());
    // The figures add up to what /users says about this user.
    QCOMPARE(tokens, user.totalTokens);
    QVERIFY2(std::abs(cost - user.totalCost) < 1e-6,
             qPrintable(QStringLiteral("%1 vs %2").arg(cost).arg(user.totalCost)));
}

void TestTraceListModel::eachPageIsAskedForOnce()
{
    // A view that asks for more whenever loading stops (as a scrolled-to-the-end table does).
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    TraceListModel model;
    model.setPageSizes(50, 100);
    model.setQuery(userQuery(user.userId));
    int requests = 0;
    connect(&model, &TraceListModel::loadingChanged, this, [&] {
        if (model.loading())
            ++requests;
        else if (model.canFetchMore({}))
            model.fetchMore({});
    });
    model.setClient(&client);
    QVERIFY(QTest::qWaitFor(
        [&] { return model.loaded() && !model.loading() && !model.canFetchMore({}); }, 20000));
    QCOMPARE(model.rowCount(), int(user.totalTraces));
    // 50, then 50 more to line up with pages of 100, then pages of 100.
    QCOMPARE(requests, 2 + int((user.totalTraces - 100 + 99) / 100));
}

void TestTraceListModel::sortsOnTheServer_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    for (int c = 0; c < TraceListModel::ColumnCount; ++c) {
        if (!TraceListModel::isSortable(c))
            continue;
        const QByteArray name = TraceListModel::orderField(c).toLatin1();
        QTest::newRow(name + ".asc") << c << false;
        QTest::newRow(name + ".desc") << c << true;
    }
}

void TestTraceListModel::sortsOnTheServer()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    ApiClient client;
    client.setConnection(connection(m_server));
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(m_users.first().userId));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy query(&model, &TraceListModel::queryChanged);
    model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(query.count(), 1);
    QCOMPARE(model.query().orderField, TraceListModel::orderField(column));
    QCOMPARE(model.query().descending, descending);
    QCOMPARE(model.sortColumn(), column);
    QCOMPARE(model.sortOrder(), descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QVERIFY(model.rowCount() >= 50);
    for (int row = 1; row < model.rowCount(); ++row) {
        const QVariant a = model.index(row - 1, column).data(TraceListModel::ValueRole);
        const QVariant b = model.index(row, column).data(TraceListModel::ValueRole);
        const auto order = QVariant::compare(a, b);
        QVERIFY2(descending ? order != QPartialOrdering::Less : order != QPartialOrdering::Greater,
                 qPrintable(
                     QStringLiteral("row %1: %2 vs %3").arg(row).arg(a.toString(), b.toString())));
    }
}

void TestTraceListModel::unsortableColumnsKeepTheOrder()
{
    TraceListModel model;
    const TracesQuery before = model.query();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    for (int c : {int(TraceListModel::SessionColumn), int(TraceListModel::InputTokensColumn),
                  int(TraceListModel::ScoresColumn), int(TraceListModel::TagsColumn)}) {
        QVERIFY(!TraceListModel::isSortable(c));
        model.sort(c, Qt::AscendingOrder);
    }
    QVERIFY(!TraceListModel::isSortable(-1));
    QVERIFY(!TraceListModel::isSortable(TraceListModel::ColumnCount));
    QCOMPARE(reset.count(), 0);
    QVERIFY(model.query() == before);
    QVERIFY(TraceListModel::isSortable(TraceListModel::LatencyColumn));
}

void TestTraceListModel::nameFilters()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(user.userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const QString name = model.trace(0).name;
    QVERIFY(!name.isEmpty());
    TracesQuery q = model.query();
    q.name = name;
    model.setQuery(q);
    QVERIFY(waitLoaded(model));
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.totalCount() < user.totalTraces);
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.trace(row).name, name);
        QCOMPARE(model.trace(row).userId, user.userId);
    }
}

void TestTraceListModel::changedQueryDropsTheLateReply()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(m_users.at(0).userId));
    model.setClient(&client);                        // request 1 in flight
    model.setQuery(userQuery(m_users.at(1).userId)); // request 2 replaces it before it answers
    QVERIFY(waitLoaded(model));
    QTest::qWait(100); // give a stray reply of request 1 the chance to land
    QCOMPARE(model.totalCount(), m_users.at(1).totalTraces);
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.trace(row).userId, m_users.at(1).userId);
}

void TestTraceListModel::errorIsShownAndRetryRecovers()
{
    ApiClient client;
    Connection bad = connection(m_server);
    bad.secretKey = QStringLiteral("sk-not-the-key");
    client.setConnection(bad);
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(m_users.first().userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.errorString().isEmpty());
    QVERIFY(!model.canFetchMore({})); // no retry storm from a view asking for more
    client.setConnection(connection(m_server));
    model.reload();
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(model.rowCount() >= 50);
}

void TestTraceListModel::appendPageWithoutNetwork()
{
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TraceSummary a;
    a.id = QStringLiteral("t-1");
    a.name = QStringLiteral("chat");
    a.timestamp = QDateTime(QDate(2026, 12, 1), QTime(8, 30), Qt::UTC);
    a.sessionId = QStringLiteral("s-1");
    a.latency = 1.5;
    a.totalCost = 0.0042;
    a.inputTokens = 1200;
    a.outputTokens = 34;
    a.totalTokens = 1234;
    a.tags = {QStringLiteral("prod"), QStringLiteral("beta")};
    a.scores = {QStringLiteral("sc-1"), QStringLiteral("sc-2")};
    TraceSummary b;
    b.id = QStringLiteral("t-2");
    b.timestamp = a.timestamp.addSecs(-60);
    Page<TraceSummary> page;
    page.items = {a, b, a}; // a repeated trace is listed once
    page.meta.page = 1;
    page.meta.limit = 50;
    page.meta.totalItems = 2;
    model.appendPage(page);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.totalCount(), 2);
    QVERIFY(model.loaded());
    QCOMPARE(model.index(0, TraceListModel::CostColumn).data().toString(),
             QStringLiteral("$0.0042"));
    QCOMPARE(model.index(0, TraceListModel::TotalTokensColumn).data().toString(),
             QStringLiteral("1,234"));
    QCOMPARE(model.index(0, TraceListModel::LatencyColumn).data().toString(),
             QStringLiteral("1.50 s"));
    QCOMPARE(model.index(0, TraceListModel::ScoresColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(0, TraceListModel::TagsColumn).data().toString(),
             QStringLiteral("prod, beta"));
    QCOMPARE(
        model.index(0, TraceListModel::TagsColumn).data(TraceListModel::ValueRole).toStringList(),
        a.tags);
    QCOMPARE(model.index(0, TraceListModel::SessionColumn).data().toString(), a.sessionId);
    // Missing figures are shown as missing, never as 0.
    QCOMPARE(model.index(1, TraceListModel::CostColumn).data().toString(), QStringLiteral("–"));
    QCOMPARE(model.index(1, TraceListModel::LatencyColumn).data().toString(), QStringLiteral("–"));
    QVERIFY(!model.index(1, TraceListModel::TotalTokensColumn)
                 .data(TraceListModel::ValueRole)
                 .isValid());
    QVERIFY(
        model.index(1, TraceListModel::LatencyColumn).data(TraceListModel::NumericRole).toBool());
    QCOMPARE(model.index(1, 0).data(TraceListModel::TraceIdRole).toString(), b.id);
    QVERIFY(!model.canFetchMore({})); // no client: nothing to fetch from
}

QTEST_GUILESS_MAIN(TestTraceListModel)
#include "tst_tracelistmodel.moc"
