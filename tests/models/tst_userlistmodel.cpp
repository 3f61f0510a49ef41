// SPDX-License-Identifier: GPL-3.0-or-later
// UserListModel against the real local server, under QAbstractItemModelTester.
#include "models/userlistmodel.h"
#include "tests/support/testserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

class TestUserListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstPageArrives();
    void fetchMoreReachesEveryUserOnce();
    void eachPageIsAskedForOnce();
    void sortsOnTheServer_data();
    void sortsOnTheServer();
    void searchFilters();
    void changedQueryDropsTheLateReply();
    void errorIsShownAndRetryRecovers();
    void appendPageWithoutNetwork();
    void refreshInPlaceChangesRowsWithoutReset();

private:
    [[nodiscard]] Connection connection() const;
    static bool waitLoaded(UserListModel &model);

    TestServer m_server;
    static constexpr int kUsers = 250;
};

void TestUserListModel::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = kUsers;
    demo.traces = 4000;
    demo.seed = 3;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
}

Connection TestUserListModel::connection() const
{
    Connection c;
    c.baseUrl = m_server.baseUrl();
    c.publicKey = m_server.credentials().publicKey;
    c.secretKey = m_server.credentials().secretKey;
    return c;
}

bool TestUserListModel::waitLoaded(UserListModel &model)
{
    return QTest::qWaitFor([&] { return model.loaded() && !model.loading(); }, 10000);
}

void TestUserListModel::firstPageArrives()
{
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loading(&model, &UserListModel::loadingChanged);
    model.setClient(&client);
    QVERIFY(model.loading());
    QVERIFY(waitLoaded(model));
    QVERIFY(loading.count() >= 2);
    QVERIFY(model.rowCount() >= 100); // the tester may have fetched more
    QCOMPARE(model.columnCount(), int(UserListModel::ColumnCount));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(model.totalCount() > 100);
    QVERIFY(model.totalCount() <= kUsers);
    // Default order: most recent activity first.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.user(row - 1).lastTraceAt >= model.user(row).lastTraceAt);
    // Display text is for people, the value role keeps the raw number.
    const QModelIndex tokens = model.index(0, UserListModel::TotalTokensColumn);
    QCOMPARE(tokens.data(UserListModel::ValueRole).toLongLong(), model.user(0).totalTokens);
    if (model.user(0).totalTokens >= 1000)
        QVERIFY(tokens.data().toString().contains(QLatin1Char(',')));
    QCOMPARE(
        model.headerData(UserListModel::CostColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
        QStringLiteral("Cost (USD)"));
}

void TestUserListModel::fetchMoreReachesEveryUserOnce()
{
    ApiClient client;
    client.setConnection(connection());
    // No tester here: it calls fetchMore() itself, and this test counts the requests.
    UserListModel model;
    model.setPageSize(30);
    model.setBulkPageSize(70);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.rowCount(), 30);
    QVERIFY(model.totalCount() > 100);
    int requests = 0;
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        model.fetchMore({}); // one request per call: a second call while loading is a no-op
        ++requests;
        QVERIFY(model.loading());
        QVERIFY(QTest::qWaitFor([&] { return !model.loading(); }, 10000));
        QVERIFY(model.rowCount() > before);
        QVERIFY(model.errorString().isEmpty());
    }
    // After the first 30 rows, pages of 70: the first of them starts again at row 0.
    QCOMPARE(requests, int((model.totalCount() + 69) / 70));
    QCOMPARE(model.rowCount(), int(model.totalCount()));
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.insert(model.user(row).userId);
    QCOMPARE(ids.size(), model.rowCount());
    // The rows are in the server's order across page boundaries.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.user(row - 1).lastTraceAt >= model.user(row).lastTraceAt);
}

void TestUserListModel::eachPageIsAskedForOnce()
{
    // A view that asks for more whenever loading stops (as the page's scrolling does).
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    model.setPageSize(30);
    model.setBulkPageSize(70);
    int requests = 0;
    connect(&model, &UserListModel::loadingChanged, this, [&] {
        if (model.loading())
            ++requests;
        else if (model.canFetchMore({}))
            model.fetchMore({});
    });
    model.setClient(&client);
    QVERIFY(QTest::qWaitFor(
        [&] { return model.loaded() && !model.loading() && !model.canFetchMore({}); }, 20000));
    QCOMPARE(model.rowCount(), int(model.totalCount()));
    QCOMPARE(requests, 1 + int((model.totalCount() + 69) / 70));
}

void TestUserListModel::sortsOnTheServer_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    for (int c = 0; c < UserListModel::ColumnCount; ++c) {
        const QByteArray name = UserListModel::orderField(c).toLatin1();
        QTest::newRow(name + ".asc") << c << false;
        QTest::newRow(name + ".desc") << c << true;
    }
}

void TestUserListModel::sortsOnTheServer()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    QCOMPARE(model.query().orderField, UserListModel::orderField(column));
    QVERIFY(waitLoaded(model));
    QVERIFY(model.rowCount() >= 100); // the tester may have fetched more
    // Compare the raw values row by row; null averages are allowed anywhere only as a
    // contiguous block at the end.
    bool seenNull = false;
    for (int row = 1; row < model.rowCount(); ++row) {
        const QVariant a = model.index(row - 1, column).data(UserListModel::ValueRole);
        const QVariant b = model.index(row, column).data(UserListModel::ValueRole);
        if (!b.isValid()) {
            seenNull = true;
            continue;
        }
        QVERIFY2(!seenNull && a.isValid(), "null averages sort last");
        // The server orders averages rounded to 9 decimals and breaks ties by user id.
        if (a.typeId() == QMetaType::Double && std::abs(a.toDouble() - b.toDouble()) < 1e-9)
            continue;
        const auto order = QVariant::compare(a, b);
        QVERIFY2(descending ? order != QPartialOrdering::Less : order != QPartialOrdering::Greater,
                 qPrintable(
                     QStringLiteral("row %1: %2 vs %3").arg(row).arg(a.toString(), b.toString())));
    }
}

void TestUserListModel::searchFilters()
{
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    UsersQuery q = model.query();
    q.search = QStringLiteral("@");
    model.setQuery(q);
    QVERIFY(waitLoaded(model));
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.totalCount() < kUsers);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.user(row).userId.contains(QLatin1Char('@')));
}

void TestUserListModel::changedQueryDropsTheLateReply()
{
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client); // request 1 in flight
    UsersQuery q = model.query();
    q.search = QStringLiteral("/");
    model.setQuery(q); // request 2 replaces it before it answers
    QVERIFY(waitLoaded(model));
    QTest::qWait(100); // give a stray reply of request 1 the chance to land
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY2(model.user(row).userId.contains(QLatin1Char('/')),
                 qPrintable(model.user(row).userId));
}

void TestUserListModel::errorIsShownAndRetryRecovers()
{
    ApiClient client;
    Connection bad = connection();
    bad.secretKey = QStringLiteral("sk-not-the-key");
    client.setConnection(bad);
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.errorString().isEmpty());
    QVERIFY(!model.canFetchMore({})); // no retry storm from a view asking for more
    client.setConnection(connection());
    model.reload();
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(model.rowCount() >= 100); // the tester may have fetched more
}

void TestUserListModel::appendPageWithoutNetwork()
{
    UserListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Page<UserSummary> page;
    UserSummary a;
    a.userId = QStringLiteral("Zoë Ångström");
    a.totalCost = 0.0042;
    UserSummary b;
    b.userId = QStringLiteral("team/alpha/bob");
    b.averageScore = 0.75;
    b.scoreCount = 3;
    page.items = {a, b, a}; // a repeated user is listed once
    page.meta.page = 1;
    page.meta.totalItems = 2;
    model.appendPage(page);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, UserListModel::CostColumn).data().toString(),
             QStringLiteral("$0.0042"));
    QCOMPARE(model.index(0, UserListModel::AverageScoreColumn).data().toString(),
             QStringLiteral("–"));
    QVERIFY(!model.index(0, UserListModel::AverageScoreColumn)
                 .data(UserListModel::ValueRole)
                 .isValid());
    QCOMPARE(model.index(1, UserListModel::AverageScoreColumn).data().toString(),
             QStringLiteral("0.75"));
    QCOMPARE(model.index(1, UserListModel::AverageScoreColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("3 numeric scores"));
    QCOMPARE(model.index(1, 0).data(UserListModel::UserIdRole).toString(), b.userId);
    QVERIFY(!model.canFetchMore({})); // no client: nothing to fetch from
}

void TestUserListModel::refreshInPlaceChangesRowsWithoutReset()
{
    ApiClient client;
    client.setConnection(connection());
    UserListModel model;
    model.setPageSize(30);
    model.setBulkPageSize(70);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const UsersQuery all = model.query();
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy refreshed(&model, &UserListModel::refreshed);

    // Fewer matching users than rows shown: the rows change in place, the rest go.
    UsersQuery some = all;
    some.search = QStringLiteral("@");
    const int before = model.rowCount();
    model.refreshInPlace(some, before);
    QVERIFY(model.loading());
    QVERIFY(refreshed.wait(10000));
    QVERIFY(!model.loading());
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.rowCount() <= before);
    QCOMPARE(model.query().search, QStringLiteral("@"));
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.user(row).userId.contains(QLatin1Char('@')));

    // More rows than one request holds: pages of 70 are gathered, then swapped in at once.
    model.refreshInPlace(all, 150);
    QVERIFY(refreshed.wait(10000));
    QCOMPARE(model.rowCount(), std::min(150, int(model.totalCount())));
    QCOMPARE(resets.count(), 0);
    QVERIFY(model.errorString().isEmpty());
    // The same rows, in the same order, as a fresh load of 150.
    UserListModel fresh;
    fresh.setPageSize(150);
    fresh.setSinglePage(true);
    fresh.setQuery(all);
    fresh.setClient(&client);
    QVERIFY(waitLoaded(fresh));
    QCOMPARE(fresh.rowCount(), model.rowCount());
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.user(row).userId, fresh.user(row).userId);
    // Paging goes on after the refreshed rows.
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QVERIFY(waitLoaded(model));
    QVERIFY(model.rowCount() > 150);
}

QTEST_GUILESS_MAIN(TestUserListModel)
#include "tst_userlistmodel.moc"
