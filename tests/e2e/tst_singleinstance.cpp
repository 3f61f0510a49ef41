// SPDX-License-Identifier: GPL-3.0-or-later
// Two real xeroml-dashboard processes: the second launch hands its deep link to the first
// over the per-user local socket and exits 0; a socket left by a killed instance is taken
// over by the next launch.
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kStartMs = 60000;
constexpr int kOpenMs = 240000;

const QString kLink =
    QStringLiteral("xeroml://127.0.0.1:9/project/xeroml-local/users/team%2Falpha%2FZo%C3%AB");

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void secondLaunchHandsOverItsLink();
    void invalidLinkIsRefusedBeforeForwarding();
    void staleSocketIsTakenOver();

private:
    QProcessEnvironment environment() const;
    void startPrimary(QProcess &app);
    int runSecond(const QStringList &args, QByteArray *out);
    [[nodiscard]] QString socketPath() const
    {
        return m_home->filePath(QStringLiteral("run/xeroml-dashboard.socket"));
    }

    std::unique_ptr<QTemporaryDir> m_home;
};

void TestSingleInstance::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    QVERIFY(QDir(m_home->path()).mkpath(QStringLiteral("run")));
    QVERIFY(QFile::setPermissions(m_home->filePath(QStringLiteral("run")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                      QFileDevice::ExeOwner));
}

void TestSingleInstance::cleanup()
{
    m_home.reset();
}

QProcessEnvironment TestSingleInstance::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home->filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home->filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home->filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home->filePath(QStringLiteral("run")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("xeroml.app.info=true"));
    env.remove(QStringLiteral("XEROML_SECRET_KEY"));
    return env;
}

void TestSingleInstance::startPrimary(QProcess &app)
{
    app.setProcessEnvironment(environment());
    app.setProcessChannelMode(QProcess::SeparateChannels);
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN), {});
    QVERIFY(app.waitForStarted());
    // The socket is there before the embedded server has finished starting.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socketPath()) || app.state() != QProcess::Running,
                             kStartMs);
    QCOMPARE(app.state(), QProcess::Running);
}

int TestSingleInstance::runSecond(const QStringList &args, QByteArray *out)
{
    QProcess second;
    second.setProcessEnvironment(environment());
    second.start(QStringLiteral(XEROML_DASHBOARD_BIN), args);
    if (!second.waitForStarted() || !second.waitForFinished(kStartMs))
        return -1;
    *out = second.readAllStandardOutput() + second.readAllStandardError();
    return second.exitStatus() == QProcess::NormalExit ? second.exitCode() : -1;
}

void TestSingleInstance::secondLaunchHandsOverItsLink()
{
    QProcess primary;
    startPrimary(primary);
    QByteArray out;
    QCOMPARE(runSecond({kLink}, &out), 0);
    QVERIFY2(out.contains("handed over"), out.constData());
    // The first instance routes it: once its local server is up, it opens that user (id
    // decoded once: '/' and 'ë' intact).
    QByteArray log;
    QVERIFY(QTest::qWaitFor(
        [&] {
            log += primary.readAllStandardError();
            return log.contains("opening \"users\" \"team/alpha/Zo\xc3\xab\"") ||
                   primary.state() != QProcess::Running;
        },
        kOpenMs));
    QVERIFY2(log.contains("link from another launch"), log.constData());
    QCOMPARE(primary.state(), QProcess::Running);
    primary.terminate();
    primary.waitForFinished(10000);
}

void TestSingleInstance::invalidLinkIsRefusedBeforeForwarding()
{
    QProcess primary;
    startPrimary(primary);
    QByteArray out;
    QCOMPARE(runSecond({QStringLiteral("https://h.example/project/p/users/%2E%2E")}, &out), 2);
    QVERIFY2(out.contains("cannot open the link"), out.constData());
    QCOMPARE(runSecond({QStringLiteral("ftp://h.example/project/p/users/u")}, &out), 2);
    QVERIFY2(out.contains("ftp"), out.constData());
    primary.terminate();
    primary.waitForFinished(10000);
}

void TestSingleInstance::staleSocketIsTakenOver()
{
    {
        QProcess crashed;
        startPrimary(crashed);
        crashed.kill(); // SIGKILL: the socket file stays behind
        QVERIFY(crashed.waitForFinished(10000));
    }
    QVERIFY2(QFileInfo::exists(socketPath()), "a killed instance leaves its socket");

    // Nobody answers on it: the next launch takes it over instead of hanging or exiting.
    QProcess next;
    next.setProcessEnvironment(environment());
    next.start(QStringLiteral(XEROML_DASHBOARD_BIN), {});
    QVERIFY(next.waitForStarted());
    // Wait until it listens on the taken-over socket (the stale one refuses connections),
    // so the launch below finds it instead of becoming a primary itself.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QLocalSocket probe;
            probe.connectToServer(socketPath());
            return probe.waitForConnected(200);
        }() ||
            next.state() != QProcess::Running,
        kStartMs);
    QCOMPARE(next.state(), QProcess::Running);
    QByteArray out;
    QCOMPARE(runSecond({kLink}, &out), 0);
    QVERIFY2(out.contains("handed over"), out.constData());
    next.terminate();
    next.waitForFinished(10000);
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
