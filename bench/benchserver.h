// SPDX-License-Identifier: GPL-3.0-or-later
// xeroml-server in its own process for benchmarks (so its memory and CPU are not counted as
// the client's), over an existing database or one it seeds with demo data first.
#pragma once

#include "api/connection.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <cstdio>

class BenchServer
{
public:
    ~BenchServer()
    {
        m_process.terminate();
        m_process.waitForFinished(10000);
    }

    /// Starts XEROML_SERVER_BIN on 127.0.0.1 and a free port over `db` (seeded with
    /// users/traces/seed when empty) and waits for "listening on …". False (said on stderr)
    /// when it does not come within `timeoutMs`.
    bool start(const QString &db, const QString &users, const QString &traces, const QString &seed,
               int timeoutMs = 600000)
    {
        const QByteArray secret =
            "sk-bench-" + QByteArray::number(QCoreApplication::applicationPid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XEROML_BENCH_SECRET"), QString::fromLatin1(secret));
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QStringLiteral(XEROML_SERVER_BIN),
                        {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                         QStringLiteral("127.0.0.1:0"), QStringLiteral("--public-key"),
                         QStringLiteral("pk-bench"), QStringLiteral("--secret-key-env"),
                         QStringLiteral("XEROML_BENCH_SECRET"), QStringLiteral("--demo-users"),
                         users, QStringLiteral("--demo-traces"), traces, QStringLiteral("--seed"),
                         seed});
        QByteArray line;
        if (!QTest::qWaitFor(
                [&] {
                    line += m_process.readAllStandardOutput();
                    return line.contains('\n') || m_process.state() == QProcess::NotRunning;
                },
                timeoutMs) ||
            !line.contains("http")) {
            std::fprintf(stderr, "xeroml-server did not start\n");
            return false;
        }
        m_connection.name = QStringLiteral("bench");
        m_connection.baseUrl = QUrl(QString::fromLatin1(line.mid(line.indexOf("http")).trimmed()));
        m_connection.publicKey = QStringLiteral("pk-bench");
        m_connection.secretKey = QString::fromLatin1(secret);
        return true;
    }

    [[nodiscard]] const Connection &connection() const { return m_connection; }
    [[nodiscard]] qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    Connection m_connection;
};
