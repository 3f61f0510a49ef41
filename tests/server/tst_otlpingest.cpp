// SPDX-License-Identifier: GPL-3.0-or-later
// POST /api/public/otel/v1/traces against the real local server: a span tree shaped exactly as
// the OpenTelemetry JS exporter serialises @langfuse/otel's spans (tests/data/
// otlp_langfuse_trace.json), whole, gzip-compressed, one span per request with children before
// their root, chunked without Content-Length; the read API must return exactly what was sent.
#include "ingestfixture.h"

#include <QFile>
#include <QTcpSocket>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace {

const QString kFixtureTrace = u"5f2a9c1e7b3d4a6f8e0c1b2d3e4f5a6b"_s;
const QString kOtlpPath = u"/api/public/otel/v1/traces"_s;

QJsonObject fixture()
{
    QFile file(QStringLiteral(XEROML_TEST_DATA "/otlp_langfuse_trace.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the OTLP fixture");
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The fixture's spans (children first, root last, as the exporter sends them).
QJsonArray fixtureSpans()
{
    return fixture()
        .value(u"resourceSpans"_s)
        .toArray()
        .first()
        .toObject()
        .value(u"scopeSpans"_s)
        .toArray()
        .first()
        .toObject()
        .value(u"spans"_s)
        .toArray();
}

// An export request holding `spans`, each moved to `traceId` and a user.
QJsonObject request(QJsonArray spans, const QString &traceId = {}, const QString &userId = {})
{
    for (qsizetype i = 0; i < spans.size(); ++i) {
        QJsonObject span = spans.at(i).toObject();
        if (!traceId.isEmpty())
            span.insert(u"traceId"_s, traceId);
        if (!userId.isEmpty()) {
            QJsonArray attributes = span.value(u"attributes"_s).toArray();
            for (qsizetype a = 0; a < attributes.size(); ++a) {
                QJsonObject kv = attributes.at(a).toObject();
                if (kv.value(u"key"_s).toString() == u"user.id"_s) {
                    kv.insert(u"value"_s, QJsonObject{{u"stringValue"_s, userId}});
                    attributes.replace(a, kv);
                }
            }
            span.insert(u"attributes"_s, attributes);
        }
        spans.replace(i, span);
    }
    QJsonObject document = fixture();
    QJsonArray resourceSpans = document.value(u"resourceSpans"_s).toArray();
    QJsonObject rs = resourceSpans.first().toObject();
    QJsonArray scopeSpans = rs.value(u"scopeSpans"_s).toArray();
    QJsonObject ss = scopeSpans.first().toObject();
    ss.insert(u"spans"_s, spans);
    scopeSpans.replace(0, ss);
    rs.insert(u"scopeSpans"_s, scopeSpans);
    resourceSpans.replace(0, rs);
    document.insert(u"resourceSpans"_s, resourceSpans);
    return document;
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    QByteArray out(static_cast<qsizetype>(deflateBound(&stream, static_cast<uLong>(data.size()))),
                   Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END)
        qFatal("deflate failed");
    out.resize(static_cast<qsizetype>(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject observation(const QJsonObject &trace, const QString &id)
{
    for (const QJsonValue &value : trace.value(u"observations"_s).toArray()) {
        if (value.toObject().value(u"id"_s).toString() == id)
            return value.toObject();
    }
    return {};
}

} // namespace

class TestOtlpIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
    }

    void fixtureTraceComesBackExactly()
    {
        const IngestReply reply = m_fx.post(kOtlpPath, compact(fixture()));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json, QJsonObject());
        verifyFixtureFigures(kFixtureTrace, u"user-otlp@example.com"_s);

        const QJsonObject trace = m_fx.get(u"/api/public/traces/"_s + kFixtureTrace).json;
        QCOMPARE(trace.value(u"name"_s).toString(), u"support-chat"_s);
        QCOMPARE(trace.value(u"sessionId"_s).toString(), u"sess-otlp-1"_s);
        QCOMPARE(trace.value(u"environment"_s).toString(), u"production"_s);
        QCOMPARE(trace.value(u"tags"_s).toArray(), (QJsonArray{u"otlp"_s, u"beta"_s}));
        QCOMPARE(trace.value(u"metadata"_s).toObject(), (QJsonObject{{u"plan"_s, u"pro"_s}}));
        QCOMPARE(trace.value(u"input"_s).toObject(),
                 (QJsonObject{{u"question"_s, u"Where is my order?"_s}}));
        QCOMPARE(trace.value(u"timestamp"_s).toString(), u"2026-11-30T12:00:00.000Z"_s);
        QCOMPARE(trace.value(u"latency"_s).toDouble(), 2.5);

        const QJsonObject llm = observation(trace, u"1122334455667788"_s);
        QCOMPARE(llm.value(u"type"_s).toString(), u"GENERATION"_s);
        QCOMPARE(llm.value(u"parentObservationId"_s).toString(), u"a1b2c3d4e5f60718"_s);
        QCOMPARE(llm.value(u"model"_s).toString(), u"claude-3-5-sonnet-20241022"_s);
        QCOMPARE(llm.value(u"completionStartTime"_s).toString(), u"2026-11-30T12:00:00.400Z"_s);
        QCOMPARE(llm.value(u"startTime"_s).toString(), u"2026-11-30T12:00:00.100Z"_s);
        QCOMPARE(llm.value(u"endTime"_s).toString(), u"2026-11-30T12:00:01.900Z"_s);
        QCOMPARE(llm.value(u"input"_s).toArray().first().toObject().value(u"content"_s).toString(),
                 u"Where is my order?"_s);
        QCOMPARE(llm.value(u"metadata"_s).toObject(), (QJsonObject{{u"temperature"_s, u"0.2"_s}}));
        // claude-3-5-sonnet: $3 / $15 per 1M tokens.
        QCOMPARE(llm.value(u"costDetails"_s).toObject(),
                 (QJsonObject{{u"input"_s, 0.0036}, {u"output"_s, 0.0045}, {u"total"_s, 0.0081}}));
        // gen_ai.usage.* (intValue as a string and as a number) and a sent cost.
        const QJsonObject summary = observation(trace, u"8877665544332211"_s);
        QCOMPARE(summary.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
        QCOMPARE(summary.value(u"usageDetails"_s).toObject(),
                 (QJsonObject{{u"input"_s, 400}, {u"output"_s, 100}, {u"total"_s, 500}}));
        QCOMPARE(summary.value(u"calculatedTotalCost"_s).toDouble(), 0.0003);
        const QJsonObject event = observation(trace, u"0a0b0c0d0e0f1011"_s);
        QCOMPARE(event.value(u"type"_s).toString(), u"EVENT"_s);
        QCOMPARE(event.value(u"level"_s).toString(), u"WARNING"_s);
        const QJsonObject root = observation(trace, u"a1b2c3d4e5f60718"_s);
        QCOMPARE(root.value(u"type"_s).toString(), u"SPAN"_s);
        QVERIFY(root.value(u"parentObservationId"_s).isNull());

        // The exporter retries a request it thinks failed: nothing counts twice.
        QCOMPARE(m_fx.post(kOtlpPath, compact(fixture())).status, 200);
        verifyFixtureFigures(kFixtureTrace, u"user-otlp@example.com"_s);
    }

    void spansOneByOneChildrenFirst()
    {
        const QString traceId = u"00000000000000000000000000c0ffee"_s;
        const QString userId = u"one-by-one@example.com"_s;
        const QJsonArray spans = fixtureSpans();
        for (qsizetype i = 0; i < spans.size(); ++i) {
            QJsonObject span = spans.at(i).toObject();
            if (i == 1) {
                // int64 fields as JSON numbers instead of strings.
                span.insert(u"startTimeUnixNano"_s,
                            span.value(u"startTimeUnixNano"_s).toString().toDouble());
                span.insert(u"endTimeUnixNano"_s,
                            span.value(u"endTimeUnixNano"_s).toString().toDouble());
            }
            const QByteArray body = compact(request(QJsonArray{span}, traceId, userId));
            // Every other request gzip-compressed, as exporters configured for it send.
            const IngestReply reply =
                i % 2 ? m_fx.post(kOtlpPath, gzip(body), {{"Content-Encoding", "gzip"}})
                      : m_fx.post(kOtlpPath, body);
            QCOMPARE(reply.status, 200);
            if (i == 0) {
                // A child alone already makes the trace (and its user) visible.
                const QJsonObject trace = m_fx.get(u"/api/public/traces/"_s + traceId).json;
                QCOMPARE(trace.value(u"observationCount"_s).toInt(), 1);
                QCOMPARE(trace.value(u"userId"_s).toString(), userId);
                QCOMPARE(trace.value(u"name"_s).toString(), u"support-chat"_s);
                QCOMPARE(m_fx.user(userId).value(u"totalTraces"_s).toInt(), 1);
                QCOMPARE(trace.value(u"timestamp"_s).toString(), u"2026-11-30T12:00:00.100Z"_s);
            }
        }
        verifyFixtureFigures(traceId, userId);
        // The root, last, moved the trace's time to its own start.
        const QJsonObject trace = m_fx.get(u"/api/public/traces/"_s + traceId).json;
        QCOMPARE(trace.value(u"timestamp"_s).toString(), u"2026-11-30T12:00:00.000Z"_s);
        QCOMPARE(trace.value(u"input"_s).toObject(),
                 (QJsonObject{{u"question"_s, u"Where is my order?"_s}}));
    }

    void rootNamesTheTraceWithoutTraceName()
    {
        // Plain OTel spans: no langfuse.trace.name, so the root span's name names the trace.
        const QString traceId = u"1234567890abcdef1234567890abcdef"_s;
        const auto span = [&](const QString &id, const QString &parent, const QString &name) {
            QJsonObject s{
                {u"traceId"_s, traceId},
                {u"spanId"_s, id},
                {u"name"_s, name},
                {u"startTimeUnixNano"_s, u"1796040000000000000"_s},
                {u"endTimeUnixNano"_s, u"1796040001000000000"_s},
                {u"attributes"_s,
                 QJsonArray{QJsonObject{
                     {u"key"_s, u"user.id"_s},
                     {u"value"_s, QJsonObject{{u"stringValue"_s, u"plain@example.com"_s}}}}}}};
            if (!parent.isEmpty())
                s.insert(u"parentSpanId"_s, parent);
            return s;
        };
        QCOMPARE(m_fx.post(kOtlpPath, compact(request({span(u"00000000000000c1"_s,
                                                            u"00000000000000a0"_s, u"child"_s)})))
                     .status,
                 200);
        QVERIFY(m_fx.get(u"/api/public/traces/"_s + traceId).json.value(u"name"_s).isNull());
        QCOMPARE(m_fx.post(kOtlpPath,
                           compact(request({span(u"00000000000000a0"_s, {}, u"handle-request"_s)})))
                     .status,
                 200);
        const QJsonObject trace = m_fx.get(u"/api/public/traces/"_s + traceId).json;
        QCOMPARE(trace.value(u"name"_s).toString(), u"handle-request"_s);
        QCOMPARE(trace.value(u"observationCount"_s).toInt(), 2);
    }

    void chunkedBodyWithoutContentLength()
    {
        const QString traceId = u"abcdefabcdefabcdefabcdefabcdef01"_s;
        const QByteArray body = compact(request(fixtureSpans(), traceId, u"chunked@example.com"_s));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_fx.server()->port());
        QVERIFY(socket.waitForConnected(10000));
        QByteArray wire = "POST /api/public/otel/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                          "Authorization: " +
                          m_fx.authorization() + "\r\n\r\n";
        for (qsizetype at = 0; at < body.size(); at += 1000) {
            const QByteArray chunk = body.mid(at, 1000);
            wire += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        }
        wire += "0\r\n\r\n";
        socket.write(wire);
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\r\n\r\n{"), 10000);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        verifyFixtureFigures(traceId, u"chunked@example.com"_s);
    }

    void badBodies()
    {
        const QByteArray body = compact(fixture());
        IngestReply reply =
            m_fx.post(kOtlpPath, body, {{"Content-Type", "application/x-protobuf"}});
        QCOMPARE(reply.status, 415);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"http/json"_s));
        reply = m_fx.post(kOtlpPath, gzip(body).left(100), {{"Content-Encoding", "gzip"}});
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.json.value(u"message"_s).toString().contains(u"gzip"_s));
        reply = m_fx.post(kOtlpPath, body, {{"Content-Encoding", "gzip"}});
        QCOMPARE(reply.status, 400);
        // Small on the wire, huge inflated: refused once past the limit.
        reply = m_fx.post(kOtlpPath, gzip(QByteArray(21 * 1024 * 1024, ' ')),
                          {{"Content-Encoding", "gzip"}});
        QCOMPARE(reply.status, 413);
        QCOMPARE(m_fx.post(kOtlpPath, "{\"resourceSpans\":").status, 400);
        QCOMPARE(m_fx.post(kOtlpPath, "{\"resourceSpans\":5}").status, 400);
        QCOMPARE(m_fx.post(kOtlpPath, body, {}, false).status, 401);
    }

    void genAiAttributesAndRejectedSpans()
    {
        const qint64 unpricedBefore = m_fx.get(u"/api/public/ingestion/stats"_s)
                                          .json.value(u"unpricedObservations"_s)
                                          .toInteger();
        const auto attribute = [](const QString &key, const QJsonObject &value) {
            return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
        };
        const QJsonObject genAi{
            {u"traceId"_s, u"feedfacefeedfacefeedfacefeedface"_s},
            {u"spanId"_s, u"0123456789abcdef"_s},
            {u"name"_s, u"chat mystery-model"_s},
            {u"startTimeUnixNano"_s, u"1796040000000000000"_s},
            {u"endTimeUnixNano"_s, u"1796040000500000000"_s},
            {u"attributes"_s,
             QJsonArray{
                 attribute(u"gen_ai.request.model"_s,
                           QJsonObject{{u"stringValue"_s, u"mystery-model"_s}}),
                 attribute(u"gen_ai.usage.input_tokens"_s, QJsonObject{{u"intValue"_s, 7}}),
                 attribute(u"gen_ai.usage.output_tokens"_s, QJsonObject{{u"intValue"_s, u"3"_s}}),
                 attribute(u"langfuse.user.id"_s,
                           QJsonObject{{u"stringValue"_s, u"genai@example.com"_s}})}},
            {u"status"_s, QJsonObject{{u"code"_s, 2}, {u"message"_s, u"rate limited"_s}}}};
        QJsonObject broken = genAi;
        broken.insert(u"spanId"_s, u"not-an-id"_s);
        const IngestReply reply = m_fx.post(kOtlpPath, compact(request({genAi, broken})));
        QCOMPARE(reply.status, 200);
        const QJsonObject partial = reply.json.value(u"partialSuccess"_s).toObject();
        QCOMPARE(partial.value(u"rejectedSpans"_s).toInt(), 1);
        QVERIFY(partial.value(u"errorMessage"_s).toString().contains(u"spanId"_s));

        const QJsonObject user = m_fx.user(u"genai@example.com"_s);
        QCOMPARE(user.value(u"totalObservations"_s).toInt(), 1);
        QCOMPARE(user.value(u"inputTokens"_s).toInteger(), 7);
        QCOMPARE(user.value(u"outputTokens"_s).toInteger(), 3);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.0);
        const QJsonObject o = m_fx.get(u"/api/public/traces/feedfacefeedfacefeedfacefeedface"_s)
                                  .json.value(u"observations"_s)
                                  .toArray()
                                  .first()
                                  .toObject();
        QCOMPARE(o.value(u"type"_s).toString(), u"GENERATION"_s);
        QCOMPARE(o.value(u"level"_s).toString(), u"ERROR"_s);
        QCOMPARE(o.value(u"statusMessage"_s).toString(), u"rate limited"_s);
        QCOMPARE(m_fx.get(u"/api/public/ingestion/stats"_s)
                     .json.value(u"unpricedObservations"_s)
                     .toInteger(),
                 unpricedBefore + 1);
    }

private:
    // The fixture's figures: 4 observations, 1600 / 400 tokens, $0.0081 (priced) + $0.0003 (sent).
    void verifyFixtureFigures(const QString &traceId, const QString &userId)
    {
        const QJsonObject user = m_fx.user(userId);
        QCOMPARE(user.value(u"totalTraces"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalSessions"_s).toInt(), 1);
        QCOMPARE(user.value(u"totalObservations"_s).toInt(), 4);
        QCOMPARE(user.value(u"inputTokens"_s).toInteger(), 1600);
        QCOMPARE(user.value(u"outputTokens"_s).toInteger(), 400);
        QCOMPARE(user.value(u"totalTokens"_s).toInteger(), 2000);
        QCOMPARE(user.value(u"totalCost"_s).toDouble(), 0.0084);
        QCOMPARE(user.value(u"environments"_s).toArray(), QJsonArray{u"production"_s});
        const QJsonObject trace = m_fx.get(u"/api/public/traces/"_s + traceId).json;
        QCOMPARE(trace.value(u"observationCount"_s).toInt(), 4);
        QCOMPARE(trace.value(u"totalCost"_s).toDouble(), 0.0084);
        QCOMPARE(trace.value(u"name"_s).toString(), u"support-chat"_s);
    }

    IngestFixture m_fx;
};

QTEST_GUILESS_MAIN(TestOtlpIngest)
#include "tst_otlpingest.moc"
