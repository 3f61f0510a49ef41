// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `xeroml-dashboard --screenshot FILE.png DEEP-LINK` opens the linked user's
// page (ids with '/' and non-ASCII, decoded exactly once) and pictures it; links to another
// project or to a host with no connection are refused with a message.
#include "tests/support/testserver.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kTimeoutMs = 240000;

struct Run
{
    int exitCode = -1;
    QByteArray stderrText;
};

} // namespace

class TestLinkScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensTheLinkedUser();
    void refusesAnotherProject();
    void refusesAHostWithNoConnection();

private:
    Run run(const QStringList &args, bool withSecret);
    QStringList userIds();

    TestServer m_server;
};

void TestLinkScreenshot::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 300;
    demo.traces = 3000;
    demo.seed = 11;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
}

QStringList TestLinkScreenshot::userIds()
{
    QNetworkAccessManager nam;
    QUrl url = m_server.baseUrl();
    url.setPath(QStringLiteral("/api/public/users"));
    url.setQuery(QStringLiteral("limit=1000"));
    QNetworkRequest request(url);
    const auto creds = m_server.credentials();
    request.setRawHeader("Authorization",
                         "Basic " + (creds.publicKey + u':' + creds.secretKey).toUtf8().toBase64());
    QNetworkReply *reply = nam.get(request);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        return {};
    QStringList ids;
    const QJsonArray data = QJsonDocument::fromJson(reply->readAll())[u"data"].toArray();
    for (const QJsonValue &row : data)
        ids << row[u"userId"].toString();
    reply->deleteLater();
    return ids;
}

Run TestLinkScreenshot::run(const QStringList &args, bool withSecret)
{
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("xeroml.app.info=true"));
    env.remove(QStringLiteral("XEROML_SECRET_KEY"));
    if (withSecret)
        env.insert(QStringLiteral("XEROML_SECRET_KEY"), m_server.credentials().secretKey);
    QProcess app;
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(XEROML_DASHBOARD_BIN), args);
    Run result;
    // The server runs in this process: keep serving while the app runs.
    if (!app.waitForStarted() ||
        !QTest::qWaitFor([&] { return app.state() == QProcess::NotRunning; }, kTimeoutMs))
        return result;
    result.stderrText = app.readAllStandardError();
    result.exitCode = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    return result;
}

void TestLinkScreenshot::opensTheLinkedUser()
{
    const QStringList ids = userIds();
    QVERIFY(!ids.isEmpty());
    // The hardest id the demo has: a '/' and a character beyond ASCII, else one of each.
    QString id;
    for (const QString &candidate : ids) {
        const bool slash = candidate.contains(u'/');
        const bool unicode = std::any_of(candidate.begin(), candidate.end(),
                                         [](QChar c) { return c.unicode() > 127; });
        if (slash && unicode) {
            id = candidate;
            break;
        }
        if (id.isEmpty() && slash)
            id = candidate;
    }
    QVERIFY2(!id.isEmpty(), "the demo data has a user id with '/'");

    const QString link =
        QStringLiteral("xeroml://%1/project/xeroml-local/users/%2")
            .arg(m_server.baseUrl().authority(), QString::fromLatin1(QUrl::toPercentEncoding(id)));
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("user.png"));
    const Run r = run({QStringLiteral("--screenshot"), png, QStringLiteral("--base-url"),
                       m_server.baseUrl().toString(), QStringLiteral("--public-key"),
                       m_server.credentials().publicKey, link},
                      true);
    QVERIFY2(r.exitCode == 0, r.stderrText.constData());
    // Exactly this id reached the page: decoded once, '/' and Unicode intact.
    const QByteArray expected = "opening \"users\" \"" + id.toUtf8() + '"';
    QVERIFY2(r.stderrText.contains(expected), r.stderrText.constData());
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1280, 800));
    // The user page covers the users table: none of its striped rows show.
    image = image.convertToFormat(QImage::Format_RGB32);
    int stripes = 0;
    for (int y = 0; y < image.height(); ++y)
        stripes += image.pixel(400, y) == qRgb(0xf8, 0xf9, 0xfb) ? 1 : 0;
    QVERIFY2(stripes < 60,
             qPrintable(QStringLiteral("%1 striped lines: the users table").arg(stripes)));
}

void TestLinkScreenshot::refusesAnotherProject()
{
    const QString link = QStringLiteral("xeroml://%1/project/another-project/users/u1")
                             .arg(m_server.baseUrl().authority());
    QTemporaryDir dir;
    const Run r = run({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
                       QStringLiteral("--base-url"), m_server.baseUrl().toString(),
                       QStringLiteral("--public-key"), m_server.credentials().publicKey, link},
                      true);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.stderrText.contains("is for project \"another-project\""), r.stderrText.constData());
    QVERIFY2(!r.stderrText.contains("opening"), r.stderrText.constData());
}

void TestLinkScreenshot::refusesAHostWithNoConnection()
{
    QTemporaryDir dir;
    const Run r = run({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
                       QStringLiteral("https://unknown-host.invalid/project/p/users/u")},
                      false);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stderrText.contains("No connection is set up for unknown-host.invalid"),
             r.stderrText.constData());
    // Refused before anything started: no local server, no request anywhere.
    QVERIFY2(!r.stderrText.contains("serving on"), r.stderrText.constData());
}

QTEST_GUILESS_MAIN(TestLinkScreenshot)
#include "tst_linkscreenshot.moc"
