// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `xeroml-dashboard --screenshot FILE.png 'xeroml://HOST/project/P/users/ID?tab=T'`
// opens every tab of the user page (overview, traces, sessions, feedback) for the heaviest
// demo user and for a user whose id holds '/', a space and non-ASCII letters, waits until the
// tab's data is drawn, and pictures it. Checked: the page loaded without error, the header
// shows the server's answer for exactly this id, the tab has rows, and the picture shows them.
// With XEROML_E2E_SCREENSHOTS=DIR the pictures are kept there (USER-TAB.png) to look at.
#include "tests/support/testserver.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kTimeoutMs = 240000;
// Seeded by renaming a demo user: '/', a space, '@' and letters beyond ASCII and the BMP's
// Latin block.
const QString kUnicodeUser = QStringLiteral("team/ünïcødé 用户@x");

struct Run
{
    int exitCode = -1;
    QByteArray stderrText;
};

// Pixels of exactly this colour in a region of the picture.
int countColour(const QImage &image, const QRect &region, QRgb colour)
{
    int n = 0;
    const QRect r = region.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += image.pixel(x, y) == colour ? 1 : 0;
    return n;
}

} // namespace

class TestUserTabs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void screenshotsEveryTab_data();
    void screenshotsEveryTab();

private:
    QJsonDocument get(const QString &path, const QString &query);
    Run run(const QStringList &args);

    TestServer m_server;
    QString m_heaviest;
};

QJsonDocument TestUserTabs::get(const QString &path, const QString &query)
{
    QNetworkAccessManager nam;
    QUrl url = m_server.baseUrl();
    url.setPath(path, QUrl::TolerantMode); // path holds percent-encoded ids
    url.setQuery(query);
    QNetworkRequest request(url);
    const auto creds = m_server.credentials();
    request.setRawHeader("Authorization",
                         "Basic " + (creds.publicKey + u':' + creds.secretKey).toUtf8().toBase64());
    QNetworkReply *reply = nam.get(request);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
    reply->deleteLater();
    return doc;
}

void TestUserTabs::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 300;
    demo.traces = 4000;
    demo.seed = 11;
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));

    const QJsonArray top = get(QStringLiteral("/api/public/users"),
                               QStringLiteral("orderBy=totalTraces.desc&limit=2"))[u"data"]
                               .toArray();
    QCOMPARE(top.size(), 2);
    m_heaviest = top.at(0)[u"userId"].toString();
    const QString renamed = top.at(1)[u"userId"].toString();
    const qint64 renamedTraces = top.at(1)[u"totalTraces"].toInteger();
    QVERIFY(!m_heaviest.isEmpty() && !renamed.isEmpty());

    // The second heaviest user becomes the awkward id, written as another SQLite client
    // would: the server's triggers and change detection keep every figure in step.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("usertabs"));
        db.setDatabaseName(m_server.dbPath());
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.prepare(
            QStringLiteral("UPDATE traces SET user_id = ?, user_id_lower = ? WHERE user_id = ?")));
        q.addBindValue(kUnicodeUser);
        q.addBindValue(kUnicodeUser.toLower());
        q.addBindValue(renamed);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QCOMPARE(q.numRowsAffected(), int(renamedTraces));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("usertabs"));
    const QJsonDocument user = get(QStringLiteral("/api/public/users/") +
                                       QString::fromLatin1(QUrl::toPercentEncoding(kUnicodeUser)),
                                   {});
    QCOMPARE(user[u"userId"].toString(), kUnicodeUser);
    QCOMPARE(user[u"totalTraces"].toInteger(), renamedTraces);
}

Run TestUserTabs::run(const QStringList &args)
{
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("xeroml.ui.user.info=true"));
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

void TestUserTabs::screenshotsEveryTab_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QString>("tab");
    for (const char *who : {"heaviest", "unicode"})
        for (const char *tab : {"overview", "traces", "sessions", "feedback"})
            QTest::addRow("%s-%s", who, tab)
                << QString::fromLatin1(who) << QString::fromLatin1(tab);
}

void TestUserTabs::screenshotsEveryTab()
{
    QFETCH(QString, who);
    QFETCH(QString, tab);
    const QString id = who == QLatin1String("heaviest") ? m_heaviest : kUnicodeUser;
    const QString link = QStringLiteral("xeroml://%1/project/xeroml-local/users/%2?tab=%3")
                             .arg(m_server.baseUrl().authority(),
                                  QString::fromLatin1(QUrl::toPercentEncoding(id)), tab);
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("tab.png"));
    const Run r = run({QStringLiteral("--screenshot"), png, QStringLiteral("--base-url"),
                       m_server.baseUrl().toString(), QStringLiteral("--public-key"),
                       m_server.credentials().publicKey, link});
    // Exit code 0: the page reported its data in, with no error, before the timeout.
    QVERIFY2(r.exitCode == 0, r.stderrText.constData());

    // The page says what it drew: this exact id in the request and in the server's answer
    // shown in the header, the linked tab, and its rows.
    const QString log = QString::fromUtf8(r.stderrText);
    // (moc cannot read raw string literals holding parentheses.)
    const QRegularExpression shown(QStringLiteral(
        "user page shown: user \"([^\"]*)\", header \"([^\"]*)\", tab (\\w+), (\\d+) rows, "
        "(\\d+) marks, error \"([^\"]*)\""));
    const QRegularExpressionMatch m = shown.match(log);
    QVERIFY2(m.hasMatch(), r.stderrText.constData());
    QCOMPARE(m.captured(1), id);
    QCOMPARE(m.captured(2), id);
    QCOMPARE(m.captured(3), tab);
    QVERIFY2(m.captured(4).toInt() > 0, qPrintable(m.captured(0)));
    if (tab == QLatin1String("sessions"))
        QVERIFY2(m.captured(5).toInt() > 0, qPrintable(m.captured(0)));
    QCOMPARE(m.captured(6), QString());

    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1280, 800));
    if (const QString keep = qEnvironmentVariable("XEROML_E2E_SCREENSHOTS"); !keep.isEmpty()) {
        QDir().mkpath(keep);
        const QString target =
            QDir(keep).filePath(who + QLatin1Char('-') + tab + QStringLiteral(".png"));
        QFile::remove(target);
        QVERIFY(QFile::copy(png, target));
    }
    image = image.convertToFormat(QImage::Format_RGB32);
    // Below the header and the tab bar: what the tab itself draws.
    const QRect body(0, 200, image.width(), image.height() - 200);
    if (tab == QLatin1String("overview")) {
        // The "Traces per day" bars, and the score histogram's.
        const int bars = countColour(image, body, qRgb(0x4a, 0x7f, 0xd1));
        QVERIFY2(bars > 200, qPrintable(QStringLiteral("%1 bar pixels").arg(bars)));
        const int scoreBars = countColour(image, body, qRgb(0x8a, 0x63, 0xc9));
        QVERIFY2(scoreBars > 100, qPrintable(QStringLiteral("%1 score bar pixels").arg(scoreBars)));
    } else if (tab == QLatin1String("sessions")) {
        // Trace ticks on the sessions' rows.
        const int ticks = countColour(image, body, qRgb(0x2f, 0x5f, 0xb3));
        QVERIFY2(ticks > 100, qPrintable(QStringLiteral("%1 trace tick pixels").arg(ticks)));
    } else {
        // A table of striped rows.
        int stripes = 0;
        for (int y = body.top(); y < body.bottom(); ++y)
            stripes += image.pixel(640, y) == qRgb(0xf8, 0xf9, 0xfb) ? 1 : 0;
        QVERIFY2(stripes > 40, qPrintable(QStringLiteral("%1 striped lines").arg(stripes)));
    }
}

QTEST_GUILESS_MAIN(TestUserTabs)
#include "tst_usertabs.moc"
