// SPDX-License-Identifier: GPL-3.0-or-later
// UsersPageController against the real local server: the summary strip's totals and the
// cost histogram's counts equal the sums and counts over every user the table lists, under
// each filter; the histogram hides against a server without it; new traces written to the
// server's store show as a "new data" hint, or with auto-refresh as rows renewed in place.
#include "models/format.h"
#include "tests/support/faultserver.h"
#include "tests/support/testserver.h"
#include "views/userspagecontroller.h"

#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

#include <cmath>

class TestUsersPageController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summaryEqualsTheTable_data();
    void summaryEqualsTheTable();
    void environmentsAreOffered();
    void histogramHiddenWithoutTheEndpoint();
    void newDataShowsAHint();
    void autoRefreshKeepsSortSelectionAndRows();
    void cleanupTestCase();

private:
    // Writes a trace as another process would (a separate SQLite connection).
    [[nodiscard]] bool addTrace(const QString &userId, qint64 costNanos);

    TestServer m_server;
    ApiClient m_client;
    QString m_sqlConnection;
};

bool TestUsersPageController::addTrace(const QString &userId, qint64 costNanos)
{
    if (m_sqlConnection.isEmpty()) {
        m_sqlConnection = QStringLiteral("writer-") + QUuid::createUuid().toString();
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_sqlConnection);
        db.setDatabaseName(m_server.dbPath());
        if (!db.open())
            return false;
    }
    QSqlQuery query(QSqlDatabase::database(m_sqlConnection));
    query.prepare(QStringLiteral("INSERT INTO traces (id, ts, user_id, user_id_lower, environment,"
                                 " observation_count, total_tokens, total_cost_nanos)"
                                 " VALUES (?, ?, ?, ?, 'production', 1, 100, ?)"));
    for (const QVariant &v :
         QVariantList{QUuid::createUuid().toString(QUuid::WithoutBraces),
                      QDateTime::currentMSecsSinceEpoch(), userId, userId.toLower(), costNanos})
        query.addBindValue(v);
    if (!query.exec()) {
        qWarning() << query.lastError().text();
        return false;
    }
    return true;
}

void TestUsersPageController::cleanupTestCase()
{
    if (!m_sqlConnection.isEmpty())
        QSqlDatabase::removeDatabase(m_sqlConnection);
}

void TestUsersPageController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 400;
    demo.traces = 6000;
    demo.seed = 21;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
    Connection c;
    c.baseUrl = m_server.baseUrl();
    c.publicKey = m_server.credentials().publicKey;
    c.secretKey = m_server.credentials().secretKey;
    m_client.setConnection(c);
}

void TestUsersPageController::summaryEqualsTheTable_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QString>("range");
    QTest::newRow("everyone") << QString() << QString() << QStringLiteral("all");
    QTest::newRow("search @") << QStringLiteral("@") << QString() << QStringLiteral("all");
    QTest::newRow("staging") << QString() << QStringLiteral("staging") << QStringLiteral("all");
    QTest::newRow("last 30 days") << QString() << QString() << QStringLiteral("30d");
    QTest::newRow("production, 7 days, /")
        << QStringLiteral("/") << QStringLiteral("production") << QStringLiteral("7d");
}

void TestUsersPageController::summaryEqualsTheTable()
{
    QFETCH(QString, search);
    QFETCH(QString, environment);
    QFETCH(QString, range);
    UsersPageController controller;
    controller.setSearch(search);
    controller.setEnvironment(environment);
    controller.timeRange()->setPreset(range);
    controller.setClient(&m_client);
    UserListModel *model = controller.userModel();
    QVERIFY(QTest::qWaitFor([&] { return model->loaded() && !model->loading(); }, 10000));
    // The search applies after the typing pause: wait for the query that has it.
    QVERIFY(QTest::qWaitFor(
        [&] { return model->query().search == search && model->loaded() && !model->loading(); },
        10000));
    while (model->canFetchMore({})) {
        model->fetchMore({});
        QVERIFY(QTest::qWaitFor([&] { return !model->loading(); }, 10000));
    }
    QVERIFY(model->errorString().isEmpty());
    QCOMPARE(model->rowCount(), int(model->totalCount()));
    QVERIFY(model->rowCount() > 0);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return !controller.summary()->loading() && !controller.summary()->figures().isEmpty();
        },
        10000));

    qint64 traces = 0, input = 0, output = 0, total = 0, scores = 0;
    double cost = 0, scoreSum = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const UserSummary &u = model->user(row);
        traces += u.totalTraces;
        input += u.inputTokens;
        output += u.outputTokens;
        total += u.totalTokens;
        cost += u.totalCost;
        if (u.averageScore) {
            scores += u.scoreCount;
            scoreSum += *u.averageScore * double(u.scoreCount);
        }
    }
    // The histogram counts the same users, each in the decade of its cost.
    UsersCostHistogram *histogram = controller.costHistogram();
    QVERIFY(QTest::qWaitFor([&] { return histogram->loaded() && !histogram->loading(); }, 10000));
    QVERIFY2(histogram->errorString().isEmpty(), qPrintable(histogram->errorString()));
    QVERIFY(histogram->available());
    QCOMPARE(histogram->totalUsers(), double(model->rowCount()));
    QHash<QString, double> expected;
    for (int row = 0; row < model->rowCount(); ++row) {
        const double usd = model->user(row).totalCost;
        if (usd <= 0) {
            expected[QStringLiteral("$0")] += 1;
            continue;
        }
        int k = int(std::floor(std::log10(usd)));
        // log10 may round across a boundary: settle on 10^k ≤ usd < 10^(k+1) exactly.
        while (std::pow(10.0, k) > usd)
            --k;
        while (std::pow(10.0, k + 1) <= usd)
            ++k;
        expected[UsersCostHistogram::bucketLabel(std::pow(10.0, k), std::pow(10.0, k + 1))] += 1;
    }
    QHash<QString, double> counted;
    for (qsizetype i = 0; i < histogram->labels().size(); ++i) {
        if (histogram->counts().at(i) > 0)
            counted.insert(histogram->labels().at(i), histogram->counts().at(i));
    }
    QCOMPARE(counted, expected);
    if (search.isEmpty() && environment.isEmpty() && range == QLatin1String("all"))
        QVERIFY2(counted.size() >= 3, "the demo users spread over several decades");

    const QVariantMap f = controller.summary()->figures();
    QCOMPARE(f.value(QStringLiteral("traces")).toString(), Format::count(traces));
    QCOMPARE(f.value(QStringLiteral("inputTokens")).toString(), Format::count(input));
    QCOMPARE(f.value(QStringLiteral("outputTokens")).toString(), Format::count(output));
    QCOMPARE(f.value(QStringLiteral("totalTokens")).toString(), Format::count(total));
    QCOMPARE(f.value(QStringLiteral("cost")).toString(), Format::cost(cost));
    if (range == QLatin1String("all")) {
        // Scores are counted by their trace's time in /users and by their own time in the
        // Metrics API; over all time both count the same scores.
        QCOMPARE(f.value(QStringLiteral("scoreCount")).toString(), Format::count(scores));
        QCOMPARE(f.value(QStringLiteral("averageScore")).toString(),
                 Format::score(scores ? std::optional<double>(scoreSum / double(scores))
                                      : std::nullopt));
    }
}

void TestUsersPageController::environmentsAreOffered()
{
    UsersPageController controller;
    controller.setClient(&m_client);
    QVERIFY(QTest::qWaitFor([&] { return controller.environmentChoices().size() == 3; }, 10000));
    QCOMPARE(controller.environmentChoices().constFirst(), QStringLiteral("All environments"));
    QVERIFY(controller.environmentChoices().contains(QStringLiteral("production")));
    QVERIFY(controller.environmentChoices().contains(QStringLiteral("staging")));
    // Production has the most traces, so it is offered first.
    QCOMPARE(controller.environmentChoices().at(1), QStringLiteral("production"));
    QCOMPARE(controller.environmentIndex(), 0);
    controller.setEnvironmentIndex(2);
    QCOMPARE(controller.environment(), QStringLiteral("staging"));
    QCOMPARE(controller.userModel()->query().environments, QStringList{QStringLiteral("staging")});
}

void TestUsersPageController::histogramHiddenWithoutTheEndpoint()
{
    // A Langfuse-compatible server: everything but the XeroML addition.
    FaultServer langfuse;
    QVERIFY(langfuse.start());
    langfuse.setUpstream(m_server.baseUrl());
    langfuse.setReply(QStringLiteral("/api/public/metrics/user-cost-histogram"),
                      FaultServer::json(R"({"message":"Not Found"})", 404));
    ApiClient client;
    Connection c = m_client.connection();
    c.baseUrl = langfuse.baseUrl();
    client.setConnection(c);

    UsersPageController controller;
    controller.setClient(&client);
    UsersCostHistogram *histogram = controller.costHistogram();
    QVERIFY(QTest::qWaitFor([&] { return histogram->loaded() && !histogram->loading(); }, 10000));
    QVERIFY(!histogram->available());
    QCOMPARE(histogram->errorString(), QString()); // no error for the page to show
    QVERIFY(histogram->labels().isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return controller.loaded() && !controller.loading(); }, 10000));
    QCOMPARE(controller.errorString(), QString());
    QVERIFY(controller.totalCount() > 0);
    QCOMPARE(langfuse.requestCount(QStringLiteral("/api/public/metrics/user-cost-histogram")), 1);

    // The same page on a server that has it (the connection switched back) shows it again.
    c.baseUrl = m_server.baseUrl();
    client.setConnection(c);
    QVERIFY(QTest::qWaitFor([&] { return histogram->available() && histogram->loaded(); }, 10000));
    QVERIFY(!histogram->labels().isEmpty());
}

void TestUsersPageController::newDataShowsAHint()
{
    UsersPageController controller;
    QCOMPARE(controller.pollInterval(), 0); // nothing polls unless asked to
    controller.setPollInterval(50);
    controller.setAutoRefresh(false);
    controller.setSearch(QStringLiteral("hint-"));
    controller.setClient(&m_client);
    QVERIFY(QTest::qWaitFor(
        [&] { return controller.userModel()->query().search == QStringLiteral("hint-"); }, 5000));
    QVERIFY(addTrace(QStringLiteral("hint-a"), 1'000'000));
    QVERIFY(QTest::qWaitFor([&] { return controller.loaded() && !controller.loading(); }, 10000));
    controller.refresh();
    QVERIFY(QTest::qWaitFor([&] { return controller.loaded() && !controller.loading(); }, 10000));
    QCOMPARE(controller.totalCount(), 1.0);
    QVERIFY(QTest::qWaitFor([&] { return controller.watchReady(); }, 10000));

    // Not watching (page hidden or window minimized): nothing is noticed.
    QVERIFY(addTrace(QStringLiteral("hint-b"), 2'000'000));
    QTest::qWait(300);
    QVERIFY(!controller.newData());

    // On screen: the next look notices the trace that arrived.
    QSignalSpy hint(&controller, &UsersPageController::newDataChanged);
    controller.setWatching(true);
    QVERIFY(QTest::qWaitFor([&] { return controller.newData(); }, 5000));
    QVERIFY(hint.count() >= 1);
    QCOMPARE(controller.totalCount(), 1.0); // the rows stay as they were until asked

    // Refresh (F5) loads it and takes the hint away; quiet figures give no hint.
    controller.refresh();
    QVERIFY(!controller.newData());
    QVERIFY(QTest::qWaitFor([&] { return controller.loaded() && controller.totalCount() == 2; },
                            10000));
    QVERIFY(QTest::qWaitFor([&] { return controller.watchReady(); }, 10000));
    QTest::qWait(300); // several looks
    QVERIFY(!controller.newData());
    // A trace that only adds cost to a listed user counts as new data too.
    QVERIFY(addTrace(QStringLiteral("hint-a"), 5));
    QVERIFY(QTest::qWaitFor([&] { return controller.newData(); }, 5000));
}

void TestUsersPageController::autoRefreshKeepsSortSelectionAndRows()
{
    UsersPageController controller;
    controller.setAutoRefresh(true);
    controller.setClient(&m_client);
    UserListModel *model = controller.userModel();
    controller.sortBy(UserListModel::CostColumn);
    if (!controller.sortDescending())
        controller.sortBy(UserListModel::CostColumn);
    QVERIFY(QTest::qWaitFor([&] { return model->loaded() && !model->loading(); }, 10000));
    // Two requests' worth of rows, as after some scrolling.
    controller.fetchMore();
    QVERIFY(QTest::qWaitFor([&] { return !model->loading(); }, 10000));
    const int rows = model->rowCount();
    QVERIFY(rows > 100);

    const QString cheap = controller.userIdAt(rows - 3);
    const QString second = controller.userIdAt(1);
    controller.selectRow(1, Qt::NoModifier);
    controller.selectRow(rows - 3, Qt::ControlModifier);
    QCOMPARE(controller.selectedCount(), 2);

    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy refreshed(model, &UserListModel::refreshed);
    controller.setPollInterval(50);
    controller.setWatching(true);
    QVERIFY(QTest::qWaitFor([&] { return controller.watchReady(); }, 10000));
    // The cheap selected user becomes the most expensive one.
    QVERIFY(addTrace(cheap, 1'000'000'000'000'000));
    QVERIFY(refreshed.wait(10000));
    QVERIFY(!controller.newData()); // renewed, so nothing to hint at

    QCOMPARE(resets.count(), 0); // rows changed in place: the view keeps its scroll position
    QCOMPARE(model->rowCount(), rows);
    QCOMPARE(controller.sortColumn(), int(UserListModel::CostColumn));
    QVERIFY(controller.sortDescending());
    QCOMPARE(controller.userIdAt(0), cheap);
    QCOMPARE(controller.userIdAt(2), second); // moved down by one
    // The same users are selected, wherever they are now; the current row followed its user.
    QCOMPARE(controller.selectedCount(), 2);
    const QString tsv = controller.selectionAsTsv();
    QVERIFY(tsv.contains(cheap));
    QVERIFY(tsv.contains(second));
    QCOMPARE(controller.currentRow(), 0);
    QVERIFY(model->user(0).totalCost >= 1e6);
    // The top-10 chart and the summary follow.
    QVERIFY(QTest::qWaitFor([&] { return controller.topUserIds().value(0) == cheap; }, 10000));
    controller.setAutoRefresh(false);
}

QTEST_MAIN(TestUsersPageController)
#include "tst_userspagecontroller.moc"
