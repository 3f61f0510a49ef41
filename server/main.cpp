// SPDX-License-Identifier: GPL-3.0-or-later
// xeroml-server: the local XeroML server as a standalone process (ARCHITECTURE.md).
#include "server/localserver.h"
#include "server/logging.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <optional>

using namespace xeroml::server;

namespace {

struct ListenAddress
{
    QHostAddress address;
    QString host; // as the user wrote it, for the printed URL
    quint16 port = 0;
};

std::optional<ListenAddress> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    ListenAddress result;
    result.host = text.left(colon);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    result.port = static_cast<quint16>(port);
    QString bare = result.host;
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    if (bare == QLatin1String("localhost"))
        result.address = QHostAddress(QHostAddress::LocalHost);
    else if (!result.address.setAddress(bare))
        return std::nullopt;
    return result;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "xeroml-server: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("xeroml-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(XEROML_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The local XeroML server: a SQLite store behind the XeroML public API."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("SQLite database file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
                                          QStringLiteral("Address to serve on; port 0 picks a free "
                                                         "port (default 127.0.0.1:3030)."),
                                          QStringLiteral("HOST:PORT"),
                                          QStringLiteral("127.0.0.1:3030"));
    const QCommandLineOption publicKeyOption(
        QStringLiteral("public-key"),
        QStringLiteral("Public key requests must carry (default: the one in the database)."),
        QStringLiteral("PK"));
    const QCommandLineOption secretEnvOption(
        QStringLiteral("secret-key-env"),
        QStringLiteral("Name of the environment variable holding the secret key."),
        QStringLiteral("VAR"));
    const QCommandLineOption usersOption(
        QStringLiteral("demo-users"), QStringLiteral("Seed an empty database with N demo users."),
        QStringLiteral("N"));
    const QCommandLineOption tracesOption(QStringLiteral("demo-traces"),
                                          QStringLiteral("Number of demo traces."),
                                          QStringLiteral("M"));
    const QCommandLineOption seedOption(
        QStringLiteral("seed"), QStringLiteral("Seed of the demo data set."), QStringLiteral("S"));
    parser.addOptions({dbOption, listenOption, publicKeyOption, secretEnvOption, usersOption,
                       tracesOption, seedOption});
    parser.process(app);

    if (!parser.isSet(dbOption))
        return fail(QStringLiteral("--db FILE is required"));
    const auto listen = parseListen(parser.value(listenOption));
    if (!listen)
        return fail(QStringLiteral("--listen must be HOST:PORT with an IP address or localhost"));
    if (parser.isSet(publicKeyOption) != parser.isSet(secretEnvOption))
        return fail(QStringLiteral("--public-key and --secret-key-env go together"));

    DemoOptions demo;
    const bool seedDemo = parser.isSet(usersOption) || parser.isSet(tracesOption);
    bool ok = true;
    if (parser.isSet(usersOption))
        demo.users = parser.value(usersOption).toInt(&ok);
    if (!ok || demo.users < 1)
        return fail(QStringLiteral("--demo-users must be a positive integer"));
    if (parser.isSet(tracesOption))
        demo.traces = parser.value(tracesOption).toInt(&ok);
    if (!ok || demo.traces < 0)
        return fail(QStringLiteral("--demo-traces must be a non-negative integer"));
    if (parser.isSet(seedOption))
        demo.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed must be a non-negative integer"));

    LocalServer server;
    QString error;
    if (!server.open(parser.value(dbOption), &error))
        return fail(error);
    if (parser.isSet(publicKeyOption)) {
        // The secret never travels on the command line, where every user can read it.
        const QString variable = parser.value(secretEnvOption);
        const QString secret = qEnvironmentVariable(qPrintable(variable));
        if (secret.isEmpty())
            return fail(
                QStringLiteral("the environment variable %1 is empty or unset").arg(variable));
        server.setCredentials({parser.value(publicKeyOption), secret});
    } else {
        std::fprintf(stderr,
                     "xeroml-server: public key %s; the secret key is the value of 'secret_key' "
                     "in the database's meta table\n",
                     qPrintable(server.credentials().publicKey));
    }

    if (seedDemo && server.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        const auto progress = [](qint64 done, qint64 total) {
            std::fprintf(stderr, "xeroml-server: demo data %lld/%lld traces\n",
                         static_cast<long long>(done), static_cast<long long>(total));
        };
        if (!server.seedDemo(demo, progress, &error))
            return fail(error);
        const double seconds = static_cast<double>(timer.elapsed()) / 1000.0;
        std::fprintf(stderr,
                     "xeroml-server: seeded %d users, %d traces in %.2f s (%.0f traces/s)\n",
                     demo.users, demo.traces, seconds, seconds > 0 ? demo.traces / seconds : 0.0);
    }

    if (!server.listen(listen->address, listen->port, &error))
        return fail(error);
    std::fprintf(stdout, "listening on http://%s:%u\n", qPrintable(listen->host),
                 static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
