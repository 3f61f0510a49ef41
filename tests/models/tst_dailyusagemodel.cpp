// SPDX-License-Identifier: GPL-3.0-or-later
// DailyUsageModel and its ModelUsageModel against the real local server.
#include "models/dailyusagemodel.h"
#include "tests/models/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace ModelTestSupport;

class TestDailyUsageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyDayOfTheRangeOldestFirst();
    void pagesGiveTheSameDays();
    void modelUsageSumsTheSameAnswer();
    void changedQueryDropsTheLateReply();
    void errorIsShown();
    void setDaysFillsTheRange_data();
    void setDaysFillsTheRange();
    void rawDisplayForChartMappers();
    void modelUsageSortsByCost();

private:
    [[nodiscard]] DailyMetricsQuery userQuery(const QString &userId) const;
    [[nodiscard]] QList<DailyMetrics> apiDays(const DailyMetricsQuery &query) const;

    TestServer m_server;
    QList<UserSummary> m_users; // heaviest first
};

void TestDailyUsageModel::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error), qPrintable(error));
    m_users = heaviestUsers(m_server, 2);
    QCOMPARE(m_users.size(), 2);
}

DailyMetricsQuery TestDailyUsageModel::userQuery(const QString &userId) const
{
    DailyMetricsQuery q;
    q.userId = userId;
    // 120 days: the 90 days of demo data and 30 empty days before them.
    q.from = anchor().addDays(-120);
    q.to = anchor();
    return q;
}

QList<DailyMetrics> TestDailyUsageModel::apiDays(const DailyMetricsQuery &query) const
{
    ApiClient client;
    client.setConnection(connection(m_server));
    DailyMetricsQuery q = query;
    q.limit = 100;
    Waiter<Page<DailyMetrics>> waiter;
    client.dailyMetrics(q, &client, waiter.callback());
    if (!waiter.wait() || !waiter.ok())
        return {};
    return waiter.result->value().items;
}

void TestDailyUsageModel::everyDayOfTheRangeOldestFirst()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    DailyUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester modelTester(model.modelUsage(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy days(&model, &DailyUsageModel::daysChanged);
    model.setQuery(userQuery(user.userId));
    model.setClient(&client);
    QVERIFY(model.loading());
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(!days.isEmpty());

    const QDate first = anchor().addDays(-120).date();
    const QDate last = anchor().date(); // `to` is 12:00 on the anchor day: that day counts
    QCOMPARE(model.rowCount(), int(first.daysTo(last) + 1));
    QCOMPARE(model.firstDay(), QDateTime(first, QTime(0, 0), Qt::UTC));
    QCOMPARE(model.lastDay(), QDateTime(last, QTime(0, 0), Qt::UTC));
    const QList<DailyMetrics> api = apiDays(userQuery(user.userId));
    QVERIFY(!api.isEmpty());
    QHash<QDate, DailyMetrics> byDate;
    for (const DailyMetrics &d : api)
        byDate.insert(d.date, d);

    qint64 traces = 0;
    qint64 maxTraces = 0;
    double maxCost = 0;
    int zeroDays = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const DailyUsageModel::Day &day = model.day(row);
        QCOMPARE(day.date, first.addDays(row)); // continuous, oldest first
        QCOMPARE(
            model.index(row, DailyUsageModel::DateColumn).data(DailyUsageModel::DateRole).toDate(),
            day.date);
        traces += day.traces;
        maxTraces = std::max(maxTraces, day.traces);
        maxCost = std::max(maxCost, day.cost);
        if (!byDate.contains(day.date)) {
            ++zeroDays;
            QCOMPARE(day.traces, 0);
            QCOMPARE(day.totalTokens, 0);
            QCOMPARE(model.index(row, DailyUsageModel::CostColumn).data().toString(),
                     QStringLiteral("$0"));
            continue;
        }
        // Each day equals what the API says about it.
        const DailyMetrics &d = byDate.value(day.date);
        QCOMPARE(day.traces, d.countTraces);
        QCOMPARE(day.observations, d.countObservations);
        QCOMPARE(day.cost, d.totalCost);
        qint64 input = 0;
        qint64 total = 0;
        for (const DailyModelUsage &u : d.usage) {
            input += u.inputUsage;
            total += u.totalUsage;
        }
        QCOMPARE(day.inputTokens, input);
        QCOMPARE(day.totalTokens, total);
        QCOMPARE(model.index(row, DailyUsageModel::TracesColumn)
                     .data(DailyUsageModel::ValueRole)
                     .toLongLong(),
                 d.countTraces);
    }
    QVERIFY(zeroDays >= 30); // the empty month before the data
    QCOMPARE(traces, user.totalTraces);
    QCOMPARE(model.maxTraces(), maxTraces);
    QCOMPARE(model.maxCost(), maxCost);
    QVERIFY(model.maxTokens() > 0);
    QVERIFY(!model.canFetchMore({})); // every page is loaded without being asked
}

void TestDailyUsageModel::pagesGiveTheSameDays()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    DailyUsageModel whole;
    whole.setQuery(userQuery(m_users.first().userId));
    whole.setClient(&client);
    DailyUsageModel paged;
    QAbstractItemModelTester tester(&paged, QAbstractItemModelTester::FailureReportingMode::QtTest);
    paged.setPageSize(7); // about a dozen requests
    paged.setQuery(userQuery(m_users.first().userId));
    QSignalSpy resets(&paged, &QAbstractItemModel::modelReset);
    paged.setClient(&client);
    QVERIFY(waitLoaded(whole));
    QVERIFY(waitLoaded(paged));
    QCOMPARE(resets.count(), 2); // cleared, then shown once when all pages are in
    QCOMPARE(paged.rowCount(), whole.rowCount());
    QCOMPARE(paged.rowCount(), whole.rowCount());
    for (int row = 0; row < whole.rowCount(); ++row) {
        for (int column = 0; column < DailyUsageModel::ColumnCount; ++column) {
            QCOMPARE(paged.index(row, column).data(DailyUsageModel::ValueRole),
                     whole.index(row, column).data(DailyUsageModel::ValueRole));
        }
    }
    QCOMPARE(paged.modelUsage()->rowCount(), whole.modelUsage()->rowCount());
}

void TestDailyUsageModel::modelUsageSumsTheSameAnswer()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    DailyUsageModel model;
    model.setQuery(userQuery(m_users.first().userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const ModelUsageModel *models = model.modelUsage();
    QVERIFY(models->rowCount() > 0);
    qint64 dayTokens = 0;
    double dayCost = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        dayTokens += model.day(row).totalTokens;
        dayCost += model.day(row).cost;
    }
    qint64 modelTokens = 0;
    double modelCost = 0;
    for (int row = 0; row < models->rowCount(); ++row) {
        modelTokens += models->row(row).totalTokens;
        modelCost += models->row(row).cost;
        if (row > 0)
            QVERIFY(models->row(row - 1).cost >= models->row(row).cost);
    }
    QCOMPARE(modelTokens, dayTokens);
    QCOMPARE(models->totalTokens(), modelTokens);
    QVERIFY(std::abs(modelCost - dayCost) < 1e-6);
    QCOMPARE(models->maxCost(), models->row(0).cost);
    QCOMPARE(models->index(0, ModelUsageModel::CostColumn)
                 .data(ModelUsageModel::FractionRole)
                 .toDouble(),
             1.0);
}

void TestDailyUsageModel::changedQueryDropsTheLateReply()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    DailyUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(10);
    model.setQuery(userQuery(m_users.at(0).userId));
    model.setClient(&client);
    QVERIFY(QTest::qWaitFor([&] { return model.loading(); }, 1000));
    QTest::qWait(5); // perhaps a page of the first user has arrived
    model.setQuery(userQuery(m_users.at(1).userId));
    QVERIFY(waitLoaded(model));
    QTest::qWait(100); // give a stray reply of the first query the chance to land
    qint64 traces = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        traces += model.day(row).traces;
    QCOMPARE(traces, m_users.at(1).totalTraces);
}

void TestDailyUsageModel::errorIsShown()
{
    ApiClient client;
    Connection bad = connection(m_server);
    bad.secretKey = QStringLiteral("sk-not-the-key");
    client.setConnection(bad);
    DailyUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery(userQuery(m_users.first().userId));
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QVERIFY(!model.errorString().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.modelUsage()->rowCount(), 0);
    client.setConnection(connection(m_server));
    model.reload();
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(model.rowCount() > 0);
}

void TestDailyUsageModel::setDaysFillsTheRange_data()
{
    QTest::addColumn<QDateTime>("from");
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<QList<int>>("activeDays"); // day of December 2026 with traces
    QTest::addColumn<int>("firstDay");          // first row's day of December (0 = none)
    QTest::addColumn<int>("rows");

    const auto dec = [](int day, int hour = 0) {
        return QDateTime(QDate(2026, 12, day), QTime(hour, 0), Qt::UTC);
    };
    QTest::newRow("week, data inside") << dec(1) << dec(8) << QList<int>{3, 5} << 1 << 7;
    QTest::newRow("to mid-day counts that day") << dec(1) << dec(8, 12) << QList<int>{8} << 1 << 8;
    QTest::newRow("empty range, no data") << dec(1) << dec(4) << QList<int>{} << 1 << 3;
    QTest::newRow("unbounded from starts at data")
        << QDateTime() << dec(10) << QList<int>{4, 6} << 4 << 6;
    QTest::newRow("unbounded from, no data") << QDateTime() << dec(10) << QList<int>{} << 0 << 0;
    QTest::newRow("one day") << dec(2) << dec(3) << QList<int>{2} << 2 << 1;
    QTest::newRow("decades wide starts at data")
        << QDateTime(QDate(1990, 1, 1), QTime(0, 0), Qt::UTC) << dec(11) << QList<int>{9} << 9 << 2;
}

void TestDailyUsageModel::setDaysFillsTheRange()
{
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(QList<int>, activeDays);
    QFETCH(int, firstDay);
    QFETCH(int, rows);

    DailyUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DailyMetricsQuery q;
    q.from = from;
    q.to = to;
    model.setQuery(q); // no client: nothing is fetched
    QVERIFY(!model.loading());
    QList<DailyMetrics> days;
    for (int day : activeDays) {
        DailyMetrics d;
        d.date = QDate(2026, 12, day);
        d.countTraces = day;
        d.totalCost = day / 100.0;
        DailyModelUsage u;
        u.model = QStringLiteral("gpt-4o");
        u.inputUsage = 10 * day;
        u.outputUsage = day;
        u.totalUsage = 11 * day;
        d.usage = {u};
        days.prepend(d); // newest first, as the API sends them
        days.append(d);  // and a day repeated across pages counts once
    }
    model.setDays(days);
    QCOMPARE(model.rowCount(), rows);
    if (rows == 0)
        return;
    QCOMPARE(model.day(0).date, QDate(2026, 12, firstDay));
    qint64 traces = 0;
    for (int row = 0; row < rows; ++row) {
        const DailyUsageModel::Day &d = model.day(row);
        QCOMPARE(d.date, QDate(2026, 12, firstDay).addDays(row));
        QCOMPARE(d.traces, activeDays.contains(d.date.day()) ? d.date.day() : 0);
        traces += d.traces;
    }
    qint64 expected = 0;
    for (int day : activeDays)
        expected += day;
    QCOMPARE(traces, expected);
    if (!activeDays.isEmpty()) {
        const int maxDay = *std::max_element(activeDays.cbegin(), activeDays.cend());
        QCOMPARE(model.maxTraces(), maxDay);
        QCOMPARE(model.maxTokens(), 11 * maxDay);
        QCOMPARE(model.modelUsage()->rowCount(), 1);
        QCOMPARE(model.modelUsage()->row(0).totalTokens, 11 * expected);
    }
}

void TestDailyUsageModel::rawDisplayForChartMappers()
{
    DailyUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DailyMetricsQuery q;
    q.from = QDateTime(QDate(2026, 12, 1), QTime(0, 0), Qt::UTC);
    q.to = q.from.addDays(2);
    model.setQuery(q);
    DailyMetrics d;
    d.date = QDate(2026, 12, 2);
    d.countTraces = 1234;
    d.totalCost = 12.5;
    model.setDays({d});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, DailyUsageModel::TracesColumn).data().toString(),
             QStringLiteral("1,234"));
    QCOMPARE(model.index(1, DailyUsageModel::CostColumn).data().toString(),
             QStringLiteral("$12.50"));
    QCOMPARE(model.index(1, DailyUsageModel::DateColumn).data().toString(),
             QStringLiteral("2026-12-02"));
    QCOMPARE(model.index(1, DailyUsageModel::TracesColumn)
                 .data(DailyUsageModel::FractionRole)
                 .toDouble(),
             1.0);
    QCOMPARE(model.index(0, DailyUsageModel::TracesColumn)
                 .data(DailyUsageModel::FractionRole)
                 .toDouble(),
             0.0);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setRawDisplay(true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(1, DailyUsageModel::TracesColumn).data().toLongLong(), 1234);
    QCOMPARE(model.index(1, DailyUsageModel::CostColumn).data().toDouble(), 12.5);
    QCOMPARE(model.index(1, DailyUsageModel::DateColumn).data().toDateTime(),
             QDateTime(d.date, QTime(0, 0), Qt::UTC));
}

void TestDailyUsageModel::modelUsageSortsByCost()
{
    ModelUsageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    DailyMetrics day1;
    day1.date = QDate(2026, 12, 1);
    DailyMetrics day2;
    day2.date = QDate(2026, 12, 2);
    const auto usage = [](const char *name, qint64 in, qint64 out, double cost) {
        DailyModelUsage u;
        u.model = QLatin1String(name);
        u.inputUsage = in;
        u.outputUsage = out;
        u.totalUsage = in + out;
        u.totalCost = cost;
        u.countObservations = 1;
        return u;
    };
    day1.usage = {usage("cheap", 1000, 10, 0.01), usage("", 5, 5, 0)};
    day2.usage = {usage("dear", 100, 100, 2.0), usage("cheap", 1000, 10, 0.01)};
    model.setDays({day1, day2});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.row(0).model, QStringLiteral("dear"));
    QCOMPARE(model.row(1).model, QStringLiteral("cheap"));
    QCOMPARE(model.row(1).inputTokens, 2000);
    QCOMPARE(model.row(1).observations, 2);
    QCOMPARE(model.row(1).cost, 0.02);
    QCOMPARE(model.index(2, ModelUsageModel::ModelColumn).data().toString(),
             QStringLiteral("(no model)"));
    QCOMPARE(
        model.index(2, ModelUsageModel::ModelColumn).data(ModelUsageModel::ModelRole).toString(),
        QString());
    QCOMPARE(model.maxCost(), 2.0);
    QCOMPARE(model.maxTokens(), 2020);
    QCOMPARE(model.totalTokens(), 2230);
    QCOMPARE(model.roleNames().value(ModelUsageModel::FractionRole), QByteArray("fraction"));
}

QTEST_GUILESS_MAIN(TestDailyUsageModel)
#include "tst_dailyusagemodel.moc"
