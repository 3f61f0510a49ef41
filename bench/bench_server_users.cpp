// SPDX-License-Identifier: GPL-3.0-or-later
// Times demo-data generation and GET /api/public/users over real HTTP on the local server:
// first page for every orderBy (all time and last 30 days), with search, page 1 vs a deep page.
#include "server/localserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
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
        std::vector<double> ms;
        Timing timing;
        for (int i = 0; i <= runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            const QByteArray body = get(query, &timing.status);
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
    QByteArray get(const QUrlQuery &query, int *status)
    {
        QUrl url = m_base;
        url.setPath(QStringLiteral("/api/public/users"));
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

    QUrl m_base;
    QByteArray m_authorization;
    QNetworkAccessManager m_nam;
};

void report(const char *label, const Timing &t)
{
    std::printf("%-44s %8.2f %8.2f %10lld %5d\n", label, t.p50, t.p95,
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
                        QStringLiteral("FILE")}});
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
        if (!server.seedDemo(options, {}, &error)) {
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
    if (!server.listen(QHostAddress::LocalHost, 0, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    Client client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())),
                  server.credentials());
    const int runs = parser.value(QStringLiteral("runs")).toInt();
    const QString last30 =
        QDateTime::fromMSecsSinceEpoch(now - 30LL * 86400000, Qt::UTC).toString(Qt::ISODateWithMs);

    std::printf("%-44s %8s %8s %10s %5s\n", "GET /api/public/users (limit 50)", "p50 ms", "p95 ms",
                "totalItems", "HTTP");
    const char *fields[] = {"userId",       "totalTraces",  "totalSessions", "totalObservations",
                            "inputTokens",  "outputTokens", "totalTokens",   "totalCost",
                            "averageScore", "firstTraceAt", "lastTraceAt"};
    for (const bool recent : {false, true}) {
        for (const char *field : fields) {
            for (const char *direction : {"desc", "asc"}) {
                QUrlQuery query;
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
        query.addQueryItem(QStringLiteral("search"), QString::fromUtf8(search));
        query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalCost.desc"));
        report((QByteArray("all search=") + search).constData(), client.time(query, runs));
    }
    for (const int page : {1, 500}) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalCost.desc"));
        query.addQueryItem(QStringLiteral("page"), QString::number(page));
        report((QByteArray("all totalCost.desc page=") + QByteArray::number(page)).constData(),
               client.time(query, runs));
    }
    {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("environment"), QStringLiteral("staging"));
        report("all environment=staging", client.time(query, runs));
    }
    return 0;
}
