// SPDX-License-Identifier: GPL-3.0-or-later
// The user page for the heaviest user, against the real xeroml-server in its own process:
// from opening the page to its header and charts drawn, minus the server's own time for
// the same requests (/users/{id} and every page of /metrics/daily), per time range.
// Usage: bench_user_page [--db FILE] [--users N] [--traces M] [--seed S] [--runs R]
//                        [--rank K] [--ranges 7d,30d,90d]
// --rank K opens the K-th heaviest user (1 = the heaviest). An existing --db is reused as is.
// QT_LOGGING_RULES=xeroml.api.debug=true logs each of the page's requests with its time.
#include "api/apiclient.h"
#include "bench/benchserver.h"
#include "views/appcontext.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QQuickItem>
#include <QQuickView>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

Q_IMPORT_QML_PLUGIN(XeroML_DashboardPlugin)

namespace {

constexpr int kTimeoutMs = 600000;

template<typename Predicate> void waitOrDie(Predicate done, const char *what)
{
    if (!QTest::qWaitFor(done, kTimeoutMs)) {
        std::fprintf(stderr, "timed out waiting for %s\n", what);
        std::exit(1);
    }
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

// One GET over loopback, timed; returns the body.
QByteArray timedGet(QNetworkAccessManager &nam, const Connection &c, const QString &path,
                    const QUrlQuery &query, double *ms)
{
    QUrl url = c.baseUrl;
    url.setPath(path, QUrl::TolerantMode); // path holds percent-encoded ids
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization",
                         "Basic " +
                             (c.publicKey + QLatin1Char(':') + c.secretKey).toUtf8().toBase64());
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(kTimeoutMs))
        std::exit(1);
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    // A 404 would time the wrong thing (a percent-encoded id encoded twice once did).
    if (const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        status != 200) {
        std::fprintf(stderr, "%s: HTTP %d %s\n", qPrintable(path), status, body.constData());
        std::exit(1);
    }
    *ms += double(timer.nsecsElapsed()) / 1e6;
    return body;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv); // the page's charts need QApplication
    QCommandLineParser parser;
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("database"),
                                   QStringLiteral("FILE"),
                                   QStringLiteral("/tmp/xeroml-bench-users-page.db"));
    const QCommandLineOption usersOpt(QStringLiteral("users"), QStringLiteral("demo users"),
                                      QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption tracesOpt(QStringLiteral("traces"), QStringLiteral("demo traces"),
                                       QStringLiteral("M"), QStringLiteral("1000000"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("seed"),
                                     QStringLiteral("S"), QStringLiteral("42"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("runs per range"),
                                     QStringLiteral("R"), QStringLiteral("5"));
    const QCommandLineOption rankOpt(QStringLiteral("rank"),
                                     QStringLiteral("open the K-th heaviest user"),
                                     QStringLiteral("K"), QStringLiteral("1"));
    const QCommandLineOption rangesOpt(QStringLiteral("ranges"),
                                       QStringLiteral("time range presets, comma-separated"),
                                       QStringLiteral("LIST"), QStringLiteral("7d,30d,90d"));
    parser.addOptions({dbOpt, usersOpt, tracesOpt, seedOpt, runsOpt, rankOpt, rangesOpt});
    parser.addHelpOption();
    parser.process(app);
    const int runs = parser.value(runsOpt).toInt();

    // The server, in its own process.
    BenchServer server;
    if (!server.start(parser.value(dbOpt), parser.value(usersOpt), parser.value(tracesOpt),
                      parser.value(seedOpt), kTimeoutMs))
        return 1;
    const Connection connection = server.connection();

    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    double ignored = 0;
    QUrlQuery heaviestQuery;
    heaviestQuery.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalTraces.desc"));
    heaviestQuery.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
    heaviestQuery.addQueryItem(QStringLiteral("page"),
                               QString::number(std::max(1, parser.value(rankOpt).toInt())));
    const QJsonObject top =
        QJsonDocument::fromJson(
            timedGet(nam, connection, QStringLiteral("/api/public/users"), heaviestQuery, &ignored))
            .object()
            .value(QLatin1String("data"))
            .toArray()
            .at(0)
            .toObject();
    const QString userId = top.value(QLatin1String("userId")).toString();
    std::printf("user #%d by traces, %s: %lld traces\n", std::max(1, parser.value(rankOpt).toInt()),
                qPrintable(userId), top.value(QLatin1String("totalTraces")).toInteger());

    ApiClient client;
    AppContext context(&client);
    AppContext::setInstance(&context);
    context.setReady(connection);
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);

    std::printf("\nopen the user page -> header and charts drawn (ms, median of %d); histogram:\n"
                "until the first score name's histogram is drawn too (Metrics queries)\n",
                runs);
    std::printf("%-10s %10s %10s %10s %10s\n", "range", "server", "drawn", "above", "histogram");
    for (const QString &preset : parser.value(rangesOpt).split(QLatin1Char(','))) {
        QList<double> serverMs, drawnMs, aboveMs, histogramMs;
        for (int run = 0; run < runs; ++run) {
            // The server's own time for what the page's header and charts need.
            double s = 0;
            QUrlQuery range;
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const int days = preset.chopped(1).toInt();
            range.addQueryItem(QStringLiteral("fromTimestamp"),
                               now.addDays(-days).toString(Qt::ISODateWithMs));
            timedGet(nam, connection,
                     QStringLiteral("/api/public/users/") +
                         QString::fromLatin1(QUrl::toPercentEncoding(userId)),
                     range, &s);
            QUrlQuery daily = range;
            daily.addQueryItem(QStringLiteral("userId"), userId);
            daily.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
            timedGet(nam, connection, QStringLiteral("/api/public/metrics/daily"), daily, &s);

            QQuickView view;
            view.engine()->addImportPath(QStringLiteral("qrc:/"));
            view.resize(1280, 800);
            view.setResizeMode(QQuickView::SizeRootObjectToView);
            view.setInitialProperties(
                {{QStringLiteral("userId"), userId}, {QStringLiteral("options"), QVariantMap{}}});
            bool ready = false;
            QObject::connect(&context, &AppContext::pageReady, &view, [&] { ready = true; });
            QElapsedTimer timer;
            timer.start();
            view.setSource(QUrl(QStringLiteral("qrc:/XeroML/Dashboard/pages/UserPage.qml")));
            if (view.status() != QQuickView::Ready) {
                std::fprintf(stderr, "cannot load the user page\n");
                return 1;
            }
            QObject *controller = view.rootObject()->property("controller").value<QObject *>();
            QObject *timeRange = controller->property("timeRange").value<QObject *>();
            timeRange->setProperty("preset", preset);
            view.show();
            // Header and charts: the page's state, not its ready report (which on the overview
            // also waits for the score histogram, measured below).
            waitOrDie(
                [&] {
                    return controller->property("loaded").toBool() &&
                           !controller->property("loading").toBool() &&
                           controller->property("dailyLoaded").toBool();
                },
                "the page's data");
            bool swapped = false;
            QObject::connect(&view, &QQuickWindow::frameSwapped, &view, [&] { swapped = true; });
            view.requestUpdate();
            waitOrDie([&] { return swapped; }, "a frame");
            const double d = double(timer.nsecsElapsed()) / 1e6;
            serverMs.append(s);
            drawnMs.append(d);
            aboveMs.append(d - s);
            // The score histogram comes last (its queries wait for header and charts); waiting
            // for it also keeps its server work out of the next run.
            QObject *scores = controller->property("scoreDistribution").value<QObject *>();
            waitOrDie([&] { return ready && !scores->property("loading").toBool(); },
                      "the histogram");
            swapped = false;
            view.requestUpdate();
            waitOrDie([&] { return swapped; }, "a frame");
            histogramMs.append(double(timer.nsecsElapsed()) / 1e6);
        }
        std::printf("%-10s %10.1f %10.1f %10.1f %10.1f\n", qPrintable(preset), median(serverMs),
                    median(drawnMs), median(aboveMs), median(histogramMs));
    }
    AppContext::setInstance(nullptr);
    return 0;
}
