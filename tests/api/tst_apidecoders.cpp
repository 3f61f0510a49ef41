// SPDX-License-Identifier: GPL-3.0-or-later
// The strict decoders of api/ over the fixtures in tests/data (answers of the local server
// and Langfuse-shaped answers): what must decode does, every missing required field and
// wrong type is an error naming its JSON path, unknown fields are ignored, null stays empty.
#include "api/jsonreader.h"
#include "api/urlencoding.h"
#include "tests/support/decoders.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

namespace {

QJsonDocument fixture(const QString &name)
{
    QFile file(QStringLiteral(XEROML_TEST_DATA "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return QJsonDocument::fromJson(file.readAll());
}

// Replaces (or with an undefined value, removes) the value at a path like "data/0/timestamp".
QJsonValue edit(const QJsonValue &node, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QString head = path.takeFirst();
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const int i = head.toInt();
        array[i] = edit(array.at(i), path, value);
        return array;
    }
    QJsonObject object = node.toObject();
    if (path.isEmpty() && value.isUndefined())
        object.remove(head);
    else
        object[head] = edit(object.value(head), path, value);
    return object;
}

QJsonDocument edited(const QJsonDocument &doc, const QString &path, const QJsonValue &value)
{
    const QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    const QJsonValue result = edit(root, path.split(QLatin1Char('/')), value);
    return result.isArray() ? QJsonDocument(result.toArray()) : QJsonDocument(result.toObject());
}

// Adds an unknown field to every object, recursively.
QJsonValue withUnknownFields(const QJsonValue &value)
{
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &v : value.toArray())
            array.append(withUnknownFields(v));
        return array;
    }
    if (!value.isObject())
        return value;
    QJsonObject object;
    const QJsonObject source = value.toObject();
    for (auto it = source.begin(); it != source.end(); ++it)
        object.insert(it.key(), withUnknownFields(it.value()));
    object.insert(QLatin1String("zzUnknownFieldFromTheFuture"), QJsonArray{1, QStringLiteral("x")});
    return object;
}

} // namespace

class TestApiDecoders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixturesDecode_data();
    void fixturesDecode();
    void unknownFieldsAreIgnored_data() { fixturesDecode_data(); }
    void unknownFieldsAreIgnored();
    void missingRequiredField_data();
    void missingRequiredField();
    void wrongType_data();
    void wrongType();
    void notAnObject();
    void langfuseTraceLeavesTokensEmpty();
    void langfuseDetailKeepsNullsEmpty();
    void langfuseScores();
    void langfuseMetricsStrings();
    void averageScoreNullIsNotZero();
    void isoTimes_data();
    void isoTimes();
    void pathSegments_data();
    void pathSegments();
};

void TestApiDecoders::fixturesDecode_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<int>("items");
    QTest::newRow("users") << "users_page.json"
                           << "users" << 5;
    QTest::newRow("traces") << "traces_page.json"
                            << "traces" << 3;
    QTest::newRow("trace") << "trace_detail.json"
                           << "trace" << 1;
    QTest::newRow("sessions") << "sessions_page.json"
                              << "sessions" << 3;
    QTest::newRow("session") << "session_detail.json"
                             << "session" << 1;
    QTest::newRow("scores") << "scores_page.json"
                            << "scores" << 4;
    QTest::newRow("daily") << "daily_metrics_page.json"
                           << "daily" << 2;
    QTest::newRow("projects") << "projects.json"
                              << "projects" << 1;
    QTest::newRow("metrics") << "metrics_rows.json"
                             << "metrics" << 4;
    QTest::newRow("langfuse traces") << "langfuse_traces_page.json"
                                     << "traces" << 2;
    QTest::newRow("langfuse trace") << "langfuse_trace_detail.json"
                                    << "trace" << 1;
    QTest::newRow("langfuse scores") << "langfuse_scores_page.json"
                                     << "scores" << 3;
    QTest::newRow("langfuse sessions") << "langfuse_sessions_page.json"
                                       << "sessions" << 2;
    QTest::newRow("langfuse metrics") << "langfuse_metrics_rows.json"
                                      << "metrics" << 2;
    QTest::newRow("langfuse daily") << "langfuse_daily_metrics_page.json"
                                    << "daily" << 1;
    QTest::newRow("cost histogram") << "user_cost_histogram.json"
                                    << "costHistogram" << 1;
}

void TestApiDecoders::fixturesDecode()
{
    QFETCH(QString, file);
    QFETCH(QString, decoder);
    QFETCH(int, items);
    QString error;
    QCOMPARE(decoders::run(decoder, fixture(file), &error), items);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestApiDecoders::unknownFieldsAreIgnored()
{
    QFETCH(QString, file);
    QFETCH(QString, decoder);
    QFETCH(int, items);
    const QJsonDocument doc = fixture(file);
    const QJsonValue extended = withUnknownFields(doc.object());
    QString error;
    QCOMPARE(decoders::run(decoder, QJsonDocument(extended.toObject()), &error), items);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestApiDecoders::missingRequiredField_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    const QStringList userFields{
        "userId",      "totalTraces",  "totalSessions", "totalObservations",
        "inputTokens", "outputTokens", "totalTokens",   "totalCost",
        "scoreCount",  "firstTraceAt", "lastTraceAt"};
    for (const QString &f : userFields)
        QTest::addRow("users %s", qPrintable(f)) << "users_page.json"
                                                 << "users"
                                                 << "data/2/" + f << "data[2]." + f + ": missing";
    QTest::newRow("users meta") << "users_page.json"
                                << "users"
                                << "meta/totalItems"
                                << "meta.totalItems: missing";
    QTest::newRow("users data") << "users_page.json"
                                << "users"
                                << "data"
                                << "data: missing";
    QTest::newRow("trace id") << "traces_page.json"
                              << "traces"
                              << "data/1/id"
                              << "data[1].id: missing";
    QTest::newRow("trace timestamp") << "traces_page.json"
                                     << "traces"
                                     << "data/0/timestamp"
                                     << "data[0].timestamp: missing";
    QTest::newRow("observation startTime") << "trace_detail.json"
                                           << "trace"
                                           << "observations/1/startTime"
                                           << "observations[1].startTime: missing";
    QTest::newRow("observation type") << "langfuse_trace_detail.json"
                                      << "trace"
                                      << "observations/0/type"
                                      << "observations[0].type: missing";
    QTest::newRow("detail score name") << "langfuse_trace_detail.json"
                                       << "trace"
                                       << "scores/0/name"
                                       << "scores[0].name: missing";
    QTest::newRow("session createdAt") << "sessions_page.json"
                                       << "sessions"
                                       << "data/0/createdAt"
                                       << "data[0].createdAt: missing";
    QTest::newRow("session trace timestamp") << "session_detail.json"
                                             << "session"
                                             << "traces/0/timestamp"
                                             << "traces[0].timestamp: missing";
    QTest::newRow("session traces") << "session_detail.json"
                                    << "session"
                                    << "traces"
                                    << "traces: missing";
    QTest::newRow("score dataType") << "scores_page.json"
                                    << "scores"
                                    << "data/3/dataType"
                                    << "data[3].dataType: missing";
    QTest::newRow("score timestamp") << "langfuse_scores_page.json"
                                     << "scores"
                                     << "data/2/timestamp"
                                     << "data[2].timestamp: missing";
    QTest::newRow("daily date") << "daily_metrics_page.json"
                                << "daily"
                                << "data/1/date"
                                << "data[1].date: missing";
    QTest::newRow("daily usage model tokens") << "langfuse_daily_metrics_page.json"
                                              << "daily"
                                              << "data/0/usage/1/totalUsage"
                                              << "data[0].usage[1].totalUsage: missing";
    QTest::newRow("project name") << "projects.json"
                                  << "projects"
                                  << "data/0/name"
                                  << "data[0].name: missing";
    QTest::newRow("metrics key") << "metrics_rows.json"
                                 << "metrics"
                                 << "data/3/sum_totalCost"
                                 << "data[3].sum_totalCost: missing";
    for (const QString f : {"zeroCostUsers", "totalUsers", "buckets"})
        QTest::addRow("cost histogram %s", qPrintable(f))
            << "user_cost_histogram.json"
            << "costHistogram" << f << f + ": missing";
    for (const QString f : {"lowerUsd", "upperUsd", "users"})
        QTest::addRow("cost bucket %s", qPrintable(f))
            << "user_cost_histogram.json"
            << "costHistogram"
            << "buckets/2/" + f << "buckets[2]." + f + ": missing";
    QTest::newRow("metrics dimension") << "langfuse_metrics_rows.json"
                                       << "metrics"
                                       << "data/1/userId"
                                       << "data[1].userId: missing";
}

void TestApiDecoders::missingRequiredField()
{
    QFETCH(QString, file);
    QFETCH(QString, decoder);
    QFETCH(QString, path);
    QFETCH(QString, message);
    QString error;
    QCOMPARE(decoders::run(decoder, edited(fixture(file), path, QJsonValue::Undefined), &error),
             -1);
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestApiDecoders::wrongType_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("count as string") << "users_page.json"
                                     << "users"
                                     << "data/1/totalTraces" << QJsonValue(QStringLiteral("12"))
                                     << "data[1].totalTraces: expected an integer";
    QTest::newRow("fractional tokens")
        << "users_page.json"
        << "users"
        << "data/1/inputTokens" << QJsonValue(1.5) << "data[1].inputTokens";
    QTest::newRow("cost as null") << "users_page.json"
                                  << "users"
                                  << "data/0/totalCost" << QJsonValue(QJsonValue::Null)
                                  << "data[0].totalCost";
    QTest::newRow("average as string") << "users_page.json"
                                       << "users"
                                       << "data/0/averageScore" << QJsonValue(QStringLiteral("0.5"))
                                       << "data[0].averageScore: expected a number or null";
    QTest::newRow("bad time") << "users_page.json"
                              << "users"
                              << "data/4/lastTraceAt" << QJsonValue(QStringLiteral("yesterday"))
                              << "data[4].lastTraceAt: not an ISO 8601 time";
    QTest::newRow("environments not array")
        << "users_page.json"
        << "users"
        << "data/0/environments" << QJsonValue(QStringLiteral("production"))
        << "data[0].environments";
    QTest::newRow("tag not string") << "traces_page.json"
                                    << "traces"
                                    << "data/0/tags" << QJsonValue(QJsonArray{1}) << "data[0].tags";
    QTest::newRow("latency as string")
        << "traces_page.json"
        << "traces"
        << "data/2/latency" << QJsonValue(QStringLiteral("1s")) << "data[2].latency";
    QTest::newRow("usage not numbers")
        << "trace_detail.json"
        << "trace"
        << "observations/0/usageDetails" << QJsonValue(QJsonObject{{"input", "many"}})
        << "observations[0].usageDetails";
    QTest::newRow("observations not array")
        << "trace_detail.json"
        << "trace"
        << "observations" << QJsonValue(QJsonObject{}) << "observations";
    QTest::newRow("observation not object")
        << "trace_detail.json"
        << "trace"
        << "observations/0" << QJsonValue(7) << "observations[0]";
    QTest::newRow("score trace not object")
        << "langfuse_scores_page.json"
        << "scores"
        << "data/0/trace" << QJsonValue(QStringLiteral("u")) << "data[0].trace";
    QTest::newRow("score trace user") << "langfuse_scores_page.json"
                                      << "scores"
                                      << "data/0/trace/userId" << QJsonValue(42) << "trace.userId";
    QTest::newRow("daily date") << "daily_metrics_page.json"
                                << "daily"
                                << "data/0/date" << QJsonValue(QStringLiteral("12/04/2026"))
                                << "date";
    QTest::newRow("session userIds")
        << "sessions_page.json"
        << "sessions"
        << "data/1/userIds" << QJsonValue(QJsonObject{}) << "data[1].userIds";
    QTest::newRow("metrics number as text")
        << "metrics_rows.json"
        << "metrics"
        << "data/0/sum_totalCost" << QJsonValue(QStringLiteral("lots")) << "data[0].sum_totalCost";
    QTest::newRow("data not array") << "scores_page.json"
                                    << "scores"
                                    << "data" << QJsonValue(QJsonObject{}) << "data";
    QTest::newRow("row not object") << "scores_page.json"
                                    << "scores"
                                    << "data/1" << QJsonValue(QStringLiteral("x")) << "data[1]";
    QTest::newRow("meta not object") << "scores_page.json"
                                     << "scores"
                                     << "meta" << QJsonValue(QJsonArray{}) << "meta";
    QTest::newRow("histogram total off")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "totalUsers" << QJsonValue(61)
        << "totalUsers: 61 is not zeroCostUsers plus the buckets' users";
    QTest::newRow("bucket users negative")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "buckets/1/users" << QJsonValue(-1) << "buckets[1].users: must not be negative";
    QTest::newRow("bucket upside down")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "buckets/0/upperUsd" << QJsonValue(0.0001) << "buckets[0].upperUsd";
    QTest::newRow("bucket at zero")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "buckets/0/lowerUsd" << QJsonValue(0) << "buckets[0].lowerUsd";
    QTest::newRow("buckets overlap")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "buckets/3/lowerUsd" << QJsonValue(0.5) << "buckets[3]: overlaps";
    QTest::newRow("users fractional")
        << "user_cost_histogram.json"
        << "costHistogram"
        << "zeroCostUsers" << QJsonValue(1.5) << "zeroCostUsers: expected an integer";
    QTest::newRow("huge integer") << "users_page.json"
                                  << "users"
                                  << "data/0/totalTokens" << QJsonValue(1e300)
                                  << "data[0].totalTokens";
}

void TestApiDecoders::wrongType()
{
    QFETCH(QString, file);
    QFETCH(QString, decoder);
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);
    QString error;
    QCOMPARE(decoders::run(decoder, edited(fixture(file), path, value), &error), -1);
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestApiDecoders::notAnObject()
{
    for (const QString &name : decoders::names()) {
        QString error;
        QCOMPARE(decoders::run(name, QJsonDocument(QJsonArray{1, 2}), &error), -1);
        QVERIFY(!error.isEmpty());
        error.clear();
        QCOMPARE(decoders::run(name, QJsonDocument(), &error), -1);
    }
}

void TestApiDecoders::langfuseTraceLeavesTokensEmpty()
{
    QString error;
    const auto page =
        decodePage<TraceSummary>(fixture(QStringLiteral("langfuse_traces_page.json")), &error);
    QVERIFY2(page, qPrintable(error));
    const TraceSummary &t = page->items.at(0);
    QCOMPARE(t.userId, QStringLiteral("u-42"));
    QVERIFY(!t.inputTokens.has_value()); // the server did not say: not 0
    QVERIFY(!t.totalTokens.has_value());
    QVERIFY(!t.observationCount.has_value());
    QCOMPARE(t.totalCost, 0.000215);
    QVERIFY(t.output.isNull());
    QCOMPARE(t.timestamp, QDateTime(QDate(2026, 12, 1), QTime(9, 15, 2, 123), Qt::UTC));
    const TraceSummary &bare = page->items.at(1);
    QVERIFY(bare.userId.isEmpty());
    QVERIFY(bare.metadata.isUndefined());
    QCOMPARE(bare.scores, QStringList{QStringLiteral("sc-1")});
}

void TestApiDecoders::langfuseDetailKeepsNullsEmpty()
{
    QString error;
    const auto d =
        decodeObject<TraceDetail>(fixture(QStringLiteral("langfuse_trace_detail.json")), &error);
    QVERIFY2(d, qPrintable(error));
    QCOMPARE(d->observations.size(), 2);
    const Observation &gen = d->observations.at(0);
    QCOMPARE(gen.usageDetails.value(QStringLiteral("total")), 160.0);
    QCOMPARE(gen.costDetails.value(QStringLiteral("output")), 0.000024);
    QCOMPARE(gen.completionStartTime, QDateTime(QDate(2026, 12, 1), QTime(9, 15, 2, 500), Qt::UTC));
    const Observation &span = d->observations.at(1);
    QCOMPARE(span.parentObservationId, QStringLiteral("obs-1"));
    QVERIFY(!span.endTime.isValid());
    QVERIFY(!span.latency.has_value());
    QVERIFY(!span.calculatedTotalCost.has_value());
    QVERIFY(span.usageDetails.isEmpty());
    QCOMPARE(d->scores.size(), 1);
    QVERIFY(!d->scores.first().value.has_value()); // categorical: no number, not 0
    QCOMPARE(d->scores.first().stringValue, QStringLiteral("good"));
    QCOMPARE(d->trace.scores, QStringList{QStringLiteral("sc-1")});
}

void TestApiDecoders::langfuseScores()
{
    QString error;
    const auto page =
        decodePage<Score>(fixture(QStringLiteral("langfuse_scores_page.json")), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->items.at(0).traceUserId, QStringLiteral("u-42"));
    QCOMPARE(page->items.at(0).authorUserId, QStringLiteral("annotator-3"));
    QVERIFY(page->items.at(1).traceUserId.isEmpty());
    QCOMPARE(page->items.at(2).sessionId, QStringLiteral("chat-7"));
    QVERIFY(page->items.at(2).traceId.isEmpty());
    QCOMPARE(page->items.at(2).value, 0.875);
    QCOMPARE(page->items.at(2).timestamp,
             QDateTime(QDate(2026, 12, 2), QTime(8, 0, 2, 500), Qt::UTC));
}

void TestApiDecoders::langfuseMetricsStrings()
{
    QString error;
    const auto rows = decodeMetricsRows(fixture(QStringLiteral("langfuse_metrics_rows.json")),
                                        decoders::metricsQuery(), &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->at(0).metric(QStringLiteral("count_count")), 17.0);
    QCOMPARE(rows->at(0).metric(QStringLiteral("sum_totalCost")), 1.25);
    QVERIFY(rows->at(1).dimension(QStringLiteral("userId")).isNull());
    QVERIFY(!rows->at(1).metric(QStringLiteral("sum_totalCost")).has_value());
}

void TestApiDecoders::averageScoreNullIsNotZero()
{
    const QJsonDocument doc = fixture(QStringLiteral("users_page.json"));
    QString error;
    auto page = decodePage<UserSummary>(
        edited(doc, QStringLiteral("data/0/averageScore"), QJsonValue::Null), &error);
    QVERIFY2(page, qPrintable(error));
    QVERIFY(!page->items.at(0).averageScore.has_value());
    page = decodePage<UserSummary>(edited(doc, QStringLiteral("data/0/averageScore"), 0), &error);
    QVERIFY2(page, qPrintable(error));
    QCOMPARE(page->items.at(0).averageScore, 0.0);
    page = decodePage<UserSummary>(
        edited(doc, QStringLiteral("data/0/averageScore"), QJsonValue::Undefined), &error);
    QVERIFY2(page, qPrintable(error));
    QVERIFY(!page->items.at(0).averageScore.has_value());
}

void TestApiDecoders::isoTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime t(QDate(2026, 12, 4), QTime(15, 5, 1, 123), Qt::UTC);
    QTest::newRow("ms Z") << "2026-12-04T15:05:01.123Z" << t;
    QTest::newRow("offset") << "2026-12-04T17:05:01.123+02:00" << t;
    QTest::newRow("no ms") << "2026-12-04T15:05:01Z" << t.addMSecs(-123);
    QTest::newRow("garbage") << "04.12.2026" << QDateTime();
    QTest::newRow("empty") << "" << QDateTime();
}

void TestApiDecoders::isoTimes()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    QCOMPARE(parseIsoTime(text), expected);
    if (expected.isValid())
        QCOMPARE(parseIsoTime(text).timeSpec(), Qt::UTC);
}

void TestApiDecoders::pathSegments_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("encoded");
    QTest::newRow("plain") << "tr-1_a.b~c"
                           << "tr-1_a.b~c";
    QTest::newRow("slash") << "team/alpha"
                           << "team%2Falpha";
    QTest::newRow("percent") << "100%"
                             << "100%25";
    QTest::newRow("space plus") << "a b+c"
                                << "a%20b%2Bc";
    QTest::newRow("query chars") << "?#&="
                                 << "%3F%23%26%3D";
    QTest::newRow("dots") << ".."
                          << "..";
    QTest::newRow("unicode") << "Ωé"
                             << "%CE%A9%C3%A9";
}

void TestApiDecoders::pathSegments()
{
    QFETCH(QString, id);
    QFETCH(QString, encoded);
    QCOMPARE(encodePathSegment(id), encoded);
}

QTEST_GUILESS_MAIN(TestApiDecoders)
#include "tst_apidecoders.moc"
