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
    void missingSecretIsRefused();

private:
    static void checkUsersPage(const QString &png);
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
    // 800 px tall window, 30 px rows: a filled table shows at least a dozen zebra stripes.
    const int stripes = tableStripes(image, 400);
    QVERIFY2(stripes >= 10, qPrintable(QStringLiteral("only %1 table rows visible").arg(stripes)));
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

    // The server runs in this process: serve it while the app runs.
    QTemporaryDir home;
    const QString png = home.filePath(QStringLiteral("users.png"));
    QProcess app;
    QProcessEnvironment env = environment(home);
    env.insert(QStringLiteral("XEROML_SECRET_KEY"), server.credentials().secretKey);
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN),
              {QStringLiteral("--screenshot"), png, QStringLiteral("--base-url"),
               server.baseUrl().toString(), QStringLiteral("--public-key"),
               server.credentials().publicKey});
    QVERIFY(app.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return app.state() == QProcess::NotRunning; }, kTimeoutMs));
    QVERIFY2(app.exitStatus() == QProcess::NormalExit && app.exitCode() == 0,
             app.readAllStandardError().constData());
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
