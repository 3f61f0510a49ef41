// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding one 1000-row /api/public/users page: the bare QJsonDocument parse of the bytes (the
// floor) against parse + strict decode into UserSummary values (what ApiClient does).
//   bench_api_decode [--rows N] [--runs R]
#include "api/decode.h"
#include "api/usersummary.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

QByteArray usersPage(int rows)
{
    const QStringList names{QStringLiteral("alice@example.com"),
                            QStringLiteral("team/ml/ops/renée"), QStringLiteral("さくら.smith"),
                            QStringLiteral("Liam Silva"), QStringLiteral("usr_34c90ff08499_")};
    const QStringList envs{QStringLiteral("production"), QStringLiteral("staging"),
                           QStringLiteral("development")};
    const QDateTime base(QDate(2026, 9, 1), QTime(0, 0), Qt::UTC);
    QJsonArray data;
    for (int i = 0; i < rows; ++i) {
        const qint64 in = 1000 + qint64(i) * 7919 % 500000;
        const qint64 out = 200 + qint64(i) * 104729 % 90000;
        QJsonArray environments;
        for (int e = 0; e <= i % 3; ++e)
            environments.append(envs.at(e));
        data.append(QJsonObject{
            {QLatin1String("userId"), names.at(i % names.size()) + QString::number(i)},
            {QLatin1String("totalTraces"), 1 + i % 97},
            {QLatin1String("totalSessions"), 1 + i % 13},
            {QLatin1String("totalObservations"), 3 + i % 311},
            {QLatin1String("inputTokens"), in},
            {QLatin1String("outputTokens"), out},
            {QLatin1String("totalTokens"), in + out},
            {QLatin1String("totalCost"), double(in) * 2.5e-6 + double(out) * 1e-5},
            {QLatin1String("averageScore"),
             i % 4 == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(0.5 + (i % 50) / 100.0)},
            {QLatin1String("scoreCount"), i % 4 == 0 ? 0 : 1 + i % 9},
            {QLatin1String("firstTraceAt"), base.addSecs(i * 613).toString(Qt::ISODateWithMs)},
            {QLatin1String("lastTraceAt"),
             base.addSecs(i * 613 + 86400 * 30).toString(Qt::ISODateWithMs)},
            {QLatin1String("environments"), environments},
        });
    }
    const QJsonObject meta{{QLatin1String("page"), 1},
                           {QLatin1String("limit"), rows},
                           {QLatin1String("totalItems"), rows * 3},
                           {QLatin1String("totalPages"), 3}};
    return QJsonDocument(QJsonObject{{QLatin1String("data"), data}, {QLatin1String("meta"), meta}})
        .toJson(QJsonDocument::Compact);
}

struct Stats
{
    double medianMs = 0; ///< wall clock
    double minMs = 0;    ///< wall clock
    double cpuMs = 0;    ///< median thread CPU time: steady on a loaded machine
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

template<typename F> Stats time(int runs, F &&work)
{
    std::vector<double> ms;
    std::vector<double> cpu;
    ms.reserve(size_t(runs));
    cpu.reserve(size_t(runs));
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer clock;
        const double cpuStart = threadCpuMs();
        clock.start();
        work();
        ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - cpuStart);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    return {ms[ms.size() / 2], ms.front(), cpu[cpu.size() / 2]};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Rows per page."), QStringLiteral("N"),
                      QStringLiteral("1000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Timed runs."), QStringLiteral("R"),
                      QStringLiteral("300")});
    parser.process(app);
    const int rows = parser.value(QStringLiteral("rows")).toInt();
    const int runs = std::max(3, parser.value(QStringLiteral("runs")).toInt());

    const QByteArray body = usersPage(rows);
    qsizetype sink = 0;
    // Warm-up, and a check that the page decodes at all.
    QString error;
    const auto check = decodePage<UserSummary>(QJsonDocument::fromJson(body), &error);
    if (!check || check->items.size() != rows) {
        std::fprintf(stderr, "decode failed: %s\n", qPrintable(error));
        return 1;
    }

    const Stats parse = time(runs, [&] { sink += QJsonDocument::fromJson(body).isObject(); });
    const Stats decode = time(runs, [&] {
        QString e;
        const auto page = decodePage<UserSummary>(QJsonDocument::fromJson(body), &e);
        sink += page ? page->items.size() : 0;
    });
    const QJsonDocument parsed = QJsonDocument::fromJson(body);
    const Stats only = time(runs, [&] {
        QString e;
        const auto page = decodePage<UserSummary>(parsed, &e);
        sink += page ? page->items.size() : 0;
    });
    const double mb = double(body.size()) / (1024.0 * 1024.0);
    std::printf("page: %d rows, %lld bytes, %d runs\n", rows, static_cast<long long>(body.size()),
                runs);
    auto line = [mb](const char *what, const Stats &s) {
        std::printf("%-30s wall median %.3f ms  min %.3f ms | CPU median %.3f ms  %.1f MiB/s\n",
                    what, s.medianMs, s.minMs, s.cpuMs, mb / (s.cpuMs / 1000.0));
    };
    line("QJsonDocument::fromJson", parse);
    line("fromJson + decodePage<User>", decode);
    line("decodePage<User> alone", only);
    std::printf("parse+decode / parse (CPU): %.2fx (aim <= 1.5x); page decode %s 5 ms\n",
                decode.cpuMs / parse.cpuMs, decode.cpuMs <= 5.0 ? "within" : "OVER");
    return sink > 0 ? 0 : 1;
}
