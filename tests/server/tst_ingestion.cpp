// SPDX-License-Identifier: GPL-3.0-or-later
// POST /api/public/ingestion and /api/public/scores against the real local server over HTTP:
// what goes in comes back exactly from /users, /traces, /v2/scores and /metrics/daily.
#include "ingestfixture.h"

#include "server/ingestor.h"
#include "server/pricetable.h"
#include "server/store.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

QJsonObject ingestEvent(const QString &id, const QString &type, const QJsonObject &body,
                        const QString &timestamp = u"2026-11-30T10:00:00.000Z"_s)
{
    return QJsonObject{
        {u"id"_s, id}, {u"type"_s, type}, {u"timestamp"_s, timestamp}, {u"body"_s, body}};
}

QJsonObject traceBody(const QString &id, const QString &userId)
{
    return QJsonObject{
        {u"id"_s, id}, {u"userId"_s, userId}, {u"timestamp"_s, u"2026-11-30T10:00:00.000Z"_s}};
}

QJsonObject generation(const QString &id, const QString &traceId, const QJsonValue &model,
                       const QJsonObject &usage,
                       const QString &start = u"2026-11-30T10:00:01.000Z"_s)
{
    QJsonObject body{{u"id"_s, id}, {u"traceId"_s, traceId}, {u"startTime"_s, start}};
    if (!model.isNull())
        body.insert(u"model"_s, model);
    if (!usage.isEmpty())
        body.insert(u"usageDetails"_s, usage);
    return body;
}

// The observation with this id in a /traces/{id} answer.
QJsonObject observation(const QJsonObject &trace, const QString &id)
{
    for (const QJsonValue &value : trace.value(u"observations"_s).toArray()) {
        if (value.toObject().value(u"id"_s).toString() == id)
            return value.toObject();
    }
    return {};
}

QStringList ids(const QJsonArray &entries)
{
    QStringList list;
    for (const QJsonValue &entry : entries)
        list.append(entry.toObject().value(u"id"_s).toString());
    return list;
}

} // namespace

class TestIngestion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        // Demo rows first: ingestion lands next to existing data, with the columns loaded.
        QVERIFY2(m_fx.start(&error, 300), qPrintable(error));
    }

    void timeParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        for (const char *text :
             {"2026-11-30T10:00:00.000Z", "2026-11-30T10:00:00Z", "2026-11-30T10:00:00.5Z",
              "2024-02-29T23:59:59.999Z", "2026-11-30T10:00:00.123456Z",
              "2026-11-30T10:00:00.123+02:00", "2026-11-30T01:00:00-05:30", "1999-12-31T23:59:59Z",
              "2026-11-30T10:00:00.123"})
            QTest::newRow(text) << QString::fromLatin1(text) << true;
        for (const char *text : {"2026-02-29T10:00:00Z", "2026-13-01T00:00:00Z", "yesterday", "",
                                 "2026-11-30T10:00:00Zjunk"})
            QTest::newRow(text) << QString::fromLatin1(text) << false;
    }

    // The fast path gives what QDateTime gives (microseconds cut to milliseconds, no zone = UTC).
    void timeParsing()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto parsed = xeroml::server::ingest::parseTime(text);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            return;
        QString reference = text;
        reference.replace(u".123456Z"_s, u".123Z"_s);
        QDateTime expected = QDateTime::fromString(reference, Qt::ISODateWithMs);
        if (expected.timeSpec() == Qt::LocalTime)
            expected.setTimeSpec(Qt::UTC);
        QVERIFY(expected.isValid());
        QCOMPARE(*parsed, expected.toMSecsSinceEpoch());
    }

    void priceTable()
    {
        using xeroml::server::PriceTable;
        const PriceTable table = PriceTable::builtIn();
        QVERIFY(table.size() >= 30);
        // The demo data's models are all priced, at the prices the demo uses.
        const qint64 at = QDateTime(QDate(2026, 11, 30), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const xeroml::server::UsageDetails million{{u"input"_s, 1000000}, {u"output"_s, 1000000}};
        const QList<std::pair<QString, qint64>> demo{{u"gpt-4o"_s, 12500000000},
                                                     {u"gpt-4o-mini"_s, 750000000},
                                                     {u"claude-3-5-sonnet"_s, 18000000000},
                                                     {u"claude-3-haiku"_s, 1500000000},
                                                     {u"llama-3.1-70b"_s, 1760000000}};
        for (const auto &[model, nanos] : demo) {
            const auto cost = table.cost(model, at, million);
            QVERIFY2(cost, qPrintable(model));
            QCOMPARE(cost->total, nanos);
        }
        QVERIFY(!table.cost(u"gpt-4o-turbo-unknown"_s, at, million));
        QVERIFY(!table.cost(u"gpt-4o"_s,
                            QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(),
                            million));

        PriceTable bad;
        QString error;
        QVERIFY(!bad.load("{\"models\":[{\"model\":\"x\",\"match\":\"(\",\"prices\":"
                          "{\"input\":1}}]}",
                          &error));
        QVERIFY(error.contains(u"pattern"_s));
        QVERIFY(!bad.load("{\"models\":[{\"model\":\"x\",\"match\":\"x\",\"prices\":"
                          "{\"input\":-1}}]}",
                          &error));
        QVERIFY(error.contains(u"non-negative"_s));
        QVERIFY(!bad.load("not json", &error));
    }

    void scoreBeforeItsTraceAndMetadataAcrossRequests()
    {
        // A score may name a trace that arrives later; the trace then counts it.
        QCOMPARE(m_fx.post(u"/api/public/scores"_s, QJsonObject{{u"traceId"_s, u"t-later"_s},
                                                                {u"name"_s, u"quality"_s},
                                                                {u"value"_s, 3}})
                     .status,
                 200);
        QJsonObject trace = traceBody(u"t-later"_s, u"later@example.com"_s);
        trace.insert(u"metadata"_s, QJsonObject{{u"a"_s, 1}, {u"keep"_s, true}});
        QCOMPARE(m_fx.batch({ingestEvent(u"l1"_s, u"trace-create"_s, trace)}).status, 207);
        QJsonObject user = m_fx.user(u"later@example.com"_s);
        QCOMPARE(user.value(u"scoreCount"_s).toInt(), 1);
        QCOMPARE(user.value(u"averageScore"_s).toDouble(), 3.0);
        // Metadata sent in a later request merges key by key into the stored object.
        QCOMPARE(m_fx
                     .batch({ingestEvent(
                         u"l2"_s, u"trace-create"_s,
                         QJsonObject{{u"id"_s, u"t-later"_s},
                                     {u"metadata"_s, QJsonObject{{u"a"_s, 2}, {u"b"_s, u"x"_s}}}})})
                     .status,
                 207);
        const IngestReply detail = m_fx.get(u"/api/public/traces/t-later"_s);
        QCOMPARE(detail.json.value(u"metadata"_s).toObject(),
                 (QJsonObject{{u"a"_s, 2}, {u"keep"_s, true}, {u"b"_s, u"x"_s}}));
        QCOMPARE(detail.json.value(u"userId"_s).toString(), u"later@example.com"_s);
    }

    void createAndUpdateMerge()
    {
        const QString trace = u"t-merge"_s;
        QJsonObject first = traceBody(trace, u"merge@example.com"_s);
        first.insert(u"name"_s, u"first"_s);
        first.insert(u"sessionId"_s, u"s-merge"_s);
        first.insert(u"metadata"_s, QJsonObject{{u"a"_s, 1}});
        first.insert(u"tags"_s, QJsonArray{u"alpha"_s});
        QJsonObject create = generation(u"g-merge"_s, trace, u"gpt-4o"_s, {});
        create.insert(u"input"_s, u"hi"_s);
        QJsonObject update{{u"id"_s, u"g-merge"_s},
                           {u"traceId"_s, trace},
                           {u"endTime"_s, u"2026-11-30T10:00:03.000Z"_s},
                           {u"usageDetails"_s, QJsonObject{{u"input"_s, 1000}, {u"output"_s, 500}}},
                           {u"output"_s, QJsonObject{{u"role"_s, u"assistant"_s}}}};
        QJsonObject second{
            {u"id"_s, trace}, {u"name"_s, u"second"_s}, {u"metadata"_s, QJsonObject{{u"b"_s, 2}}}};
        QJsonObject span{{u"id"_s, u"s-merge-span"_s},
                         {u"traceId"_s, trace},
                         {u"startTime"_s, u"2026-11-30T10:00:00.000Z"_s},
                         {u"endTime"_s, u"2026-11-30T10:00:04.000Z"_s}};
        const IngestReply reply = m_fx.batch({ingestEvent(u"m1"_s, u"trace-create"_s, first),
                                              ingestEvent(u"m2"_s, u"generation-create"_s, create),
                                              ingestEvent(u"m3"_s, u"generation-update"_s, update),
                                              ingestEvent(u"m4"_s, u"trace-create"_s, second),
                                              ingestEvent(u"m5"_s, u"span-create"_s, span)});
        QCOMPARE(reply.status, 207);
        QCOMPARE(ids(reply.json.value(u"successes"_s).toArray()),
                 (QStringList{u"m1"_s, u"m2"_s, u"m3"_s, u"m4"_s, u"m5"_s}));
        QVERIFY(reply.json.value(u"errors"_s).toArray().isEmpty());

        IngestReply detail = m_fx.get(u"/api/public/traces/t-merge"_s);
        QCOMPARE(detail.status, 200);
        QJsonObject t = detail.json;
        QCOMPARE(t.value(u"name"_s).toString(), u"second"_s);
        QCOMPARE(t.value(u"userId"_s).toString(), u"merge@example.com"_s);
        QCOMPARE(t.value(u"sessionId"_s).toString(), u"s-merge"_s);
        QCOMPARE(t.value(u"metadata"_s).toObject(), (QJsonObject{{u"a"_s, 1}, {u"b"_s, 2}}));
        QCOMPARE(t.value(u"tags"_s).toArray(), QJsonArray{u"alpha"_s});
        QCOMPARE(t.value(u"observationCount"_s).toInt(), 2);
        QCOMPARE(t.value(u"inputTokens"_s).toInteger(), 1000);
        QCOMPARE(t.value(u"outputTokens"_s).toInteger(), 500);
        QCOMPARE(t.value(u"totalTokens"_s).toInteger(), 1500);
        // gpt-4o since 2024-10: $2.50 / $10 per 1M tokens.
        QCOMPARE(t.value(u"totalCost"_s).toDouble(), 0.0075);
        QCOMPARE(t.value(u"latency"_s).toDouble(), 4.0);
        const QJsonObject g = observation(t, u"g-merge"_s);
        QCOMPARE(g.value(u"type"_s).toString(), u"GENERATION"_s);
        QCOMPARE(g.value(u"input"_s).toString(), u"hi"_s);
        QCOMPARE(g.value(u"output"_s).toObject().value(u"role"_s).toString(), u"assistant"_s);
        QCOMPARE(g.value(u"endTime"_s).toString(), u"2026-11-30T10:00:03.000Z"_s);
        QCOMPARE(g.value(u"costDetails"_s).toObject(),
                 (QJsonObject{{u"input"_s, 0.0025}, {u"output"_s, 0.005}, {u"total"_s, 0.0075}}));

        QJsonObject user = m_fx.user(u"merge@example.com"_s);
        QCOMPARE(user.value(u"totalTraces"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalSessions"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalObservations"_s).toInt(), 2);
        QCOMPARE(user.value(u"totalTokens"_s).toInteger(), 1500);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.0075);

        // A later request updates the usage: the aggregates follow at once.
        QJsonObject again{{u"id"_s, u"g-merge"_s},
                          {u"usageDetails"_s, QJsonObject{{u"input"_s, 2000}, {u"output"_s, 500}}}};
        QCOMPARE(m_fx.batch({ingestEvent(u"m6"_s, u"generation-update"_s, again)}).status, 207);
        user = m_fx.user(u"merge@example.com"_s);
        QCOMPARE(user.value(u"inputTokens"_s).toInteger(), 2000);
        QCOMPARE(user.value(u"totalTokens"_s).toInteger(), 2500);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.01);
        QCOMPARE(user.value(u"totalObservations"_s).toInt(), 2);

        // The daily rollup saw the same rows (triggers).
        QUrlQuery query;
        query.addQueryItem(u"userId"_s, u"merge@example.com"_s);
        const IngestReply daily = m_fx.get(u"/api/public/metrics/daily"_s, query);
        QCOMPARE(daily.status, 200);
        const QJsonArray days = daily.json.value(u"data"_s).toArray();
        QCOMPARE(days.size(), 1);
        const QJsonObject day = days.first().toObject();
        QCOMPARE(day.value(u"date"_s).toString(), u"2026-11-30"_s);
        QCOMPARE(day.value(u"countTraces"_s).toInt(), 1);
        QCOMPARE(day.value(u"countObservations"_s).toInt(), 2);
        QCOMPARE(day.value(u"totalCost"_s).toDouble(), 0.01);
        const QJsonObject model = day.value(u"usage"_s).toArray().first().toObject();
        QCOMPARE(model.value(u"model"_s).toString(), u"gpt-4o"_s);
        QCOMPARE(model.value(u"inputUsage"_s).toInteger(), 2000);
        QCOMPARE(model.value(u"outputUsage"_s).toInteger(), 500);
    }

    // /users keeps the last query's ordered selection for its next pages: a write in between
    // must show on the very next page asked for, not an order computed before it.
    void deepUsersPagesFollowWrites()
    {
        QUrlQuery query(u"orderBy=totalCost.desc&limit=1&page=2"_s);
        const auto pageUser = [&] {
            const IngestReply reply = m_fx.get(u"/api/public/users"_s, query);
            return reply.json.value(u"data"_s).toArray().first().toObject();
        };
        const QJsonObject secondBefore = pageUser();
        QVERIFY(!secondBefore.isEmpty());
        QCOMPARE(pageUser(), secondBefore); // page 2 from the kept, sorted selection

        // A user who now costs more than anyone: the former first becomes the second.
        query = QUrlQuery(u"orderBy=totalCost.desc&limit=1&page=1"_s);
        const QJsonObject firstBefore = pageUser();
        QJsonObject whale = generation(u"g-whale"_s, u"t-whale"_s, u"gpt-4o"_s, {});
        whale.insert(u"costDetails"_s, QJsonObject{{u"total"_s, 1.0e6}});
        const QJsonArray batch{ingestEvent(u"w1"_s, u"trace-create"_s,
                                           traceBody(u"t-whale"_s, u"whale@example.com"_s)),
                               ingestEvent(u"w2"_s, u"generation-create"_s, whale)};
        QCOMPARE(m_fx.batch(batch).status, 207);
        query = QUrlQuery(u"orderBy=totalCost.desc&limit=1&page=2"_s);
        QCOMPARE(pageUser().value(u"userId"_s), firstBefore.value(u"userId"_s));
        query = QUrlQuery(u"orderBy=totalCost.desc&limit=1&page=1"_s);
        QCOMPARE(pageUser().value(u"userId"_s).toString(), u"whale@example.com"_s);
    }

    // Event ids are remembered for a week, not forever: an id older than that is forgotten
    // (its event applies again), a recent one still deduplicates.
    void oldEventIdsArePruned()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        xeroml::server::Store store;
        QString error;
        QVERIFY2(store.open(dir.filePath(u"prune.db"_s), &error), qPrintable(error));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QSqlQuery seed(store.database());
        QVERIFY(
            seed.exec(u"INSERT INTO ingested_events (id, ts) VALUES ('old', %1), ('recent', %2)"_s
                          .arg(now - xeroml::server::Ingestor::EventIdRetentionMs - 60000)
                          .arg(now - 3600 * 1000)));
        xeroml::server::Ingestor ingestor(store);
        const QJsonArray batch{ingestEvent(u"recent"_s, u"trace-create"_s,
                                           traceBody(u"t-recent"_s, u"prune@example.com"_s)),
                               ingestEvent(u"old"_s, u"trace-create"_s,
                                           traceBody(u"t-old"_s, u"prune@example.com"_s))};
        const auto result = ingestor.ingestEvents(batch, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->successes.size(), 2);
        const auto count = [&store](const QString &sql) {
            QSqlQuery query(store.database());
            return query.exec(sql) && query.next() ? query.value(0).toLongLong() : -1;
        };
        QCOMPARE(count(u"SELECT COUNT(*) FROM traces WHERE id = 't-recent'"_s), 0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM traces WHERE id = 't-old'"_s), 1);
        QCOMPARE(
            count(u"SELECT COUNT(*) FROM ingested_events WHERE ts < %1"_s.arg(now - 7200 * 1000)),
            0);
        QCOMPARE(count(u"SELECT COUNT(*) FROM ingested_events"_s), 2);
    }

    void retriedBatchCountsOnce()
    {
        const QJsonArray batch{
            ingestEvent(u"d1"_s, u"trace-create"_s,
                        traceBody(u"t-dedupe"_s, u"dedupe@example.com"_s)),
            ingestEvent(u"d2"_s, u"generation-create"_s,
                        generation(u"g-dedupe"_s, u"t-dedupe"_s, u"gpt-4o-mini"_s,
                                   QJsonObject{{u"input"_s, 100}, {u"output"_s, 10}})),
            ingestEvent(u"d3"_s, u"score-create"_s,
                        QJsonObject{{u"id"_s, u"sc-dedupe"_s},
                                    {u"traceId"_s, u"t-dedupe"_s},
                                    {u"name"_s, u"q"_s},
                                    {u"value"_s, 1.0}})};
        const qint64 eventsBefore = m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s);
        QCOMPARE(m_fx.batch(batch).status, 207);
        const QJsonObject once = m_fx.user(u"dedupe@example.com"_s);
        QCOMPARE(once.value(u"totalTokens"_s).toInteger(), 110);

        // The same events again (a retry), plus a changed body under an id already seen.
        QJsonArray retry = batch;
        retry.append(ingestEvent(u"d2"_s, u"generation-create"_s,
                                 generation(u"g-dedupe"_s, u"t-dedupe"_s, u"gpt-4o-mini"_s,
                                            QJsonObject{{u"input"_s, 999}, {u"output"_s, 999}})));
        const IngestReply reply = m_fx.batch(retry);
        QCOMPARE(reply.status, 207);
        QCOMPARE(ids(reply.json.value(u"successes"_s).toArray()),
                 (QStringList{u"d1"_s, u"d2"_s, u"d3"_s, u"d2"_s}));
        QCOMPARE(m_fx.user(u"dedupe@example.com"_s), once);
        QCOMPARE(m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s), eventsBefore + 3);
        QCOMPARE(m_fx.scalar(u"SELECT COUNT(*) FROM observations WHERE trace_id = 't-dedupe'"_s),
                 1);
    }

    void usageNormalisation_data()
    {
        QTest::addColumn<QJsonObject>("usage");
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<double>("cost");
        // Prices per 1M tokens: gpt-4o 2.50 in, 1.25 cached in, 10 out; claude-3-5-sonnet
        // 3 in, 0.30 cache read, 15 out.
        QTest::newRow("langfuse") << QJsonObject{{u"input"_s, 100}, {u"output"_s, 20}}
                                  << u"gpt-4o"_s << 100LL << 20LL << 120LL << 0.00045;
        QTest::newRow("openai") << QJsonObject{{u"prompt_tokens"_s, 120},
                                               {u"completion_tokens"_s, 30}}
                                << u"gpt-4o"_s << 120LL << 30LL << 150LL << 0.0006;
        QTest::newRow("camel case, total sent") << QJsonObject{{u"promptTokens"_s, 10},
                                                               {u"completionTokens"_s, 5},
                                                               {u"totalTokens"_s, 20}}
                                                << u"gpt-4o"_s << 10LL << 5LL << 20LL << 0.000075;
        QTest::newRow("openai cached")
            << QJsonObject{{u"prompt_tokens"_s, 100},
                           {u"completion_tokens"_s, 50},
                           {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, 40}}}}
            << u"gpt-4o"_s << 100LL << 50LL << 150LL << 0.0007;
        QTest::newRow("anthropic cache read")
            << QJsonObject{{u"input_tokens"_s, 100},
                           {u"output_tokens"_s, 20},
                           {u"cache_read_input_tokens"_s, 50}}
            << u"claude-3-5-sonnet-20241022"_s << 150LL << 20LL << 170LL << 0.000615;
        QTest::newRow("provider prefix")
            << QJsonObject{{u"input"_s, 1000000}} << u"openai/gpt-4o-mini"_s << 1000000LL << 0LL
            << 1000000LL << 0.15;
    }

    void usageNormalisation()
    {
        QFETCH(QJsonObject, usage);
        QFETCH(QString, model);
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        QFETCH(qint64, total);
        QFETCH(double, cost);
        const QString trace = u"t-usage-"_s + QString::fromLatin1(QTest::currentDataTag());
        const QString id = u"g-usage-"_s + QString::fromLatin1(QTest::currentDataTag());
        QCOMPARE(m_fx.batch({ingestEvent(trace + u"-e1"_s, u"trace-create"_s,
                                         traceBody(trace, u"usage@example.com"_s)),
                             ingestEvent(trace + u"-e2"_s, u"generation-create"_s,
                                         generation(id, trace, model, usage))})
                     .status,
                 207);
        const IngestReply detail = m_fx.get(u"/api/public/traces/"_s +
                                            QString::fromLatin1(QUrl::toPercentEncoding(trace)));
        QCOMPARE(detail.status, 200);
        const QJsonObject g = observation(detail.json, id);
        const QJsonObject details = g.value(u"usageDetails"_s).toObject();
        QCOMPARE(details.value(u"input"_s).toInteger(), input);
        QCOMPARE(details.value(u"output"_s).toInteger(), output);
        QCOMPARE(details.value(u"total"_s).toInteger(), total);
        QCOMPARE(g.value(u"calculatedTotalCost"_s).toDouble(), cost);
        QCOMPARE(detail.json.value(u"totalTokens"_s).toInteger(), total);
        QCOMPARE(detail.json.value(u"totalCost"_s).toDouble(), cost);
    }

    void sentCostWinsAndPricesFollowTheDate()
    {
        QJsonObject sent = generation(u"g-sent"_s, u"t-cost"_s, u"gpt-4o"_s,
                                      QJsonObject{{u"input"_s, 1000}, {u"output"_s, 1000}});
        sent.insert(u"costDetails"_s, QJsonObject{{u"input"_s, 0.5}, {u"output"_s, 0.25}});
        // Legacy usage with its own cost fields is a sent cost, too.
        QJsonObject legacy{{u"id"_s, u"g-legacy"_s},
                           {u"traceId"_s, u"t-cost"_s},
                           {u"model"_s, u"gpt-4o"_s},
                           {u"usage"_s, QJsonObject{{u"input"_s, 10},
                                                    {u"output"_s, 10},
                                                    {u"unit"_s, u"TOKENS"_s},
                                                    {u"totalCost"_s, 0.125}}}};
        // The same model a year earlier had other prices: $5 / $15 per 1M tokens.
        const QJsonObject early =
            generation(u"g-early"_s, u"t-cost"_s, u"gpt-4o"_s, QJsonObject{{u"input"_s, 1000000}},
                       u"2024-06-01T00:00:00.000Z"_s);
        QCOMPARE(m_fx.batch({ingestEvent(u"c1"_s, u"trace-create"_s,
                                         traceBody(u"t-cost"_s, u"cost@example.com"_s)),
                             ingestEvent(u"c2"_s, u"generation-create"_s, sent),
                             ingestEvent(u"c3"_s, u"generation-create"_s, legacy),
                             ingestEvent(u"c4"_s, u"generation-create"_s, early)})
                     .status,
                 207);
        // A later usage update leaves a sent cost alone.
        QCOMPARE(m_fx.batch({ingestEvent(u"c5"_s, u"generation-update"_s,
                                         QJsonObject{{u"id"_s, u"g-sent"_s},
                                                     {u"usageDetails"_s,
                                                      QJsonObject{{u"input"_s, 5000},
                                                                  {u"output"_s, 5000}}}})})
                     .status,
                 207);
        const IngestReply detail = m_fx.get(u"/api/public/traces/t-cost"_s);
        QCOMPARE(observation(detail.json, u"g-sent"_s).value(u"costDetails"_s).toObject(),
                 (QJsonObject{{u"input"_s, 0.5}, {u"output"_s, 0.25}, {u"total"_s, 0.75}}));
        QCOMPARE(observation(detail.json, u"g-sent"_s)
                     .value(u"usageDetails"_s)
                     .toObject()
                     .value(u"total"_s)
                     .toInteger(),
                 10000);
        QCOMPARE(observation(detail.json, u"g-legacy"_s).value(u"calculatedTotalCost"_s).toDouble(),
                 0.125);
        QCOMPARE(observation(detail.json, u"g-early"_s).value(u"calculatedTotalCost"_s).toDouble(),
                 5.0);
        QCOMPARE(m_fx.user(u"cost@example.com"_s).value(u"totalCost"_s).toDouble(), 5.875);
    }

    void unknownModelsAreUnpriced()
    {
        const auto stats = [this] { return m_fx.get(u"/api/public/ingestion/stats"_s).json; };
        const qint64 before = stats().value(u"unpricedObservations"_s).toInteger();
        QCOMPARE(
            m_fx.batch({ingestEvent(u"u1"_s, u"trace-create"_s,
                                    traceBody(u"t-unpriced"_s, u"unpriced@example.com"_s)),
                        ingestEvent(u"u2"_s, u"generation-create"_s,
                                    generation(u"g-llama"_s, u"t-unpriced"_s, u"my-local-llama"_s,
                                               QJsonObject{{u"input"_s, 10}, {u"output"_s, 5}})),
                        // A model with no usage has nothing to price.
                        ingestEvent(
                            u"u3"_s, u"generation-create"_s,
                            generation(u"g-nousage"_s, u"t-unpriced"_s, u"my-local-llama"_s, {}))})
                .status,
            207);
        QJsonObject now = stats();
        QCOMPARE(now.value(u"unpricedObservations"_s).toInteger(), before + 1);
        QVERIFY(
            now.value(u"unpricedModels"_s)
                .toArray()
                .contains(QJsonObject{{u"model"_s, u"my-local-llama"_s}, {u"observations"_s, 1}}));
        QJsonObject user = m_fx.user(u"unpriced@example.com"_s);
        QCOMPARE(user.value(u"totalTokens"_s).toInteger(), 15);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.0);

        // Naming a known model later prices it and it stops counting as unpriced.
        QCOMPARE(m_fx.batch({ingestEvent(u"u4"_s, u"generation-update"_s,
                                         QJsonObject{{u"id"_s, u"g-llama"_s},
                                                     {u"traceId"_s, u"t-unpriced"_s},
                                                     {u"model"_s, u"gpt-4o"_s}})})
                     .status,
                 207);
        QCOMPARE(stats().value(u"unpricedObservations"_s).toInteger(), before);
        user = m_fx.user(u"unpriced@example.com"_s);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.000075);
    }

    void invalidEventsAreListedValidOnesKept()
    {
        const qint64 before = m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s);
        QJsonArray batch{
            ingestEvent(u"p-ok-trace"_s, u"trace-create"_s,
                        traceBody(u"t-partial"_s, u"partial@example.com"_s)),
            QJsonObject{{u"type"_s, u"trace-create"_s}, {u"body"_s, QJsonObject()}},
            ingestEvent(u"p-unknown"_s, u"foo-create"_s, QJsonObject()),
            ingestEvent(
                u"p-usage"_s, u"generation-create"_s,
                generation(u"g-bad"_s, u"t-partial"_s, u"gpt-4o"_s, QJsonObject{{u"input"_s, -3}})),
            ingestEvent(u"p-update-no-id"_s, u"span-update"_s,
                        QJsonObject{{u"traceId"_s, u"t-partial"_s}}),
            ingestEvent(u"p-no-trace"_s, u"span-create"_s, QJsonObject{{u"id"_s, u"orphan"_s}}),
            ingestEvent(u"p-score"_s, u"score-create"_s,
                        QJsonObject{{u"traceId"_s, u"t-partial"_s},
                                    {u"name"_s, u"q"_s},
                                    {u"dataType"_s, u"NUMERIC"_s},
                                    {u"value"_s, u"high"_s}}),
            QJsonObject{{u"id"_s, u"p-body"_s}, {u"type"_s, u"span-create"_s}, {u"body"_s, 5}},
            ingestEvent(u"p-level"_s, u"span-create"_s,
                        QJsonObject{{u"traceId"_s, u"t-partial"_s}, {u"level"_s, u"LOUD"_s}}),
            ingestEvent(
                u"p-time"_s, u"span-create"_s,
                QJsonObject{{u"traceId"_s, u"t-partial"_s}, {u"startTime"_s, u"yesterday"_s}}),
            ingestEvent(u"p-ok-span"_s, u"span-create"_s,
                        QJsonObject{{u"id"_s, u"s-partial"_s}, {u"traceId"_s, u"t-partial"_s}}),
        };
        const IngestReply reply = m_fx.batch(batch);
        QCOMPARE(reply.status, 207);
        QCOMPARE(ids(reply.json.value(u"successes"_s).toArray()),
                 (QStringList{u"p-ok-trace"_s, u"p-ok-span"_s}));
        const QJsonArray errors = reply.json.value(u"errors"_s).toArray();
        QCOMPARE(errors.size(), 9);
        QHash<QString, QString> messages;
        for (const QJsonValue &value : errors) {
            const QJsonObject e = value.toObject();
            QCOMPARE(e.value(u"status"_s).toInt(), 400);
            QVERIFY(!e.value(u"message"_s).toString().isEmpty());
            messages.insert(e.value(u"id"_s).toString(), e.value(u"message"_s).toString());
        }
        QVERIFY(messages.value(QString()).contains(u"id"_s));
        QVERIFY(messages.value(u"p-unknown"_s).contains(u"foo-create"_s));
        QVERIFY(messages.value(u"p-usage"_s).contains(u"usage"_s));
        QVERIFY(messages.value(u"p-update-no-id"_s).contains(u"body.id"_s));
        QVERIFY(messages.value(u"p-no-trace"_s).contains(u"traceId"_s));
        QVERIFY(messages.value(u"p-score"_s).contains(u"NUMERIC"_s));
        QVERIFY(messages.value(u"p-body"_s).contains(u"body"_s));
        QVERIFY(messages.value(u"p-level"_s).contains(u"level"_s));
        QVERIFY(messages.value(u"p-time"_s).contains(u"startTime"_s));
        QCOMPARE(m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s), before + 2);
        const QJsonObject user = m_fx.user(u"partial@example.com"_s);
        QCOMPARE(user.value(u"totalTraces"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalObservations"_s).toInt(), 1);
    }

    void badRequests()
    {
        const QString path = u"/api/public/ingestion"_s;
        const QByteArray valid = "{\"batch\":[]}";
        const qint64 before = m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s);
        QCOMPARE(m_fx.post(path, valid, {}, false).status, 401);
        IngestReply reply = m_fx.post(path, valid, {{"Content-Type", "text/plain"}});
        QCOMPARE(reply.status, 415);
        QCOMPARE(reply.json.value(u"code"_s).toString(), u"unsupported_media_type"_s);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"application/json"_s));
        reply = m_fx.post(path, valid, {{"Content-Encoding", "br"}});
        QCOMPARE(reply.status, 415);
        reply = m_fx.post(path, "{\"batch\":[{\"id\":\"x\",");
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json.value(u"code"_s).toString(), u"invalid_request"_s);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"JSON"_s));
        QCOMPARE(m_fx.post(path, "{\"events\":[]}").status, 400);
        QCOMPARE(m_fx.post(path, "[1,2]").status, 400);
        // Over 5 MB: refused before it is parsed.
        QByteArray huge = "{\"batch\":[],\"pad\":\"";
        huge.append(QByteArray(5 * 1024 * 1024, 'x'));
        huge.append("\"}");
        reply = m_fx.post(path, huge);
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.json.value(u"code"_s).toString(), u"payload_too_large"_s);
        QCOMPARE(m_fx.post(path, valid).status, 207);
        QCOMPARE(m_fx.scalar(u"SELECT COUNT(*) FROM ingested_events"_s), before);
    }

    void scores()
    {
        QCOMPARE(m_fx.batch({ingestEvent(u"s1"_s, u"trace-create"_s,
                                         traceBody(u"t-scores"_s, u"scores@example.com"_s))})
                     .status,
                 207);
        const QString path = u"/api/public/scores"_s;
        IngestReply reply = m_fx.post(path, QJsonObject{{u"traceId"_s, u"t-scores"_s},
                                                        {u"name"_s, u"helpfulness"_s},
                                                        {u"value"_s, 0.8},
                                                        {u"comment"_s, u"good"_s}});
        QCOMPARE(reply.status, 200);
        const QString numericId = reply.json.value(u"id"_s).toString();
        QVERIFY(!numericId.isEmpty());
        QCOMPARE(m_fx.batch({ingestEvent(u"s2"_s, u"score-create"_s,
                                         QJsonObject{{u"id"_s, u"sc-bool"_s},
                                                     {u"traceId"_s, u"t-scores"_s},
                                                     {u"name"_s, u"thumbs_up"_s},
                                                     {u"value"_s, true}}),
                             ingestEvent(u"s3"_s, u"score-create"_s,
                                         QJsonObject{{u"id"_s, u"sc-cat"_s},
                                                     {u"traceId"_s, u"t-scores"_s},
                                                     {u"name"_s, u"sentiment"_s},
                                                     {u"value"_s, u"positive"_s}})})
                     .status,
                 207);
        QUrlQuery query;
        query.addQueryItem(u"userId"_s, u"scores@example.com"_s);
        reply = m_fx.get(u"/api/public/v2/scores"_s, query);
        QCOMPARE(reply.status, 200);
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &value : reply.json.value(u"data"_s).toArray())
            byName.insert(value.toObject().value(u"name"_s).toString(), value.toObject());
        QCOMPARE(byName.size(), 3);
        QCOMPARE(byName[u"helpfulness"_s].value(u"dataType"_s).toString(), u"NUMERIC"_s);
        QCOMPARE(byName[u"helpfulness"_s].value(u"value"_s).toDouble(), 0.8);
        QCOMPARE(byName[u"helpfulness"_s].value(u"comment"_s).toString(), u"good"_s);
        QCOMPARE(byName[u"helpfulness"_s].value(u"source"_s).toString(), u"API"_s);
        QCOMPARE(byName[u"thumbs_up"_s].value(u"dataType"_s).toString(), u"BOOLEAN"_s);
        QCOMPARE(byName[u"thumbs_up"_s].value(u"value"_s).toDouble(), 1.0);
        QCOMPARE(byName[u"thumbs_up"_s].value(u"stringValue"_s).toString(), u"True"_s);
        QCOMPARE(byName[u"sentiment"_s].value(u"dataType"_s).toString(), u"CATEGORICAL"_s);
        QCOMPARE(byName[u"sentiment"_s].value(u"stringValue"_s).toString(), u"positive"_s);
        // Only NUMERIC scores make the average.
        QJsonObject user = m_fx.user(u"scores@example.com"_s);
        QCOMPARE(user.value(u"scoreCount"_s).toInt(), 1);
        QCOMPARE(user.value(u"averageScore"_s).toDouble(), 0.8);

        // The same score id again replaces its value; it still counts once.
        reply = m_fx.post(path, QJsonObject{{u"id"_s, numericId},
                                            {u"traceId"_s, u"t-scores"_s},
                                            {u"name"_s, u"helpfulness"_s},
                                            {u"value"_s, 0.4}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(u"id"_s).toString(), numericId);
        user = m_fx.user(u"scores@example.com"_s);
        QCOMPARE(user.value(u"scoreCount"_s).toInt(), 1);
        QCOMPARE(user.value(u"averageScore"_s).toDouble(), 0.4);

        reply = m_fx.post(path, QJsonObject{{u"traceId"_s, u"t-scores"_s}, {u"value"_s, 1}});
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"name"_s));
        reply = m_fx.post(path, QJsonObject{{u"name"_s, u"x"_s}, {u"value"_s, 1}});
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"traceId"_s));
    }

    // As the app runs it: the server in its own thread (EmbeddedServer), requests from another.
    void serverInItsOwnThread()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QThread thread;
        auto *server = new xeroml::server::LocalServer;
        server->moveToThread(&thread);
        std::atomic<int> port{0};
        QString keys;
        connect(&thread, &QThread::finished, server, &QObject::deleteLater);
        connect(&thread, &QThread::started, server, [&] {
            QString error;
            if (!server->open(dir.filePath(u"threaded.db"_s), &error) ||
                !server->listen(QHostAddress::LocalHost, 0, &error)) {
                port = -1;
                return;
            }
            const auto credentials = server->credentials();
            keys = credentials.publicKey + u':' + credentials.secretKey;
            port = server->port();
        });
        thread.start();
        QTRY_VERIFY_WITH_TIMEOUT(port != 0, 20000);
        QVERIFY(port > 0);

        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy::NoProxy);
        const auto request = [&](const QString &path) {
            QNetworkRequest r(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port.load()).arg(path)));
            r.setRawHeader("Authorization", "Basic " + keys.toUtf8().toBase64());
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            return r;
        };
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {u"batch"_s,
                     QJsonArray{ingestEvent(u"th1"_s, u"trace-create"_s,
                                            traceBody(u"t-thread"_s, u"thread@example.com"_s)),
                                ingestEvent(u"th2"_s, u"generation-create"_s,
                                            generation(u"g-thread"_s, u"t-thread"_s, u"gpt-4o"_s,
                                                       QJsonObject{{u"input"_s, 100},
                                                                   {u"output"_s, 10}}))}}})
                .toJson(QJsonDocument::Compact);
        QNetworkReply *posted = nam.post(request(u"/api/public/ingestion"_s), body);
        QSignalSpy postDone(posted, &QNetworkReply::finished);
        QVERIFY(postDone.wait(20000));
        QCOMPARE(posted->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 207);
        posted->deleteLater();
        QNetworkReply *read = nam.get(request(u"/api/public/users/thread%40example.com"_s));
        QSignalSpy readDone(read, &QNetworkReply::finished);
        QVERIFY(readDone.wait(20000));
        const QJsonObject user = QJsonDocument::fromJson(read->readAll()).object();
        read->deleteLater();
        QCOMPARE(user.value(u"totalTraces"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalTokens"_s).toInteger(), 110);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.00035);
        thread.quit();
        QVERIFY(thread.wait(20000));
    }

private:
    IngestFixture m_fx;
};

QTEST_GUILESS_MAIN(TestIngestion)
#include "tst_ingestion.moc"
