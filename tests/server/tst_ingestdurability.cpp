// SPDX-License-Identifier: GPL-3.0-or-later
// The real xeroml-server process: several client threads ingest batch events and OTLP spans
// in parallel while a reader polls /users; every acknowledged request must survive `kill -9`
// and readers must never see a half-written request.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrlQuery>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kPublicKey = "pk-durability";
const QByteArray kSecretKey = "sk-durability-secret";
constexpr int kWriters = 4;
constexpr int kRequestsPerWriter = 12;
constexpr int kTracesPerRequest = 10;
// Each trace: one generation, gpt-4o-mini ($0.15 / $0.60 per 1M tokens).
constexpr qint64 kInput = 1000;
constexpr qint64 kOutput = 100;
constexpr double kCostPerTrace = 0.00021;

struct Answer
{
    int status = -1;
    QJsonObject json;
};

// A blocking request from any thread (its own event loop).
Answer send(QNetworkAccessManager &nam, quint16 port, const QString &path,
            const QByteArray &body = {})
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    request.setRawHeader("Authorization", "Basic " + (kPublicKey + ':' + kSecretKey).toBase64());
    QNetworkReply *reply = nullptr;
    if (body.isNull()) {
        reply = nam.get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        reply = nam.post(request, body);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return answer;
}

QString userOf(int writer)
{
    return u"durable user %1/ü"_s.arg(writer);
}

// Batch events: trace-create + generation-create per trace.
QByteArray batchRequest(int writer, int request)
{
    QJsonArray events;
    for (int t = 0; t < kTracesPerRequest; ++t) {
        const QString trace = u"w%1-r%2-t%3"_s.arg(writer).arg(request).arg(t);
        events.append(
            QJsonObject{{u"id"_s, trace + u"-e1"_s},
                        {u"type"_s, u"trace-create"_s},
                        {u"timestamp"_s, u"2026-12-01T08:00:00.000Z"_s},
                        {u"body"_s, QJsonObject{{u"id"_s, trace},
                                                {u"userId"_s, userOf(writer)},
                                                {u"sessionId"_s, u"s-%1"_s.arg(writer)}}}});
        events.append(QJsonObject{
            {u"id"_s, trace + u"-e2"_s},
            {u"type"_s, u"generation-create"_s},
            {u"timestamp"_s, u"2026-12-01T08:00:00.000Z"_s},
            {u"body"_s, QJsonObject{{u"id"_s, trace + u"-g"_s},
                                    {u"traceId"_s, trace},
                                    {u"model"_s, u"gpt-4o-mini"_s},
                                    {u"usage"_s,
                                     QJsonObject{{u"input"_s, kInput}, {u"output"_s, kOutput}}}}}});
    }
    return QJsonDocument(QJsonObject{{u"batch"_s, events}}).toJson(QJsonDocument::Compact);
}

// OTLP: one generation span per trace, each its own root.
QByteArray otlpRequest(int writer, int request)
{
    const auto attribute = [](const QString &key, const QJsonObject &value) {
        return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
    };
    QJsonArray spans;
    for (int t = 0; t < kTracesPerRequest; ++t) {
        const QString traceId =
            u"%1"_s.arg((writer << 24) | (request << 8) | t, 32, 16, QChar(u'0'));
        spans.append(QJsonObject{
            {u"traceId"_s, traceId},
            {u"spanId"_s, traceId.right(16)},
            {u"name"_s, u"llm"_s},
            {u"startTimeUnixNano"_s, u"1764576000000000000"_s},
            {u"endTimeUnixNano"_s, u"1764576001000000000"_s},
            {u"attributes"_s,
             QJsonArray{
                 attribute(u"user.id"_s, QJsonObject{{u"stringValue"_s, userOf(writer)}}),
                 attribute(u"session.id"_s, QJsonObject{{u"stringValue"_s, u"s-%1"_s.arg(writer)}}),
                 attribute(u"langfuse.observation.type"_s,
                           QJsonObject{{u"stringValue"_s, u"generation"_s}}),
                 attribute(u"langfuse.observation.model.name"_s,
                           QJsonObject{{u"stringValue"_s, u"gpt-4o-mini"_s}}),
                 attribute(u"gen_ai.usage.input_tokens"_s,
                           QJsonObject{{u"intValue"_s, QString::number(kInput)}}),
                 attribute(u"gen_ai.usage.output_tokens"_s,
                           QJsonObject{{u"intValue"_s, kOutput}})}}});
    }
    const QJsonObject document{
        {u"resourceSpans"_s,
         QJsonArray{
             QJsonObject{{u"resource"_s, QJsonObject{{u"attributes"_s, QJsonArray()}}},
                         {u"scopeSpans"_s,
                          QJsonArray{QJsonObject{{u"scope"_s, QJsonObject{{u"name"_s, u"t"_s}}},
                                                 {u"spans"_s, spans}}}}}}}};
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

} // namespace

class TestIngestDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedSurvivesKillAndParallelWritersLoseNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = dir.filePath(u"durable.db"_s);
        quint16 port = 0;
        auto server = start(db, &port);
        QVERIFY(server);

        std::atomic<int> acknowledged{0};
        std::atomic<int> failures{0};
        std::atomic<bool> writing{true};
        std::atomic<int> inconsistent{0};
        std::atomic<int> reads{0};
        std::vector<std::unique_ptr<QThread>> threads;
        for (int w = 0; w < kWriters; ++w) {
            threads.emplace_back(QThread::create([w, port, &acknowledged, &failures] {
                QNetworkAccessManager nam;
                nam.setProxy(QNetworkProxy::NoProxy);
                for (int r = 0; r < kRequestsPerWriter; ++r) {
                    // Even writers send batch events, odd ones OTLP spans.
                    const bool otlp = w % 2 == 1;
                    const Answer answer =
                        otlp ? send(nam, port, u"/api/public/otel/v1/traces"_s, otlpRequest(w, r))
                             : send(nam, port, u"/api/public/ingestion"_s, batchRequest(w, r));
                    const bool ok = otlp ? answer.status == 200
                                         : answer.status == 207 &&
                                               answer.json.value(u"errors"_s).toArray().isEmpty();
                    (ok ? acknowledged : failures) += 1;
                }
            }));
        }
        // A reader meanwhile: every user it sees has whole traces only (tokens = traces × K).
        threads.emplace_back(QThread::create([port, &writing, &inconsistent, &reads] {
            QNetworkAccessManager nam;
            nam.setProxy(QNetworkProxy::NoProxy);
            while (writing) {
                const Answer answer = send(nam, port, u"/api/public/users?limit=1000"_s);
                for (const QJsonValue &value : answer.json.value(u"data"_s).toArray()) {
                    const QJsonObject user = value.toObject();
                    const qint64 traces = user.value(u"totalTraces"_s).toInteger();
                    if (user.value(u"totalTokens"_s).toInteger() != traces * (kInput + kOutput) ||
                        user.value(u"totalObservations"_s).toInteger() != traces)
                        ++inconsistent;
                }
                ++reads;
            }
        }));
        for (auto &thread : threads)
            thread->start();
        for (int i = 0; i < kWriters; ++i)
            QVERIFY(threads[static_cast<size_t>(i)]->wait(120000));
        writing = false;
        QVERIFY(threads.back()->wait(60000));
        QCOMPARE(failures.load(), 0);
        QCOMPARE(acknowledged.load(), kWriters * kRequestsPerWriter);
        QVERIFY(reads.load() > 0);
        QCOMPARE(inconsistent.load(), 0);

        // Straight after the last acknowledgement: SIGKILL, no shutdown path at all.
        server->kill();
        QVERIFY(server->waitForFinished(10000));
        QCOMPARE(server->exitStatus(), QProcess::CrashExit);

        server = start(db, &port);
        QVERIFY(server);
        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy::NoProxy);
        for (int w = 0; w < kWriters; ++w) {
            const Answer answer = send(nam, port,
                                       u"/api/public/users/"_s +
                                           QString::fromLatin1(QUrl::toPercentEncoding(userOf(w))));
            QCOMPARE(answer.status, 200);
            const qint64 traces = kRequestsPerWriter * kTracesPerRequest;
            QCOMPARE(answer.json.value(u"totalTraces"_s).toInteger(), traces);
            QCOMPARE(answer.json.value(u"totalObservations"_s).toInteger(), traces);
            QCOMPARE(answer.json.value(u"totalSessions"_s).toInteger(), 1);
            QCOMPARE(answer.json.value(u"inputTokens"_s).toInteger(), traces * kInput);
            QCOMPARE(answer.json.value(u"outputTokens"_s).toInteger(), traces * kOutput);
            QCOMPARE(answer.json.value(u"totalCost"_s).toDouble(),
                     static_cast<double>(traces) * kCostPerTrace);
        }
        // The event ids survived too: a retry of an acknowledged batch changes nothing.
        QCOMPARE(send(nam, port, u"/api/public/ingestion"_s, batchRequest(0, 0)).status, 207);
        const Answer again =
            send(nam, port,
                 u"/api/public/users/"_s + QString::fromLatin1(QUrl::toPercentEncoding(userOf(0))));
        QCOMPARE(again.json.value(u"totalTraces"_s).toInteger(),
                 kRequestsPerWriter * kTracesPerRequest);
        server->terminate();
        QVERIFY(server->waitForFinished(10000));
    }

private:
    static std::unique_ptr<QProcess> start(const QString &db, quint16 *port)
    {
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XEROML_DURABILITY_SECRET"_s, QString::fromLatin1(kSecretKey));
        process->setProcessEnvironment(env);
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process->start(QStringLiteral(XEROML_SERVER_BINARY),
                       {u"--db"_s, db, u"--listen"_s, u"127.0.0.1:0"_s, u"--public-key"_s,
                        QString::fromLatin1(kPublicKey), u"--secret-key-env"_s,
                        u"XEROML_DURABILITY_SECRET"_s});
        if (!process->waitForStarted(10000))
            return nullptr;
        QByteArray out;
        while (!out.contains('\n')) {
            if (!process->waitForReadyRead(30000))
                return nullptr;
            out += process->readAllStandardOutput();
        }
        const QByteArray line = out.left(out.indexOf('\n')).trimmed();
        if (!line.startsWith("listening on http://127.0.0.1:"))
            return nullptr;
        *port = static_cast<quint16>(line.mid(line.lastIndexOf(':') + 1).toUInt());
        return process;
    }
};

QTEST_GUILESS_MAIN(TestIngestDurability)
#include "tst_ingestdurability.moc"
