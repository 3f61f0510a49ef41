// SPDX-License-Identifier: GPL-3.0-or-later
// Times demo-data generation and the read API over real HTTP on the local server: /users
// first page (limit 100) for every orderBy (all time and last 30 days), with search, page 1 vs
// page 500; /metrics/user-cost-histogram (columns, and its SQL fallback in-process);
// /users/{id}, /traces?userId=, /metrics/daily?userId= (90 days), the Metrics API's
// "observations by user, top 100 by cost, 30 days"; the process's memory; and, with --compare,
// the same per-user aggregate as a plain GROUP BY in the sqlite3 CLI and in DuckDB (in memory).
#include "server/costhistogram.h"
#include "server/localserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace xeroml::server;

namespace {

struct Timing
{
    double p50 = 0;
    double p95 = 0;
    qint64 totalItems = 0;
    int status = 0;
};

class Client
{
public:
    Client(QUrl base, const Credentials &keys)
        : m_base(std::move(base))
        , m_authorization("Basic " +
                          (keys.publicKey + QLatin1Char(':') + keys.secretKey).toUtf8().toBase64())
    {
        m_nam.setProxy(QNetworkProxy::NoProxy);
    }

    // One warm-up request, then `runs` timed ones.
    Timing time(const QUrlQuery &query, int runs)
    {
        return time(QStringLiteral("/api/public/users"), query, runs);
    }

    Timing time(const QString &encodedPath, const QUrlQuery &query, int runs)
    {
        std::vector<double> ms;
        Timing timing;
        for (int i = 0; i <= runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            const QByteArray body = get(encodedPath, query, &timing.status);
            if (i > 0)
                ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
            if (i == 0) {
                const auto meta =
                    QJsonDocument::fromJson(body).object().value(QLatin1String("meta"));
                timing.totalItems = meta.toObject().value(QLatin1String("totalItems")).toInteger();
            }
        }
        std::sort(ms.begin(), ms.end());
        const auto at = [&ms](double q) {
            return ms[std::min(ms.size() - 1,
                               static_cast<size_t>(q * static_cast<double>(ms.size())))];
        };
        timing.p50 = at(0.5);
        timing.p95 = at(0.95);
        return timing;
    }

private:
public:
    QByteArray get(const QString &encodedPath, const QUrlQuery &query, int *status)
    {
        QUrl url(m_base.toString() + encodedPath);
        url.setQuery(query);
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", m_authorization);
        QNetworkReply *reply = m_nam.get(request);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        return body;
    }

private:
    QUrl m_base;
    QByteArray m_authorization;
    QNetworkAccessManager m_nam;
};

QString procStatus(const char *key)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(key))
            return QString::fromLatin1(line.mid(static_cast<qsizetype>(qstrlen(key)))).simplified();
    }
    return {};
}

// Wall time of one external command in ms (p50 of `runs`), its stdout in *out.
double timeCommand(const QString &program, const QStringList &arguments, int runs,
                   QByteArray *out = nullptr)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QProcess process;
        QElapsedTimer timer;
        timer.start();
        process.start(program, arguments);
        if (!process.waitForFinished(600000) || process.exitCode() != 0) {
            std::fprintf(stderr, "%s failed: %s\n", qPrintable(program),
                         process.readAllStandardError().constData());
            return -1;
        }
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        if (out)
            *out = process.readAllStandardOutput();
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void report(const char *label, const Timing &t)
{
    std::printf("%-52s %8.2f %8.2f %10lld %5d\n", label, t.p50, t.p95,
                static_cast<long long>(t.totalItems), t.status);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Benchmark of GET /api/public/users."));
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("users"), QStringLiteral("Demo users."), QStringLiteral("N"),
                        QStringLiteral("2000")},
                       {QStringLiteral("traces"), QStringLiteral("Demo traces."),
                        QStringLiteral("M"), QStringLiteral("50000")},
                       {QStringLiteral("seed"), QStringLiteral("Seed."), QStringLiteral("S"),
                        QStringLiteral("7")},
                       {QStringLiteral("runs"), QStringLiteral("Timed runs per query."),
                        QStringLiteral("R"), QStringLiteral("20")},
                       {QStringLiteral("db"),
                        QStringLiteral("Database file (reused when it holds data; default: a "
                                       "temporary file)."),
                        QStringLiteral("FILE")},
                       {QStringLiteral("compare"),
                        QStringLiteral("Also time the sqlite3 CLI and DuckDB (bench/compare, after "
                                       "npm install there) on the same rows.")}});
    parser.process(app);

    QTemporaryDir dir;
    const QString db = parser.isSet(QStringLiteral("db"))
                           ? parser.value(QStringLiteral("db"))
                           : dir.filePath(QStringLiteral("bench.db"));
    LocalServer server;
    QString error;
    if (!server.open(db, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    DemoOptions options;
    options.users = parser.value(QStringLiteral("users")).toInt();
    options.traces = parser.value(QStringLiteral("traces")).toInt();
    options.seed = parser.value(QStringLiteral("seed")).toULongLong();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    options.anchor = QDateTime::fromMSecsSinceEpoch(now - now % 3600000, Qt::UTC);
    if (server.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        const auto progress = [](qint64 done, qint64 total) {
            if (done % 100000 == 0 || done == total)
                std::fprintf(stderr, "generating: %lld / %lld traces\n",
                             static_cast<long long>(done), static_cast<long long>(total));
        };
        if (!server.seedDemo(options, progress, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        const double seconds = static_cast<double>(timer.elapsed()) / 1000.0;
        std::printf("generated %d users, %d traces in %.2f s: %.0f traces/s; file %.1f MB\n",
                    options.users, options.traces, seconds, options.traces / seconds,
                    static_cast<double>(QFileInfo(db).size() +
                                        QFileInfo(db + QStringLiteral("-wal")).size()) /
                        1e6);
    } else {
        std::printf("reusing %s\n", qPrintable(db));
    }
    QElapsedTimer listenTimer;
    listenTimer.start();
    if (!server.listen(QHostAddress::LocalHost, 0, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    std::printf("server start (opening, loading the trace columns): %lld ms\n",
                static_cast<long long>(listenTimer.elapsed()));
    Client client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())),
                  server.credentials());
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const QString last30 =
        QDateTime::fromMSecsSinceEpoch(now - 30LL * 86400000, Qt::UTC).toString(Qt::ISODateWithMs);

    std::printf("%-52s %8s %8s %10s %5s\n", "GET /api/public/users (limit 100)", "p50 ms", "p95 ms",
                "totalItems", "HTTP");
    const char *fields[] = {"userId",       "totalTraces",  "totalSessions", "totalObservations",
                            "inputTokens",  "outputTokens", "totalTokens",   "totalCost",
                            "averageScore", "firstTraceAt", "lastTraceAt"};
    for (const bool recent : {false, true}) {
        for (const char *field : fields) {
            for (const char *direction : {"desc", "asc"}) {
                QUrlQuery query;
                query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
                query.addQueryItem(QStringLiteral("orderBy"), QLatin1String(field) +
                                                                  QLatin1Char('.') +
                                                                  QLatin1String(direction));
                if (recent)
                    query.addQueryItem(QStringLiteral("fromTimestamp"), last30);
                const QByteArray label =
                    QByteArray(recent ? "30d " : "all ") + field + '.' + direction;
                report(label.constData(), client.time(query, runs));
            }
        }
    }
    for (const char *search : {"@", "team/", "zoë", "no-such-user"}) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
        query.addQueryItem(QStringLiteral("search"), QString::fromUtf8(search));
        query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalCost.desc"));
        report((QByteArray("all search=") + search).constData(), client.time(query, runs));
    }
    for (const int page : {1, 500}) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalCost.desc"));
        query.addQueryItem(QStringLiteral("page"), QString::number(page));
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
        report((QByteArray("all totalCost.desc page=") + QByteArray::number(page)).constData(),
               client.time(query, runs));
    }
    {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("environment"), QStringLiteral("staging"));
        report("all environment=staging", client.time(query, runs));
    }

    // The users page's cost histogram: users per decade of cost, from the trace columns; and
    // the same counts by the SQL fallback (one GROUP BY user, bucketed by digit count).
    const QString histogram = QStringLiteral("/api/public/metrics/user-cost-histogram");
    {
        QSqlDatabase sqlDb =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench-histogram"));
        sqlDb.setDatabaseName(db);
        const bool sqlOpen = sqlDb.open();
        for (int variant = 0; variant < 4; ++variant) {
            QUrlQuery query;
            UsersRequest request;
            const char *label[] = {"histogram all", "histogram 30d", "histogram search=@",
                                   "histogram environment=staging"};
            if (variant == 1) {
                query.addQueryItem(QStringLiteral("fromTimestamp"), last30);
                request.fromMs = now - 30LL * 86400000;
            } else if (variant == 2) {
                query.addQueryItem(QStringLiteral("search"), QStringLiteral("@"));
                request.search = QStringLiteral("@");
            } else if (variant == 3) {
                query.addQueryItem(QStringLiteral("environment"), QStringLiteral("staging"));
                request.environments = {QStringLiteral("staging")};
            }
            report(label[variant], client.time(histogram, query, runs));
            if (!sqlOpen)
                continue;
            std::vector<double> ms;
            for (int i = 0; i < std::max(3, runs / 4); ++i) {
                QElapsedTimer timer;
                timer.start();
                QString sqlError;
                if (!CostHistogram::fromSql(sqlDb, request, &sqlError))
                    std::fprintf(stderr, "%s\n", qPrintable(sqlError));
                ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
            }
            std::sort(ms.begin(), ms.end());
            std::printf("%-52s %8.2f\n",
                        (QByteArray("  SQL fallback, ") + label[variant]).constData(),
                        ms[ms.size() / 2]);
        }
        sqlDb.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-histogram"));

    // One user: the heaviest (most traces) and the median one.
    QStringList sampleUsers;
    for (const char *order : {"totalTraces.desc", "totalTraces.asc"}) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("orderBy"), QLatin1String(order));
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
        if (qstrcmp(order, "totalTraces.asc") == 0)
            query.addQueryItem(QStringLiteral("page"), QString::number(options.users / 2));
        int status = 0;
        const auto data =
            QJsonDocument::fromJson(client.get(QStringLiteral("/api/public/users"), query, &status))
                .object()
                .value(QLatin1String("data"))
                .toArray();
        if (!data.isEmpty())
            sampleUsers.append(data.first().toObject().value(QLatin1String("userId")).toString());
    }
    const QString last90 =
        QDateTime::fromMSecsSinceEpoch(now - 90LL * 86400000, Qt::UTC).toString(Qt::ISODateWithMs);
    for (qsizetype i = 0; i < sampleUsers.size(); ++i) {
        const QString &user = sampleUsers[i];
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(user));
        const QByteArray who = i == 0 ? "heaviest user" : "median user";
        std::printf("%s: %s\n", who.constData(), qPrintable(user));
        report((QByteArray("  /users/{id} ") + who).constData(),
               client.time(QStringLiteral("/api/public/users/") + encoded, {}, runs));
        QUrlQuery traces;
        traces.addQueryItem(QStringLiteral("userId"), encoded);
        report((QByteArray("  /traces?userId= ") + who).constData(),
               client.time(QStringLiteral("/api/public/traces"), traces, runs));
        QUrlQuery core = traces;
        core.addQueryItem(QStringLiteral("fields"), QStringLiteral("core"));
        report((QByteArray("  /traces?userId=&fields=core ") + who).constData(),
               client.time(QStringLiteral("/api/public/traces"), core, runs));
        QUrlQuery daily = traces;
        daily.addQueryItem(QStringLiteral("fromTimestamp"), last90);
        report((QByteArray("  /metrics/daily?userId= 90 days ") + who).constData(),
               client.time(QStringLiteral("/api/public/metrics/daily"), daily, runs));
        QUrlQuery sessions = traces;
        report((QByteArray("  /sessions?userId= ") + who).constData(),
               client.time(QStringLiteral("/api/public/sessions"), sessions, runs));
    }
    {
        const QJsonObject metrics{
            {QStringLiteral("view"), QStringLiteral("observations")},
            {QStringLiteral("dimensions"),
             QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("userId")}}}},
            {QStringLiteral("metrics"),
             QJsonArray{QJsonObject{{QStringLiteral("measure"), QStringLiteral("totalCost")},
                                    {QStringLiteral("aggregation"), QStringLiteral("sum")}}}},
            {QStringLiteral("fromTimestamp"), last30},
            {QStringLiteral("orderBy"),
             QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("sum_totalCost")},
                                    {QStringLiteral("direction"), QStringLiteral("desc")}}}},
            {QStringLiteral("config"), QJsonObject{{QStringLiteral("row_limit"), 100}}}};
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("query"),
                           QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(
                               QJsonDocument(metrics).toJson(QJsonDocument::Compact)))));
        report("metrics: observations by user, top 100 cost, 30d",
               client.time(QStringLiteral("/api/public/metrics"), query, runs));
        QJsonObject sql = metrics;
        sql.insert(QStringLiteral("view"), QStringLiteral("traces")); // same sums per trace
        sql.insert(QStringLiteral("filters"),
                   QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("name")},
                                          {QStringLiteral("operator"), QStringLiteral("!=")},
                                          {QStringLiteral("value"), QStringLiteral("-")}}});
        QUrlQuery sqlQuery;
        sqlQuery.addQueryItem(QStringLiteral("query"),
                              QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(
                                  QJsonDocument(sql).toJson(QJsonDocument::Compact)))));
        report("metrics: same by SQL (traces view, forced)",
               client.time(QStringLiteral("/api/public/metrics"), sqlQuery, std::min(runs, 3)));
    }
    std::printf("memory: VmRSS %s, VmHWM (peak) %s\n", qPrintable(procStatus("VmRSS:")),
                qPrintable(procStatus("VmHWM:")));

    if (parser.isSet(QStringLiteral("compare"))) {
        // The /users first page by totalCost as one plain GROUP BY.
        const QString groupBy = QStringLiteral(
            "SELECT user_id, COUNT(*), COUNT(DISTINCT session_id), SUM(observation_count),"
            " SUM(input_tokens), SUM(output_tokens), SUM(total_tokens), SUM(total_cost_nanos) AS c,"
            " SUM(score_count), SUM(score_sum) / NULLIF(SUM(score_count), 0), MIN(ts), MAX(ts),"
            " GROUP_CONCAT(DISTINCT environment), COUNT(*) OVER () FROM traces"
            " WHERE user_id IS NOT NULL %1 GROUP BY user_id ORDER BY c DESC, user_id LIMIT 100");
        const qint64 from30 = now - 30LL * 86400000;
        const int cliRuns = std::min(runs, 3);
        const double cliAll =
            timeCommand(QStringLiteral("sqlite3"),
                        {QStringLiteral("-readonly"), db, groupBy.arg(QString())}, cliRuns);
        const double cli30 = timeCommand(QStringLiteral("sqlite3"),
                                         {QStringLiteral("-readonly"), db,
                                          groupBy.arg(QStringLiteral("AND ts >= %1").arg(from30))},
                                         cliRuns);
        Timing ours =
            client.time(QUrlQuery(QStringLiteral("orderBy=totalCost.desc&limit=100")), runs);
        QUrlQuery recent(QStringLiteral("orderBy=totalCost.desc&limit=100"));
        recent.addQueryItem(
            QStringLiteral("fromTimestamp"),
            QDateTime::fromMSecsSinceEpoch(from30, Qt::UTC).toString(Qt::ISODateWithMs));
        Timing ours30 = client.time(recent, runs);
        std::printf(
            "\ncomparison: /users first page by totalCost (p50 ms)    all time   30 days\n");
        std::printf("  xeroml-server over HTTP (trace columns)             %8.2f  %8.2f\n",
                    ours.p50, ours30.p50);
        std::printf("  sqlite3 CLI, GROUP BY on the same file               %8.2f  %8.2f  (ratio "
                    "%.1fx, %.1fx)\n",
                    cliAll, cli30, cliAll / ours.p50, cli30 / ours30.p50);

        const QString csv = dir.filePath(QStringLiteral("traces.csv"));
        QProcess exporter;
        exporter.setStandardOutputFile(csv);
        exporter.start(QStringLiteral("sqlite3"),
                       {QStringLiteral("-readonly"), QStringLiteral("-csv"), db,
                        QStringLiteral("SELECT user_id, ts, environment, session_id,"
                                       " observation_count, input_tokens, output_tokens,"
                                       " total_tokens, total_cost_nanos, score_sum, score_count"
                                       " FROM traces WHERE user_id IS NOT NULL")});
        exporter.waitForFinished(600000);
        QByteArray out;
        const QString script = QStringLiteral(XEROML_BENCH_COMPARE_DIR "/duckdb_users.mjs");
        if (timeCommand(QStringLiteral("node"),
                        {script, csv, QString::number(from30), QString::number(runs)}, 1,
                        &out) < 0) {
            std::printf("  DuckDB: not run (npm install in bench/compare first)\n");
        } else {
            const QJsonObject duck = QJsonDocument::fromJson(out).object();
            const double all = duck.value(QLatin1String("allP50")).toDouble();
            const double d30 = duck.value(QLatin1String("windowP50")).toDouble();
            std::printf("  DuckDB in memory (%lld rows, %s threads, load %.0f ms)  %8.2f  %8.2f  "
                        "(ratio %.1fx, %.1fx)\n",
                        static_cast<long long>(duck.value(QLatin1String("rows")).toInteger()),
                        qPrintable(duck.value(QLatin1String("threads")).toVariant().toString()),
                        duck.value(QLatin1String("loadMs")).toDouble(), all, d30, all / ours.p50,
                        d30 / ours30.p50);
        }
        QFile::remove(csv);
    }
    return 0;
}
