// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: the real xeroml-dashboard binary, offscreen, with --screenshot.
#include "tests/support/testserver.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kTimeoutMs = 240000;

// Rows of the users table alternate white and #f8f9fb; count the stripes down one column.
int tableStripes(const QImage &image, int x)
{
    const QRgb odd = qRgb(0xf8, 0xf9, 0xfb);
    int stripes = 0;
    bool inStripe = false;
    for (int y = 0; y < image.height(); ++y) {
        const bool hit = image.pixel(x, y) == odd;
        if (hit && !inStripe)
            ++stripes;
        inStripe = hit;
    }
    return stripes;
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace

class TestScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void remoteServer();
    void embeddedServer();
    void emptyServer();
    void wrongKeyShowsTheError();
    void missingSecretIsRefused();

private:
    static void checkUsersPage(const QString &png);
    /// Runs the app on `server` with `secret`; returns its exit code, fills stderr.
    static int runAgainst(const TestServer &server, const QString &secret, const QString &png,
                          QByteArray *stderrText);
    static QProcessEnvironment environment(const QTemporaryDir &home);
};

QProcessEnvironment TestScreenshot::environment(const QTemporaryDir &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.remove(QStringLiteral("XEROML_SECRET_KEY"));
    return env;
}

void TestScreenshot::checkUsersPage(const QString &png)
{
    QImage image(png);
    QVERIFY2(!image.isNull(), "the screenshot is a readable PNG");
    image = image.convertToFormat(QImage::Format_RGB32);
    QCOMPARE(image.size(), QSize(1280, 800));
    QVERIFY2(distinctColours(image) > 30, "text and widgets were drawn, not a blank window");
    // 800 px window with the chart above the table, 30 px rows: a filled table shows a dozen
    // rows, every other one striped.
    const int stripes = tableStripes(image, 400);
    QVERIFY2(stripes >= 5, qPrintable(QStringLiteral("only %1 table rows visible").arg(stripes)));
}

void TestScreenshot::remoteServer()
{
    TestServer server;
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 200;
    demo.traces = 3000;
    demo.seed = 9;
    QVERIFY2(server.start(demo, &error), qPrintable(error));

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("users.png"));
    QByteArray err;
    QCOMPARE(runAgainst(server, server.credentials().secretKey, png, &err), 0);
    checkUsersPage(png);
}

void TestScreenshot::embeddedServer()
{
    QTemporaryDir home;
    const QString png = home.filePath(QStringLiteral("users.png"));
    QProcess app;
    app.setProcessEnvironment(environment(home));
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN), {QStringLiteral("--screenshot"), png});
    QVERIFY(app.waitForStarted());
    QVERIFY(app.waitForFinished(kTimeoutMs));
    QVERIFY2(app.exitStatus() == QProcess::NormalExit && app.exitCode() == 0,
             app.readAllStandardError().constData());
    checkUsersPage(png);
    // The embedded default keeps its database under the XDG data dir.
    QVERIFY(QFileInfo::exists(
        home.filePath(QStringLiteral("data/xeroml-dashboard/local-server.sqlite"))));
}

int TestScreenshot::runAgainst(const TestServer &server, const QString &secret, const QString &png,
                               QByteArray *stderrText)
{
    QTemporaryDir home;
    QProcess app;
    QProcessEnvironment env = environment(home);
    env.insert(QStringLiteral("XEROML_SECRET_KEY"), secret);
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN),
              {QStringLiteral("--screenshot"), png, QStringLiteral("--base-url"),
               server.baseUrl().toString(), QStringLiteral("--public-key"),
               server.credentials().publicKey});
    // The server runs in this process: keep serving while the app runs.
    if (!app.waitForStarted() ||
        !QTest::qWaitFor([&] { return app.state() == QProcess::NotRunning; }, kTimeoutMs))
        return -1;
    *stderrText = app.readAllStandardError();
    return app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
}

void TestScreenshot::emptyServer()
{
    TestServer server;
    QString error;
    xeroml::server::DemoOptions none;
    none.traces = 0;
    QVERIFY2(server.start(none, &error), qPrintable(error));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("empty.png"));
    QByteArray err;
    QCOMPARE(runAgainst(server, server.credentials().secretKey, png, &err), 0);
    QImage image(png);
    QVERIFY(!image.isNull());
    image = image.convertToFormat(QImage::Format_RGB32);
    QCOMPARE(tableStripes(image, 400), 0); // no rows
    QVERIFY2(distinctColours(image) > 30, "the empty state's text and snippet are drawn");
}

void TestScreenshot::wrongKeyShowsTheError()
{
    TestServer server;
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 20;
    demo.traces = 200;
    QVERIFY2(server.start(demo, &error), qPrintable(error));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("error.png"));
    QByteArray err;
    // The picture is saved, and the exit code says it shows an error, not data.
    QCOMPARE(runAgainst(server, QStringLiteral("sk-wrong"), png, &err), 1);
    QVERIFY2(err.contains("rejected the API keys"), err.constData());
    QVERIFY(!err.contains("sk-wrong"));
    QImage image(png);
    QVERIFY(!image.isNull());
    image = image.convertToFormat(QImage::Format_RGB32);
    // The error banner's background colour is on screen.
    bool banner = false;
    for (int y = 0; y < image.height() && !banner; ++y)
        banner = image.pixel(image.width() / 2, y) == qRgb(0xfd, 0xec, 0xea);
    QVERIFY2(banner, "the error banner is visible");
}

void TestScreenshot::missingSecretIsRefused()
{
    QTemporaryDir home;
    QProcess app;
    app.setProcessEnvironment(environment(home));
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN),
              {QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:9"),
               QStringLiteral("--public-key"), QStringLiteral("pk-x")});
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(app.readAllStandardError().contains("XEROML_SECRET_KEY"));
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
