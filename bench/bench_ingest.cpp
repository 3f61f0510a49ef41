// SPDX-License-Identifier: GPL-3.0-or-later
// Ingestion throughput of the real xeroml-server (its own process, loopback HTTP), in
// observations per second from the first request sent to the last answer received:
//   1. OTLP/HTTP JSON: requests of --batch traces' spans (one root span + generations each);
//   2. batch events (POST /api/public/ingestion): trace-create + span/generation-create events
//      for the same rows;
// against the floor: the same trace and observation rows inserted into a fresh store file
// (same schema, indexes and rollup triggers) through prepared sqlite3 statements in one
// transaction, aggregates computed by the client beforehand.
// Request bodies are built before the clock starts; --clients keep-alive connections each keep
// one request in flight. Also printed: observations per CPU-second (server process, all
// threads; the floor's thread), which the machine's other load moves much less than wall time,
// and the OTLP JSON parse + decode alone.
// Usage: bench_ingest [--traces N] [--observations K] [--batch B] [--clients C] [--runs R]
// Measured (release build, quiet 2-core machine, load average ~1.5, defaults, median of 3):
//   OTLP 64,603 obs/s (0.84× floor), batch events 59,560 obs/s (0.77×), floor 76,915 obs/s;
//   per CPU-second 44,643 / 46,296 / 80,146 (0.56× / 0.58×). Under other builds' load (~11)
//   the wall-clock rates fall to 18–22k obs/s with the ratios near 0.5×.
#include "server/ingestor.h"
#include "server/otlpdecoder.h"
#include "server/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kPublicKey = "pk-bench";
const QByteArray kSecretKey = "sk-bench-ingest";
constexpr qint64 kBaseNs = 1764576000000000000LL; // 2025-12-01T08:00:00Z

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(message));
    std::exit(1);
}

struct Shape
{
    int traces = 5000;
    int observations = 5; // per trace: one root span + (observations - 1) generations
    int batch = 50;       // traces per request
    int clients = 4;
};

QString traceHex(int run, int trace)
{
    // Never all zeros: that is OTel's invalid trace id.
    return u"%1%2"_s.arg(run + 1, 8, 16, QChar(u'0')).arg(trace, 24, 16, QChar(u'0'));
}

QString spanHex(int trace, int observation)
{
    return u"%1%2"_s.arg(trace, 12, 16, QChar(u'0')).arg(observation + 1, 4, 16, QChar(u'0'));
}

QString userOf(int trace)
{
    return u"bench-user-%1"_s.arg(trace % 200);
}

qint64 inputTokens(int trace, int observation)
{
    return 300 + (trace * 7 + observation * 13) % 900;
}

QJsonObject attribute(const QString &key, const QJsonObject &value)
{
    return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
}

QJsonObject string(const QString &text)
{
    return QJsonObject{{u"stringValue"_s, text}};
}

QList<QByteArray> otlpBodies(const Shape &shape, int run)
{
    QList<QByteArray> bodies;
    for (int first = 0; first < shape.traces; first += shape.batch) {
        QJsonArray spans;
        for (int t = first; t < std::min(shape.traces, first + shape.batch); ++t) {
            const QString traceId = traceHex(run, t);
            const qint64 start = kBaseNs + qint64(t) * 1000000000LL;
            for (int o = shape.observations - 1; o >= 0; --o) { // children before the root
                QJsonArray attributes{attribute(u"user.id"_s, string(userOf(t))),
                                      attribute(u"session.id"_s, string(u"s-%1"_s.arg(t / 5))),
                                      attribute(u"langfuse.trace.name"_s, string(u"chat"_s))};
                QJsonObject span{{u"traceId"_s, traceId},
                                 {u"spanId"_s, spanHex(t, o)},
                                 {u"name"_s, o == 0 ? u"request"_s : u"llm-%1"_s.arg(o)},
                                 {u"kind"_s, 1},
                                 {u"startTimeUnixNano"_s, QString::number(start + o * 1000000LL)},
                                 {u"endTimeUnixNano"_s, QString::number(start + 900000000LL)},
                                 {u"status"_s, QJsonObject{{u"code"_s, 0}}}};
                if (o > 0) {
                    span.insert(u"parentSpanId"_s, spanHex(t, 0));
                    attributes.append(
                        attribute(u"langfuse.observation.type"_s, string(u"generation"_s)));
                    attributes.append(
                        attribute(u"langfuse.observation.model.name"_s, string(u"gpt-4o-mini"_s)));
                    attributes.append(attribute(
                        u"langfuse.observation.usage_details"_s,
                        string(u"{\"input\":%1,\"output\":120}"_s.arg(inputTokens(t, o)))));
                    attributes.append(attribute(u"langfuse.observation.input"_s,
                                                string(u"[{\"role\":\"user\",\"content\":"
                                                       "\"What does my plan cover?\"}]"_s)));
                }
                span.insert(u"attributes"_s, attributes);
                spans.append(span);
            }
        }
        const QJsonObject document{
            {u"resourceSpans"_s,
             QJsonArray{QJsonObject{
                 {u"resource"_s,
                  QJsonObject{{u"attributes"_s,
                               QJsonArray{attribute(u"service.name"_s, string(u"bench"_s))}}}},
                 {u"scopeSpans"_s,
                  QJsonArray{QJsonObject{{u"scope"_s, QJsonObject{{u"name"_s, u"langfuse-sdk"_s}}},
                                         {u"spans"_s, spans}}}}}}}};
        bodies.append(QJsonDocument(document).toJson(QJsonDocument::Compact));
    }
    return bodies;
}

QString iso(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC).toString(Qt::ISODateWithMs);
}

QList<QByteArray> batchBodies(const Shape &shape, int run)
{
    QList<QByteArray> bodies;
    int eventCounter = 0;
    for (int first = 0; first < shape.traces; first += shape.batch) {
        QJsonArray events;
        for (int t = first; t < std::min(shape.traces, first + shape.batch); ++t) {
            const QString traceId = u"b"_s + traceHex(run, t);
            const qint64 start = kBaseNs + qint64(t) * 1000000000LL;
            const QString timestamp = iso(start);
            events.append(
                QJsonObject{{u"id"_s, u"ev-%1-%2"_s.arg(run).arg(eventCounter++)},
                            {u"type"_s, u"trace-create"_s},
                            {u"timestamp"_s, timestamp},
                            {u"body"_s, QJsonObject{{u"id"_s, traceId},
                                                    {u"name"_s, u"chat"_s},
                                                    {u"userId"_s, userOf(t)},
                                                    {u"sessionId"_s, u"s-%1"_s.arg(t / 5)},
                                                    {u"timestamp"_s, timestamp}}}});
            for (int o = 0; o < shape.observations; ++o) {
                QJsonObject body{{u"id"_s, traceId + spanHex(t, o)},
                                 {u"traceId"_s, traceId},
                                 {u"name"_s, o == 0 ? u"request"_s : u"llm-%1"_s.arg(o)},
                                 {u"startTime"_s, iso(start + o * 1000000LL)},
                                 {u"endTime"_s, iso(start + 900000000LL)}};
                if (o > 0) {
                    body.insert(u"parentObservationId"_s, traceId + spanHex(t, 0));
                    body.insert(u"model"_s, u"gpt-4o-mini"_s);
                    body.insert(u"usageDetails"_s,
                                QJsonObject{{u"input"_s, inputTokens(t, o)}, {u"output"_s, 120}});
                    body.insert(u"input"_s, QJsonArray{QJsonObject{
                                                {u"role"_s, u"user"_s},
                                                {u"content"_s, u"What does my plan cover?"_s}}});
                }
                events.append(
                    QJsonObject{{u"id"_s, u"ev-%1-%2"_s.arg(run).arg(eventCounter++)},
                                {u"type"_s, o == 0 ? u"span-create"_s : u"generation-create"_s},
                                {u"timestamp"_s, timestamp},
                                {u"body"_s, body}});
            }
        }
        bodies.append(
            QJsonDocument(QJsonObject{{u"batch"_s, events}}).toJson(QJsonDocument::Compact));
    }
    return bodies;
}

class Server
{
public:
    explicit Server(const QString &db)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XEROML_BENCH_SECRET"_s, QString::fromLatin1(kSecretKey));
        m_process.setProcessEnvironment(env);
        m_process.start(QStringLiteral(XEROML_SERVER_BIN),
                        {u"--db"_s, db, u"--listen"_s, u"127.0.0.1:0"_s, u"--public-key"_s,
                         QString::fromLatin1(kPublicKey), u"--secret-key-env"_s,
                         u"XEROML_BENCH_SECRET"_s});
        QByteArray out;
        while (!out.contains('\n')) {
            if (!m_process.waitForReadyRead(60000))
                die(u"xeroml-server did not start: "_s +
                    QString::fromLocal8Bit(m_process.readAllStandardError()));
            out += m_process.readAllStandardOutput();
        }
        const QByteArray line = out.left(out.indexOf('\n')).trimmed();
        m_port = static_cast<quint16>(line.mid(line.lastIndexOf(':') + 1).toUInt());
    }
    ~Server()
    {
        m_process.terminate();
        m_process.waitForFinished(10000);
    }
    [[nodiscard]] quint16 port() const { return m_port; }
    /// CPU seconds the server process has used so far (user + system, all threads).
    [[nodiscard]] double cpuSeconds() const
    {
        QFile stat(u"/proc/%1/stat"_s.arg(m_process.processId()));
        if (!stat.open(QIODevice::ReadOnly))
            return 0;
        const QByteArray text = stat.readAll();
        // Fields after the command name, which is in parentheses and may hold spaces.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 13)
            return 0;
        return (fields.at(11).toDouble() + fields.at(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

// One keep-alive HTTP/1.1 connection with TCP_NODELAY that writes each request in one piece.
// (QNetworkAccessManager writes headers and body apart; with Nagle on its socket, the body then
// waits for the server's delayed ACK, ~40 ms a request: the bench would time that stall.)
class Connection : public QObject
{
public:
    Connection(quint16 port, QByteArray head, std::function<void(Connection *)> idle)
        : m_head(std::move(head))
        , m_idle(std::move(idle))
    {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, this, [this] { read(); });
        QObject::connect(&m_socket, &QTcpSocket::connected, this, [this] {
            m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
            m_idle(this);
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    void post(const QByteArray &body, int okStatus)
    {
        m_okStatus = okStatus;
        m_socket.write(m_head + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

private:
    void read()
    {
        m_buffer += m_socket.readAll();
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = m_buffer.left(end).toLower();
        const qsizetype at = head.indexOf("content-length:");
        const qsizetype length =
            at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return;
        const int status = m_buffer.mid(9, 3).toInt();
        const QByteArray answer = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        if (status != m_okStatus || answer.contains("\"errors\":[{"))
            die(u"request failed: HTTP %1 %2"_s.arg(status).arg(
                QString::fromUtf8(answer.left(300))));
        m_idle(this);
    }

    QTcpSocket m_socket;
    QByteArray m_head;
    QByteArray m_buffer;
    std::function<void(Connection *)> m_idle;
    int m_okStatus = 200;
};

// Sends every body over `clients` connections; returns seconds to the last answer.
double send(quint16 port, const QString &path, const QList<QByteArray> &bodies, int clients,
            int okStatus)
{
    const QByteArray head = "POST " + path.toUtf8() +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            "Authorization: Basic " +
                            (kPublicKey + ':' + kSecretKey).toBase64() + "\r\nContent-Length: ";
    qsizetype next = 0;
    qsizetype answered = -clients; // each connection reports idle once when it connects
    QEventLoop loop;
    QElapsedTimer timer;
    const auto idle = [&](Connection *connection) {
        if (++answered == bodies.size()) {
            loop.quit();
            return;
        }
        if (next < bodies.size())
            connection->post(bodies.at(next++), okStatus);
    };
    std::vector<std::unique_ptr<Connection>> connections;
    timer.start();
    for (int i = 0; i < clients; ++i)
        connections.push_back(std::make_unique<Connection>(port, head, idle));
    loop.exec();
    return double(timer.nsecsElapsed()) / 1e9;
}

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        die(u"%1: %2"_s.arg(QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(db))));
}

// The same rows straight into a fresh store file: prepared statements, one transaction.
double floorSeconds(const Shape &shape, const QString &path, double *cpuSeconds)
{
    {
        xeroml::server::Store store; // the schema, indexes and rollup triggers
        QString error;
        if (!store.open(path, &error))
            die(error);
    }
    sqlite3 *db = nullptr;
    check(sqlite3_open(path.toUtf8().constData(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                       nullptr),
          db, "pragmas");
    sqlite3_stmt *trace = nullptr;
    sqlite3_stmt *observation = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO traces (id, ts, name, user_id, user_id_lower, session_id,"
                             " environment, tags, latency_ms, observation_count, input_tokens,"
                             " output_tokens, total_tokens, total_cost_nanos) VALUES"
                             " (?, ?, 'chat', ?, ?, ?, 'default', '[]', 900, ?, ?, ?, ?, ?)",
                             -1, &trace, nullptr),
          db, "prepare traces");
    check(sqlite3_prepare_v2(
              db,
              "INSERT INTO observations (id, trace_id, parent_observation_id, type, name,"
              " start_time, end_time, model, input, environment, input_tokens, output_tokens,"
              " total_tokens, input_cost_nanos, output_cost_nanos, total_cost_nanos, cost_source)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'default', ?, ?, ?, ?, ?, ?, ?)",
              -1, &observation, nullptr),
          db, "prepare observations");
    const auto text = [](sqlite3_stmt *s, int i, const QByteArray &v) {
        sqlite3_bind_text(s, i, v.constData(), int(v.size()), SQLITE_TRANSIENT);
    };
    const QByteArray input = "[{\"role\":\"user\",\"content\":\"What does my plan cover?\"}]";
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = threadCpuSeconds();
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (int t = 0; t < shape.traces; ++t) {
        const QByteArray traceId = traceHex(0, t).toUtf8();
        const qint64 startMs = (kBaseNs + qint64(t) * 1000000000LL) / 1000000;
        qint64 in = 0;
        qint64 cost = 0;
        for (int o = 0; o < shape.observations; ++o) {
            const qint64 tokens = o > 0 ? inputTokens(t, o) : 0;
            const qint64 out = o > 0 ? 120 : 0;
            const qint64 inCost = tokens * 150; // gpt-4o-mini: $0.15 / $0.60 per 1M
            const qint64 outCost = out * 600;
            in += tokens;
            cost += inCost + outCost;
            sqlite3_reset(observation);
            text(observation, 1, traceId + spanHex(t, o).toUtf8());
            text(observation, 2, traceId);
            if (o > 0)
                text(observation, 3, traceId + spanHex(t, 0).toUtf8());
            else
                sqlite3_bind_null(observation, 3);
            text(observation, 4, o > 0 ? "GENERATION" : "SPAN");
            text(observation, 5, o > 0 ? "llm" : "request");
            sqlite3_bind_int64(observation, 6, startMs + o);
            sqlite3_bind_int64(observation, 7, startMs + 900);
            if (o > 0) {
                text(observation, 8, "gpt-4o-mini");
                text(observation, 9, input);
            } else {
                sqlite3_bind_null(observation, 8);
                sqlite3_bind_null(observation, 9);
            }
            sqlite3_bind_int64(observation, 10, tokens);
            sqlite3_bind_int64(observation, 11, out);
            sqlite3_bind_int64(observation, 12, tokens + out);
            sqlite3_bind_int64(observation, 13, inCost);
            sqlite3_bind_int64(observation, 14, outCost);
            sqlite3_bind_int64(observation, 15, inCost + outCost);
            sqlite3_bind_int(observation, 16, o > 0 ? 2 : 0);
            check(sqlite3_step(observation), db, "insert observation");
        }
        const qint64 out = qint64(shape.observations - 1) * 120;
        const QByteArray user = userOf(t).toUtf8();
        sqlite3_reset(trace);
        text(trace, 1, traceId);
        sqlite3_bind_int64(trace, 2, startMs);
        text(trace, 3, user);
        text(trace, 4, user.toLower());
        text(trace, 5, u"s-%1"_s.arg(t / 5).toUtf8());
        sqlite3_bind_int64(trace, 6, shape.observations);
        sqlite3_bind_int64(trace, 7, in);
        sqlite3_bind_int64(trace, 8, out);
        sqlite3_bind_int64(trace, 9, in + out);
        sqlite3_bind_int64(trace, 10, cost);
        check(sqlite3_step(trace), db, "insert trace");
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    *cpuSeconds = threadCpuSeconds() - cpuStart;
    sqlite3_finalize(trace);
    sqlite3_finalize(observation);
    sqlite3_close(db);
    return seconds;
}

// The server's CPU work before SQL, alone: JSON parse and OTLP decode of every request body.
double decodeSeconds(const QList<QByteArray> &bodies)
{
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray &body : bodies) {
        xeroml::server::IngestBatch batch;
        int rejected = 0;
        QString message;
        QString error;
        if (!xeroml::server::OtlpDecoder::decode(QJsonDocument::fromJson(body).object(), &batch,
                                                 &rejected, &message, &error) ||
            rejected != 0)
            die(u"decode failed: "_s + error + message);
    }
    return double(timer.nsecsElapsed()) / 1e9;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption tracesOption(u"traces"_s, u"Traces per run."_s, u"N"_s, u"5000"_s);
    const QCommandLineOption observationsOption(u"observations"_s,
                                                u"Observations per trace (≥ 2)."_s, u"K"_s, u"5"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"Traces per request."_s, u"B"_s, u"50"_s);
    const QCommandLineOption clientsOption(u"clients"_s, u"Requests in flight."_s, u"C"_s, u"4"_s);
    const QCommandLineOption runsOption(u"runs"_s, u"Runs (median reported)."_s, u"R"_s, u"3"_s);
    parser.addOptions({tracesOption, observationsOption, batchOption, clientsOption, runsOption});
    parser.process(app);
    Shape shape;
    shape.traces = parser.value(tracesOption).toInt();
    shape.observations = parser.value(observationsOption).toInt();
    shape.batch = parser.value(batchOption).toInt();
    shape.clients = parser.value(clientsOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    if (shape.traces < 1 || shape.observations < 2 || shape.batch < 1 || shape.clients < 1)
        die(u"--traces, --batch, --clients must be positive and --observations at least 2"_s);
    const double observations = double(shape.traces) * shape.observations;

    QTemporaryDir dir;
    QList<double> otlp;
    QList<double> batch;
    QList<double> floor;
    QList<double> decode;
    QList<double> otlpCpu;
    QList<double> batchCpu;
    QList<double> floorCpu;
    for (int run = 0; run < runs; ++run) {
        // A fresh server and file per run, so that every run inserts into the same state.
        const QList<QByteArray> otlpRequests = otlpBodies(shape, run);
        const QList<QByteArray> batchRequests = batchBodies(shape, run);
        {
            Server server(dir.filePath(u"otlp-%1.db"_s.arg(run)));
            const double cpu = server.cpuSeconds();
            otlp.append(observations / send(server.port(), u"/api/public/otel/v1/traces"_s,
                                            otlpRequests, shape.clients, 200));
            otlpCpu.append(observations / (server.cpuSeconds() - cpu));
        }
        {
            Server server(dir.filePath(u"batch-%1.db"_s.arg(run)));
            const double cpu = server.cpuSeconds();
            batch.append(observations / send(server.port(), u"/api/public/ingestion"_s,
                                             batchRequests, shape.clients, 207));
            batchCpu.append(observations / (server.cpuSeconds() - cpu));
        }
        double cpu = 0;
        floor.append(observations /
                     floorSeconds(shape, dir.filePath(u"floor-%1.db"_s.arg(run)), &cpu));
        floorCpu.append(observations / cpu);
        decode.append(observations / decodeSeconds(otlpRequests));
        std::printf("run %d: OTLP %.0f obs/s (%.0f per CPU-s), batch %.0f (%.0f), floor %.0f"
                    " (%.0f)\n",
                    run + 1, otlp.last(), otlpCpu.last(), batch.last(), batchCpu.last(),
                    floor.last(), floorCpu.last());
        std::fflush(stdout);
    }
    const double f = median(floor);
    const double fc = median(floorCpu);
    std::printf("\n%d traces × %d observations, %d traces per request, %d connections, median of %d"
                " runs\n",
                shape.traces, shape.observations, shape.batch, shape.clients, runs);
    std::printf("%-34s %10s %8s %14s %8s\n", "path", "obs/s", "× floor", "obs/CPU-s", "× floor");
    const auto line = [&](const char *name, double wall, double cpu) {
        std::printf("%-34s %10.0f %8.2f %14.0f %8.2f\n", name, wall, wall / f, cpu, cpu / fc);
    };
    line("OTLP/HTTP JSON", median(otlp), median(otlpCpu));
    line("batch events (/ingestion)", median(batch), median(batchCpu));
    line("floor: sqlite3 prepared, 1 txn", f, fc);
    std::printf("%-34s %10.0f %8.2f\n", "(OTLP JSON parse + decode only)", median(decode),
                median(decode) / f);
    std::printf("obs/CPU-s: observations per CPU-second of the server process (all threads) or of"
                " the floor's thread; wall-clock obs/s depend on what else runs on the machine\n");
    return 0;
}
