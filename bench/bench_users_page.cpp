// SPDX-License-Identifier: GPL-3.0-or-later
// The users page's client side at scale, against the real xeroml-server in its own process
// (so the server's memory is not counted as the model's):
//   1. filter change → first rows drawn, minus the server's own response time, per orderBy;
//   2. scrolling through every user by fetchMore, start to last row;
//   3. resident memory the model adds while holding every user.
// Usage: bench_users_page [--db FILE] [--users N] [--traces M] [--seed S] [--runs R]
// An existing --db is reused as is (generate the reference dataset once, reuse it after).
#include "api/apiclient.h"
#include "bench/benchserver.h"
#include "models/userlistmodel.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickView>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kTimeoutMs = 600000;

double residentMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toDouble() * 4096.0 / (1024.0 * 1024.0) : 0;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(qsizetype(p * double(values.size() - 1)));
}

// The server's own time for the same first page, over the same loopback HTTP.
double serverMs(QNetworkAccessManager &nam, const Connection &c, const UsersQuery &q)
{
    QUrl url = c.baseUrl;
    url.setPath(QStringLiteral("/api/public/users"));
    url.setQuery(q.toUrlQuery());
    QNetworkRequest request(url);
    request.setRawHeader("Authorization",
                         "Basic " +
                             (c.publicKey + QLatin1Char(':') + c.secretKey).toUtf8().toBase64());
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(kTimeoutMs);
    reply->readAll();
    reply->deleteLater();
    return double(timer.nsecsElapsed()) / 1e6;
}

// Waits for a condition; a benchmark that cannot finish says so and stops.
template<typename Predicate> void waitOrDie(Predicate done, const char *what)
{
    if (!QTest::qWaitFor(done, kTimeoutMs)) {
        std::fprintf(stderr, "timed out waiting for %s\n", what);
        std::exit(1);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
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
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("runs per ordering"),
                                     QStringLiteral("R"), QStringLiteral("5"));
    parser.addOptions({dbOpt, usersOpt, tracesOpt, seedOpt, runsOpt});
    parser.addHelpOption();
    parser.process(app);
    const int runs = parser.value(runsOpt).toInt();

    // The server, in its own process.
    BenchServer server;
    if (!server.start(parser.value(dbOpt), parser.value(usersOpt), parser.value(tracesOpt),
                      parser.value(seedOpt), kTimeoutMs))
        return 1;
    const Connection connection = server.connection();
    std::printf("server %s, database %s\n", qPrintable(connection.baseUrl.toString()),
                qPrintable(parser.value(dbOpt)));

    ApiClient client;
    client.setConnection(connection);
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);

    // 1. Filter change → first rows drawn, in a real (offscreen) TableView.
    {
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
        UserListModel model;
        QQuickView view;
        view.setResizeMode(QQuickView::SizeRootObjectToView);
        view.resize(1280, 800);
        view.setSource(QUrl(QStringLiteral("qrc:/bench/BenchTable.qml")));
        if (view.status() != QQuickView::Ready) {
            std::fprintf(stderr, "cannot load the bench table\n");
            return 1;
        }
        view.rootObject()->setProperty("model", QVariant::fromValue(&model));
        view.show();
        model.setClient(&client);
        waitOrDie([&] { return model.loaded(); }, "the first page");

        std::printf("\n1. filter change -> first rows drawn (ms, p50 over %d runs)\n", runs);
        std::printf("%-22s %10s %10s %10s\n", "orderBy", "server", "drawn", "above");
        for (int column = 0; column < UserListModel::ColumnCount; ++column) {
            QList<double> server_, drawn, above;
            for (int run = 0; run < runs; ++run) {
                UsersQuery q;
                q.orderField = UserListModel::orderField(column);
                q.descending = run % 2 == 0;
                q.limit = 100;
                const double s = serverMs(nam, connection, q);
                bool swapped = false;
                QMetaObject::Connection frame;
                QElapsedTimer timer;
                timer.start();
                model.sort(column, q.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
                waitOrDie([&] { return model.loaded() && model.rowCount() > 0; }, "sorted rows");
                frame =
                    QObject::connect(&view, &QQuickWindow::frameSwapped, [&] { swapped = true; });
                view.requestUpdate();
                waitOrDie([&] { return swapped; }, "a frame");
                QObject::disconnect(frame);
                const double d = double(timer.nsecsElapsed()) / 1e6;
                server_.append(s);
                drawn.append(d);
                above.append(d - s);
            }
            std::printf("%-22s %10.1f %10.1f %10.1f\n",
                        qPrintable(UserListModel::orderField(column)), percentile(server_, 0.5),
                        percentile(drawn, 0.5), percentile(above, 0.5));
        }
    }

    // 2 + 3. Every user by fetchMore, and the memory it takes.
    {
        const double before = residentMb();
        UserListModel model;
        QElapsedTimer timer;
        timer.start();
        model.setClient(&client);
        int requests = 0;
        QObject::connect(&model, &UserListModel::loadingChanged, [&] {
            if (model.loading())
                ++requests;
            else if (model.canFetchMore({}))
                model.fetchMore({});
        });
        waitOrDie([&] { return model.loaded() && !model.loading() && !model.canFetchMore({}); },
                  "every page");
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double after = residentMb();
        std::printf(
            "\n2. scroll through every user by fetchMore: %d rows in %d requests, %.2f s%s\n",
            model.rowCount(), requests, seconds,
            model.errorString().isEmpty()
                ? ""
                : qPrintable(QStringLiteral(" (error: %1)").arg(model.errorString())));
        std::printf("3. resident memory added by the model: %.1f MB for %d rows (%.0f bytes/row)\n",
                    after - before, model.rowCount(),
                    model.rowCount() ? (after - before) * 1024 * 1024 / model.rowCount() : 0.0);
    }

    return 0;
}
