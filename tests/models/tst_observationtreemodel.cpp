// SPDX-License-Identifier: GPL-3.0-or-later
// ObservationTreeModel: tree shape from parent links (orphans, cycles, deep nesting), the
// trace's time scale, the detail text, and a real trace from the local server.
#include "models/observationtreemodel.h"
#include "tests/models/modeltestsupport.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace ModelTestSupport;

namespace {

const QDateTime kT0(QDate(2026, 12, 1), QTime(10, 0), Qt::UTC);

/// "id<parent@startMs" items separated by spaces; no '<' = root; "@" optional.
TraceDetail traceFrom(const QString &spec)
{
    TraceDetail t;
    t.trace.id = QStringLiteral("trace-1");
    t.trace.timestamp = kT0;
    for (const QString &item : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        Observation o;
        QString rest = item;
        int start = 0;
        if (const qsizetype at = rest.indexOf(QLatin1Char('@')); at >= 0) {
            start = rest.mid(at + 1).toInt();
            rest = rest.left(at);
        }
        const QStringList parts = rest.split(QLatin1Char('<'));
        o.id = parts.at(0);
        o.parentObservationId = parts.size() > 1 ? parts.at(1) : QString();
        o.type = QStringLiteral("SPAN");
        o.name = o.id;
        o.startTime = kT0.addMSecs(start);
        o.endTime = o.startTime.addMSecs(100);
        t.observations.append(o);
    }
    return t;
}

/// The tree as text: "a(b,c)" with '!' after an orphan and '~' after a cycle member.
/// Recursive, for the small trees of the data-driven test only.
QString shape(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList items;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex i = model.index(row, 0, parent);
        QString text = i.data(ObservationTreeModel::ObservationIdRole).toString();
        if (i.data(ObservationTreeModel::OrphanRole).toBool())
            text += QLatin1Char('!');
        if (i.data(ObservationTreeModel::CycleRole).toBool())
            text += QLatin1Char('~');
        if (model.rowCount(i) > 0)
            text += QLatin1Char('(') + shape(model, i) + QLatin1Char(')');
        items.append(text);
    }
    return items.join(QLatin1Char(','));
}

} // namespace

class TestObservationTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void treeFromParentLinks_data();
    void treeFromParentLinks();
    void deepNestingWithoutRecursion();
    void longCycleIsRefused();
    void timeScaleFractions();
    void detailText();
    void realTraceFromTheServer();
    void changedTraceDropsTheLateReply();

private:
    TestServer m_server;
    QList<UserSummary> m_users;
};

void TestObservationTreeModel::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error, 4, 60), qPrintable(error));
    m_users = heaviestUsers(m_server, 1);
    QCOMPARE(m_users.size(), 1);
}

void TestObservationTreeModel::treeFromParentLinks_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("problem"); // a word the problems text must hold; empty = none

    QTest::newRow("empty") << ""
                           << ""
                           << "";
    QTest::newRow("one root") << "a"
                              << "a"
                              << "";
    QTest::newRow("children by start time") << "a@0 b<a@30 c<a@10 d<c@20"
                                            << "a(c(d),b)"
                                            << "";
    QTest::newRow("roots by start time") << "x@50 y@5"
                                         << "y,x"
                                         << "";
    QTest::newRow("equal starts keep the server's order") << "a b<a c<a"
                                                          << "a(b,c)"
                                                          << "";
    QTest::newRow("child listed before parent") << "b<a@10 a@0"
                                                << "a(b)"
                                                << "";
    QTest::newRow("orphan at top level") << "a@0 b<gone@10 c<b@20"
                                         << "a,b!(c)"
                                         << "missing";
    QTest::newRow("self parent") << "a<a"
                                 << "a~"
                                 << "cycle";
    QTest::newRow("two-cycle with a tail") << "a<b@0 b<a@10 c<a@20"
                                           << "a~(c),b~"
                                           << "cycle";
    QTest::newRow("three-cycle beside a sound tree") << "r@0 s<r@1 x<z@2 y<x@3 z<y@4"
                                                     << "r(s),x~,y~,z~"
                                                     << "cycle";
    QTest::newRow("duplicate id") << "a@0 a@5 b<a@1"
                                  << "a(b)"
                                  << "repeat";
}

void TestObservationTreeModel::treeFromParentLinks()
{
    QFETCH(QString, spec);
    QFETCH(QString, expected);
    QFETCH(QString, problem);
    ObservationTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &ObservationTreeModel::traceChanged);
    model.setTrace(traceFrom(spec));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(shape(model), expected);
    if (problem.isEmpty())
        QVERIFY2(model.problems().isEmpty(), qPrintable(model.problems()));
    else
        QVERIFY2(model.problems().contains(problem), qPrintable(model.problems()));
    // indexOf() and parent() agree with the walk above.
    for (const Observation &o : model.trace().observations) {
        const QModelIndex i = model.indexOf(o.id);
        QVERIFY(i.isValid());
        QCOMPARE(model.index(i.row(), 0, i.parent()), i);
    }
}

void TestObservationTreeModel::deepNestingWithoutRecursion()
{
    // 1,000 levels deep, then 4,000 leaves under the root: 5,000 observations.
    constexpr int kDepth = 1000;
    constexpr int kLeaves = 4000;
    TraceDetail t;
    t.trace.id = QStringLiteral("deep");
    t.observations.reserve(kDepth + kLeaves);
    for (int i = kDepth - 1; i >= 0; --i) { // deepest first: parents arrive after children
        Observation o;
        o.id = QStringLiteral("n%1").arg(i);
        o.parentObservationId = i == 0 ? QString() : QStringLiteral("n%1").arg(i - 1);
        o.type = QStringLiteral("SPAN");
        o.startTime = kT0.addMSecs(i);
        o.endTime = kT0.addMSecs(2 * kDepth - i);
        t.observations.append(o);
    }
    for (int i = 0; i < kLeaves; ++i) {
        Observation o;
        o.id = QStringLiteral("leaf%1").arg(i);
        o.parentObservationId = QStringLiteral("n0");
        o.type = QStringLiteral("EVENT");
        o.startTime = kT0.addMSecs(kLeaves - i); // reverse order: the model sorts them
        t.observations.append(o);
    }
    ObservationTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(t);
    QCOMPARE(model.observationCount(), kDepth + kLeaves);
    QVERIFY(model.problems().isEmpty());
    QCOMPARE(model.rowCount(), 1);
    QModelIndex i = model.index(0, 0);
    QCOMPARE(model.rowCount(i), kLeaves + 1);
    // The chain child starts at 1 ms, the leaves at 1…4000 ms: ties keep the server's order.
    for (int level = 1; level < kDepth; ++level) {
        QModelIndex next;
        for (int row = 0; row < model.rowCount(i); ++row) {
            const QModelIndex c = model.index(row, 0, i);
            if (c.data(ObservationTreeModel::ObservationIdRole).toString() ==
                QStringLiteral("n%1").arg(level)) {
                next = c;
                break;
            }
        }
        QVERIFY2(next.isValid(), qPrintable(QString::number(level)));
        QCOMPARE(next.parent(), i);
        i = next;
    }
    QCOMPARE(i.data(ObservationTreeModel::DepthRole).toInt(), kDepth - 1);
    QCOMPARE(model.rowCount(i), 0);
    QCOMPARE(model.indexOf(QStringLiteral("n999")), i);
    int up = 0;
    for (QModelIndex p = i; p.isValid(); p = p.parent())
        ++up;
    QCOMPARE(up, kDepth);
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(model.index(1, 0, root).data(ObservationTreeModel::StartTimeRole).toDateTime(),
             kT0.addMSecs(1));
}

void TestObservationTreeModel::longCycleIsRefused()
{
    constexpr int kLength = 3000;
    TraceDetail t;
    for (int i = 0; i < kLength; ++i) {
        Observation o;
        o.id = QStringLiteral("c%1").arg(i);
        o.parentObservationId = QStringLiteral("c%1").arg((i + 1) % kLength);
        o.startTime = kT0.addMSecs(i);
        t.observations.append(o);
    }
    ObservationTreeModel model;
    model.setTrace(t);
    QCOMPARE(model.rowCount(), kLength);
    QVERIFY(model.problems().contains(QStringLiteral("3000 observations")));
    for (int row = 0; row < kLength; row += 500) {
        QVERIFY(model.index(row, 0).data(ObservationTreeModel::CycleRole).toBool());
        QCOMPARE(model.rowCount(model.index(row, 0)), 0);
    }
}

void TestObservationTreeModel::timeScaleFractions()
{
    TraceDetail t = traceFrom(QStringLiteral("root@0 gen<root@250 ev<root@500"));
    t.observations[0].endTime = kT0.addMSecs(1000); // root: the whole second
    t.observations[1].endTime = kT0.addMSecs(750);  // gen: a quarter to three quarters
    t.observations[1].type = QStringLiteral("GENERATION");
    t.observations[1].model = QStringLiteral("gpt-4o");
    t.observations[1].usageDetails = {{QStringLiteral("input"), 1200},
                                      {QStringLiteral("output"), 34}};
    t.observations[1].calculatedTotalCost = 0.0042;
    t.observations[2].endTime = {}; // an event has no end
    ObservationTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(t);
    QCOMPARE(model.spanStart(), kT0);
    QCOMPARE(model.spanEnd(), kT0.addMSecs(1000));
    const QModelIndex root = model.index(0, 0);
    const QModelIndex gen = model.index(0, 0, root);
    const QModelIndex ev = model.index(1, 0, root);
    QCOMPARE(root.data(ObservationTreeModel::DurationFractionRole).toDouble(), 1.0);
    QCOMPARE(gen.data(ObservationTreeModel::StartFractionRole).toDouble(), 0.25);
    QCOMPARE(gen.data(ObservationTreeModel::DurationFractionRole).toDouble(), 0.5);
    QCOMPARE(ev.data(ObservationTreeModel::StartFractionRole).toDouble(), 0.5);
    QCOMPARE(ev.data(ObservationTreeModel::DurationFractionRole).toDouble(), 0.0);
    QCOMPARE(gen.data(ObservationTreeModel::LatencyRole).toDouble(), 0.5);
    QCOMPARE(gen.data(ObservationTreeModel::TotalTokensRole).toLongLong(), 1234);
    QVERIFY(!root.data(ObservationTreeModel::TotalTokensRole).isValid());
    const QModelIndex genRow = gen.siblingAtColumn(0);
    QCOMPARE(
        model.index(genRow.row(), ObservationTreeModel::TotalTokensColumn, root).data().toString(),
        QStringLiteral("1,234"));
    QCOMPARE(model.index(genRow.row(), ObservationTreeModel::CostColumn, root).data().toString(),
             QStringLiteral("$0.0042"));
    QCOMPARE(model.index(genRow.row(), ObservationTreeModel::StartColumn, root).data().toString(),
             QStringLiteral("+250 ms"));
    QCOMPARE(model.index(genRow.row(), ObservationTreeModel::ModelColumn, root).data().toString(),
             QStringLiteral("gpt-4o"));
    QCOMPARE(model.index(genRow.row(), ObservationTreeModel::TimelineColumn, root)
                 .data(ObservationTreeModel::DurationFractionRole)
                 .toDouble(),
             0.5);
    QCOMPARE(model.headerData(ObservationTreeModel::LatencyColumn, Qt::Horizontal, Qt::DisplayRole)
                 .toString(),
             QStringLiteral("Latency"));
}

void TestObservationTreeModel::detailText()
{
    TraceDetail t = traceFrom(QStringLiteral("gen"));
    Observation &o = t.observations[0];
    o.input = QJsonDocument::fromJson(R"([{"role":"system","content":"Be brief."},
        {"role":"user","content":[{"type":"text","text":"Hi"}]}])")
                  .array();
    o.output = QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                           {QStringLiteral("content"), QStringLiteral("Hello!")}};
    o.metadata = QJsonObject{{QStringLiteral("k"), 1}};
    o.level = QStringLiteral("ERROR");
    o.statusMessage = QStringLiteral("rate limited");
    t.trace.input = QStringLiteral("plain prompt");
    Score s;
    s.id = QStringLiteral("sc");
    s.name = QStringLiteral("correct");
    s.dataType = QStringLiteral("BOOLEAN");
    s.value = 1;
    t.scores = {s};
    ObservationTreeModel model;
    model.setTrace(t);
    const QVariantMap map = model.observation(model.index(0, 0));
    QCOMPARE(map.value(QStringLiteral("id")).toString(), QStringLiteral("gen"));
    const QVariantList in = map.value(QStringLiteral("inputMessages")).toList();
    QCOMPARE(in.size(), 2);
    QCOMPARE(in.at(1).toMap().value(QStringLiteral("content")).toString(), QStringLiteral("Hi"));
    const QVariantList out = map.value(QStringLiteral("outputMessages")).toList();
    QCOMPARE(out.size(), 1);
    QCOMPARE(out.at(0).toMap().value(QStringLiteral("role")).toString(),
             QStringLiteral("assistant"));
    QCOMPARE(map.value(QStringLiteral("metadata")).toString(),
             QStringLiteral("{\n    \"k\": 1\n}"));
    QVERIFY(map.value(QStringLiteral("input")).toString().contains(QStringLiteral("Be brief.")));
    QCOMPARE(map.value(QStringLiteral("statusMessage")).toString(), QStringLiteral("rate limited"));
    QCOMPARE(model.index(0, ObservationTreeModel::LevelColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("rate limited"));
    QVERIFY(model.observation({}).isEmpty());
    const QVariantMap trace = model.traceContent();
    QCOMPARE(trace.value(QStringLiteral("input")).toString(), QStringLiteral("plain prompt"));
    QVERIFY(trace.value(QStringLiteral("inputMessages")).toList().isEmpty());
    const QVariantList scores = model.scores();
    QCOMPARE(scores.size(), 1);
    QCOMPARE(scores.at(0).toMap().value(QStringLiteral("value")).toString(),
             QStringLiteral("True"));
}

void TestObservationTreeModel::realTraceFromTheServer()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    TracesQuery q;
    q.userId = m_users.first().userId;
    q.limit = 1;
    q.orderField = QStringLiteral("totalTokens"); // a trace with generations
    Waiter<Page<TraceSummary>> list;
    client.traces(q, &client, list.callback());
    QVERIFY(list.wait() && list.ok());
    const TraceSummary summary = list.result->value().items.at(0);

    ObservationTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    QSignalSpy changed(&model, &ObservationTreeModel::traceChanged);
    model.setTraceId(summary.id);
    QVERIFY(model.loading());
    QVERIFY(waitLoaded(model));
    QVERIFY(model.errorString().isEmpty());
    QCOMPARE(model.observationCount(), int(summary.observationCount.value_or(-1)));
    QVERIFY(model.problems().isEmpty());
    QVERIFY(model.rowCount() >= 1);
    // Every observation is reachable, and the generations' tokens add up to the trace's.
    qint64 tokens = 0;
    int seen = 0;
    QList<QModelIndex> stack{QModelIndex()};
    while (!stack.isEmpty()) {
        const QModelIndex parent = stack.takeLast();
        for (int row = 0; row < model.rowCount(parent); ++row) {
            const QModelIndex i = model.index(row, 0, parent);
            ++seen;
            tokens += i.data(ObservationTreeModel::TotalTokensRole).toLongLong();
            const double start = i.data(ObservationTreeModel::StartFractionRole).toDouble();
            const double length = i.data(ObservationTreeModel::DurationFractionRole).toDouble();
            QVERIFY(start >= 0 && start + length <= 1.0 + 1e-9);
            stack.append(i);
        }
    }
    QCOMPARE(seen, model.observationCount());
    QCOMPARE(tokens, summary.totalTokens.value_or(-1));
    QCOMPARE(model.traceContent().value(QStringLiteral("id")).toString(), summary.id);
    QVERIFY(!model.traceContent().value(QStringLiteral("inputMessages")).toList().isEmpty());
}

void TestObservationTreeModel::changedTraceDropsTheLateReply()
{
    ApiClient client;
    client.setConnection(connection(m_server));
    TracesQuery q;
    q.userId = m_users.first().userId;
    q.limit = 2;
    Waiter<Page<TraceSummary>> list;
    client.traces(q, &client, list.callback());
    QVERIFY(list.wait() && list.ok());
    QCOMPARE(list.result->value().items.size(), 2);
    ObservationTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClient(&client);
    model.setTraceId(list.result->value().items.at(0).id);
    model.setTraceId(list.result->value().items.at(1).id);
    QVERIFY(waitLoaded(model));
    QTest::qWait(100);
    QCOMPARE(model.trace().trace.id, list.result->value().items.at(1).id);
    model.setTraceId({});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.loading());
}

QTEST_GUILESS_MAIN(TestObservationTreeModel)
#include "tst_observationtreemodel.moc"
