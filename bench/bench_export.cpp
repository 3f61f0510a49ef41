// SPDX-License-Identifier: GPL-3.0-or-later
// Exporting every user (the export dialog's "all matching rows", the headless --export) at
// the reference dataset, against xeroml-server in its own process over loopback HTTP:
//   1. the fetch alone: every /users page (1000 rows, 3 in flight) read and decoded, no file;
//   2. ExportJob to CSV, TSV, JSON, JSONL and XLSX: start() to finished(), file size;
//   3. CPU time of the client and of the server process per run: on a loaded machine the
//      wall time swings, CPU time much less (wall ≈ the larger of the two when pipelined);
//   4. peak resident memory the export adds (VmHWM reset before each run) — bounded if rows
//      stream; compare with the size of the file.
// Usage: bench_export [--db FILE] [--users N] [--traces M] [--seed S] [--runs R]
//                     [--formats csv,xlsx,…] [--out DIR]
// The reference dataset: --db /tmp/h8-gen.db (100k users / 1M traces, seed 42), reused as is.
// Measured (release, quiet 2-core machine, 3 runs, 2026-12-04): fetch alone 979 ms; CSV 1031 ms
// (12.8 MB peak RSS added), TSV 1007, JSON 1001, JSONL 985, XLSX 1765 ms (0.4 MB).
#include "api/apiclient.h"
#include "bench/benchserver.h"
#include "models/exportjob.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cstdio>

#include <unistd.h>

namespace {

constexpr int kTimeoutMs = 600000;

double statusMb(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// Resets the peak resident size (VmHWM) to the current size (Linux ≥ 4.0).
void resetPeak()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

// User + system CPU time of a process in ms (/proc/PID/stat fields 14 and 15).
double cpuMs(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = fields.at(11).toDouble() + fields.at(12).toDouble();
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// Every page of /users through ApiClient (decoded), 3 in flight as ExportJob asks: the fetch's
// share of an export.
double fetchOnlyMs(ApiClient &client, qint64 *rows)
{
    QElapsedTimer timer;
    timer.start();
    qint64 total = -1;
    qint64 received = 0;
    int nextPage = 1;
    int inFlight = 0;
    bool failed = false;
    QObject context;
    std::function<void()> pump = [&] {
        const int lastPage = total < 0 ? 1 : int((total + 999) / 1000);
        while (inFlight < 3 && nextPage <= lastPage && (total >= 0 || nextPage == 1)) {
            UsersQuery q;
            q.page = nextPage++;
            q.limit = 1000;
            ++inFlight;
            client.users(q, &context, [&](const ApiResult<Page<UserSummary>> &r) {
                --inFlight;
                if (!r.ok()) {
                    failed = true;
                    return;
                }
                total = r.value().meta.totalItems;
                received += r.value().items.size();
                pump();
            });
        }
    };
    pump();
    if (!QTest::qWaitFor([&] { return failed || (total >= 0 && inFlight == 0); }, kTimeoutMs) ||
        failed) {
        std::fprintf(stderr, "fetching /users failed\n");
        std::exit(1);
    }
    *rows = received;
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("database"),
                                   QStringLiteral("FILE"), QStringLiteral("/tmp/h8-gen.db"));
    const QCommandLineOption usersOpt(QStringLiteral("users"), QStringLiteral("demo users"),
                                      QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption tracesOpt(QStringLiteral("traces"), QStringLiteral("demo traces"),
                                       QStringLiteral("M"), QStringLiteral("1000000"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("seed"),
                                     QStringLiteral("S"), QStringLiteral("42"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("runs per format"),
                                     QStringLiteral("R"), QStringLiteral("3"));
    const QCommandLineOption formatsOpt(
        QStringLiteral("formats"), QStringLiteral("formats to measure"), QStringLiteral("LIST"),
        QStringLiteral("csv,tsv,json,jsonl,xlsx"));
    const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("folder for the files"),
                                    QStringLiteral("DIR"), QDir::tempPath());
    parser.addOptions({dbOpt, usersOpt, tracesOpt, seedOpt, runsOpt, formatsOpt, outOpt});
    parser.addHelpOption();
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOpt).toInt());

    BenchServer server;
    if (!server.start(parser.value(dbOpt), parser.value(usersOpt), parser.value(tracesOpt),
                      parser.value(seedOpt)))
        return 1;
    std::printf("server %s, database %s\n", qPrintable(server.connection().baseUrl.toString()),
                qPrintable(parser.value(dbOpt)));
    ApiClient client;
    client.setConnection(server.connection());

    const qint64 self = QCoreApplication::applicationPid();
    QList<double> fetch;
    QList<double> fetchClientCpu;
    QList<double> fetchServerCpu;
    qint64 rows = 0;
    for (int run = 0; run < runs + 1; ++run) {
        const double client0 = cpuMs(self);
        const double server0 = cpuMs(server.pid());
        const double ms = fetchOnlyMs(client, &rows);
        if (run == 0)
            continue; // the first run warms the server's caches
        fetch.append(ms);
        fetchClientCpu.append(cpuMs(self) - client0);
        fetchServerCpu.append(cpuMs(server.pid()) - server0);
    }
    std::printf("fetch only: %lld users, median %.0f ms wall, CPU %.0f ms client, %.0f ms server "
                "(over %d runs)\n",
                rows, median(fetch), median(fetchClientCpu), median(fetchServerCpu), runs);

    std::printf("%-6s %10s %10s %12s %12s %10s %13s %13s\n", "format", "median ms", "max ms",
                "client CPU", "server CPU", "file MB", "peak +RSS MB", "RSS after MB");
    for (const QString &name : parser.value(formatsOpt).split(QLatin1Char(','))) {
        const std::optional<ExportFormat> format = ExportColumns::formatFromName(name);
        if (!format) {
            std::fprintf(stderr, "unknown format %s\n", qPrintable(name));
            return 1;
        }
        QList<double> times;
        QList<double> clientCpu;
        QList<double> serverCpu;
        double peakGrowth = 0;
        double after = 0;
        qint64 bytes = 0;
        const QString path = QDir(parser.value(outOpt)).filePath(u"bench-export."_qs + name);
        for (int run = 0; run < runs; ++run) {
            ExportJob job;
            job.setClient(&client);
            ExportOptions options;
            options.format = *format;
            options.path = path;
            job.setOptions(options);
            job.setQuery(UsersQuery{});
            QSignalSpy finished(&job, &ExportJob::finished);
            const double before = statusMb("VmRSS");
            resetPeak();
            const double client0 = cpuMs(self);
            const double server0 = cpuMs(server.pid());
            QElapsedTimer timer;
            timer.start();
            job.start();
            if (!finished.wait(kTimeoutMs) || !finished.constFirst().at(0).toBool()) {
                std::fprintf(stderr, "export failed: %s\n",
                             finished.isEmpty()
                                 ? "timeout"
                                 : qPrintable(finished.constFirst().at(1).toString()));
                return 1;
            }
            times.append(double(timer.nsecsElapsed()) / 1e6);
            clientCpu.append(cpuMs(self) - client0);
            serverCpu.append(cpuMs(server.pid()) - server0);
            peakGrowth = std::max(peakGrowth, statusMb("VmHWM") - before);
            after = statusMb("VmRSS");
            bytes = QFileInfo(path).size();
            if (job.rowsWritten() != rows) {
                std::fprintf(stderr, "wrote %lld rows, expected %lld\n", job.rowsWritten(), rows);
                return 1;
            }
        }
        QFile::remove(path);
        std::printf("%-6s %10.0f %10.0f %12.0f %12.0f %10.1f %13.1f %13.1f\n", qPrintable(name),
                    median(times), *std::max_element(times.begin(), times.end()), median(clientCpu),
                    median(serverCpu), double(bytes) / 1e6, peakGrowth, after);
    }
    return 0;
}
