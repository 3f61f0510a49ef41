// SPDX-License-Identifier: GPL-3.0-or-later
// ScoreListModel against the real local server, under QAbstractItemModelTester.
#include "models/scorelistmodel.h"
#include "tests/models/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace ModelTestSupport;

class TestScoreListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyScoreOfTheUserOnce();
    void filtersOnTheServer_data();
    void filtersOnTheServer();
    void changedQueryDropsTheLateReply();
    void errorIsShown();
    void valuesForPeople_data();
    void valuesForPeople();

private:
    [[nodiscard]] qint64 apiTotal(const ScoresQuery &query) const;

    TestServer m_server;
    QList<UserSummary> m_users; // heaviest first
};

void TestScoreListModel::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error), qPrintable(error));
    m_users = heaviestUsers(m_server, 2);
    QCOMPARE(m_users.size(), 2);
}

qint64 TestScoreListModel::apiTotal(const ScoresQuery &query) const
{
    ApiClient client;
    client.setConnection(connection(m_server));
    ScoresQuery q = query;
    q.limit = 1;
    Waiter<Page<Score>> waiter;
    client.scores(q, &client, waiter.callback());
    if (!waiter.wait() || !waiter.ok())
        return -1;
    return waiter.result->value().meta.totalItems;
}

void TestScoreListModel::everyScoreOfTheUserOnce()
{
    const UserSummary &user = m_users.first();
    ApiClient client;
    client.setConnection(connection(m_server));
    ScoreListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSizes(5, 10);
    ScoresQuery q;
    q.userId = user.userId;
    model.setQuery(q);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const qint64 total = apiTotal(q);
    QVERIFY(total > 10); // several pages
    QCOMPARE(model.totalCount(), total);
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QVERIFY(QTest::qWaitFor([&] { return !model.loading(); }, 10000));
    }
    QCOMPARE(model.rowCount(), int(total));
    QSet<QString> ids;
    qint64 numeric = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Score &s = model.score(row);
        ids.insert(s.id);
        if (row > 0)
            QVERIFY(model.score(row - 1).timestamp >= s.timestamp); // newest first
        QCOMPARE(model.index(row, ScoreListModel::CommentColumn).data(ScoreListModel::TraceIdRole),
                 QVariant(s.traceId));
        QCOMPARE(model.index(row, ScoreListModel::TraceColumn).data().toString(), s.traceId);
        const QVariant value =
            model.index(row, ScoreListModel::ValueColumn).data(ScoreListModel::ValueRole);
        const QString text = model.index(row, ScoreListModel::ValueColumn).data().toString();
        if (s.dataType == QLatin1String("NUMERIC")) {
            ++numeric;
            QCOMPARE(value.typeId(), QMetaType::Double);
            QCOMPARE(text, QString::number(*s.value, 'f', 2));
        } else if (s.dataType == QLatin1String("BOOLEAN")) {
            QCOMPARE(value.typeId(), QMetaType::Bool);
            QVERIFY(text == QLatin1String("True") || text == QLatin1String("False"));
        } else {
            QCOMPARE(s.dataType, QStringLiteral("CATEGORICAL"));
            QCOMPARE(text, s.stringValue);
            QVERIFY(!text.isEmpty());
        }
    }
    QCOMPARE(ids.size(), model.rowCount());
    QCOMPARE(numeric, user.scoreCount); // /users counts the numeric scores
}

void TestScoreListModel::filtersOnTheServer_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::newRow("NUMERIC") << "dataType"
                             << "NUMERIC";
    QTest::newRow("BOOLEAN") << "dataType"
                             << "BOOLEAN";
    QTest::newRow("CATEGORICAL") << "dataType"
                                 << "CATEGORICAL";
    QTest::newRow("API") << "source"
                         << "API";
    QTest::newRow("ANNOTATION") << "source"
                                << "ANNOTATION";
    QTest::newRow("EVAL") << "source"
                          << "EVAL";
    QTest::newRow("name") << "name"
                          << "";
}

void TestScoreListModel::filtersOnTheServer()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    ApiClient client;
    client.setConnection(connection(m_server));
    ScoreListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ScoresQuery q;
    q.userId = m_users.first().userId;
    model.setQuery(q);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    const qint64 all = model.totalCount();
    if (field == QLatin1String("dataType"))
        q.dataType = value;
    else if (field == QLatin1String("source"))
        q.source = value;
    else
        q.name = value = model.score(0).name;
    model.setQuery(q);
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.totalCount(), apiTotal(q));
    QVERIFY(model.totalCount() < all);
    for (int row = 0; row < model.rowCount(); ++row) {
        const Score &s = model.score(row);
        const QString actual = field == QLatin1String("dataType") ? s.dataType
                               : field == QLatin1String("source") ? s.source
                                                                  : s.name;
        QCOMPARE(actual, value);
        QCOMPARE(model.index(row, ScoreListModel::DataTypeColumn).data().toString(), s.dataType);
        QCOMPARE(model.index(row, ScoreListModel::SourceColumn).data().toString(), s.source);
    }
}

void TestScoreListModel::changedQueryDropsTheLateReply()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    ScoreListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ScoresQuery q;
    q.userId = m_users.at(0).userId;
    model.setQuery(q);
    model.setClient(&client); // request 1 in flight
    q.userId = m_users.at(1).userId;
    model.setQuery(q); // request 2 replaces it before it answers
    QVERIFY(waitLoaded(model));
    QTest::qWait(100);
    QCOMPARE(model.totalCount(), apiTotal(q));
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.score(row).traceUserId, m_users.at(1).userId);
}

void TestScoreListModel::errorIsShown()
{
    ApiClient client;
    Connection bad = connection(m_server);
    bad.secretKey = QStringLiteral("sk-not-the-key");
    client.setConnection(bad);
    ScoreListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QVERIFY(waitLoaded(model));
    QVERIFY(!model.errorString().isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestScoreListModel::valuesForPeople_data()
{
    QTest::addColumn<QString>("dataType");
    QTest::addColumn<QVariant>("value"); // double or null
    QTest::addColumn<QString>("stringValue");
    QTest::addColumn<QString>("display");
    QTest::addColumn<QVariant>("raw");

    QTest::newRow("numeric") << "NUMERIC" << QVariant(0.756) << ""
                             << "0.76" << QVariant(0.756);
    QTest::newRow("numeric negative") << "NUMERIC" << QVariant(-2.0) << ""
                                      << "-2.00" << QVariant(-2.0);
    QTest::newRow("numeric missing") << "NUMERIC" << QVariant() << ""
                                     << "–" << QVariant();
    QTest::newRow("boolean 1") << "BOOLEAN" << QVariant(1.0) << "True"
                               << "True" << QVariant(true);
    QTest::newRow("boolean 0") << "BOOLEAN" << QVariant(0.0) << "False"
                               << "False" << QVariant(false);
    QTest::newRow("boolean as text") << "BOOLEAN" << QVariant() << "true"
                                     << "true" << QVariant(true);
    QTest::newRow("categorical") << "CATEGORICAL" << QVariant() << "positive"
                                 << "positive" << QVariant(QStringLiteral("positive"));
    QTest::newRow("categorical with number") << "CATEGORICAL" << QVariant(2.0) << "neutral"
                                             << "neutral" << QVariant(QStringLiteral("neutral"));
    QTest::newRow("no type, text") << "" << QVariant() << "good"
                                   << "good" << QVariant(QStringLiteral("good"));
}

void TestScoreListModel::valuesForPeople()
{
    QFETCH(QString, dataType);
    QFETCH(QVariant, value);
    QFETCH(QString, stringValue);
    QFETCH(QString, display);
    QFETCH(QVariant, raw);
    ScoreListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Score s;
    s.id = QStringLiteral("sc-1");
    s.traceId = QStringLiteral("tr-1");
    s.name = QStringLiteral("helpfulness");
    s.dataType = dataType;
    if (value.isValid())
        s.value = value.toDouble();
    s.stringValue = stringValue;
    s.comment = QStringLiteral("first line\nsecond line");
    s.timestamp = QDateTime::currentDateTimeUtc().addSecs(-7200);
    Page<Score> page;
    page.items = {s, s};
    page.meta.totalItems = 1;
    model.appendPage(page);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ScoreListModel::ValueColumn).data().toString(), display);
    QCOMPARE(model.index(0, ScoreListModel::ValueColumn).data(ScoreListModel::ValueRole), raw);
    QCOMPARE(model.index(0, ScoreListModel::CommentColumn).data().toString(),
             QStringLiteral("first line"));
    QCOMPARE(model.index(0, ScoreListModel::CommentColumn).data(Qt::ToolTipRole).toString(),
             s.comment);
    QCOMPARE(model.index(0, ScoreListModel::TimeColumn).data().toString(),
             QStringLiteral("2 h ago"));
    QCOMPARE(
        model.index(0, ScoreListModel::NameColumn).data(ScoreListModel::ScoreIdRole).toString(),
        s.id);
    QCOMPARE(model.roleNames().value(ScoreListModel::TraceIdRole), QByteArray("traceId"));
}

QTEST_GUILESS_MAIN(TestScoreListModel)
#include "tst_scorelistmodel.moc"
