// SPDX-License-Identifier: GPL-3.0-or-later
// UsersPageController against the real local server: the summary strip's totals equal the
// sums over every user the table lists, under each filter.
#include "models/format.h"
#include "tests/support/testserver.h"
#include "views/userspagecontroller.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

class TestUsersPageController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void summaryEqualsTheTable_data();
    void summaryEqualsTheTable();
    void environmentsAreOffered();

private:
    TestServer m_server;
    ApiClient m_client;
};

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

QTEST_MAIN(TestUsersPageController)
#include "tst_userspagecontroller.moc"
