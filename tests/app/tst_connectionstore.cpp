// SPDX-License-Identifier: GPL-3.0-or-later
// Saved connections: metadata in QSettings, the secret key in the OS keychain (a real
// Secret Service when the test runs under run-with-keyring.sh), or — only when the user
// chooses it because no keychain runs — a 0600 file; never in QSettings.
#include "views/connectionstore.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kSecret = QStringLiteral("sk-test-7f3a9c-secret");

// Every file under the config dir (QSettings, secrets) that holds `needle`.
QStringList filesHolding(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << f.fileName();
    }
    return hits;
}

struct Loaded
{
    Connection connection;
    QString error;
};

Loaded load(const ConnectionStore &store, const QString &name)
{
    Loaded result;
    bool done = false;
    store.load(name, [&](const Connection &c, const QString &e) {
        result = {c, e};
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        result.error = QStringLiteral("timed out");
    return result;
}

} // namespace

class TestConnectionStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void keychainKeepsTheSecret();
    void withoutKeychainTheFileIsAnExplicitChoice();
    void refusesBadConnections_data();
    void refusesBadConnections();

private:
    QString configDir() const { return qEnvironmentVariable("XDG_CONFIG_HOME"); }
};

void TestConnectionStore::init()
{
    QSettings().clear();
    QDir(configDir() + QStringLiteral("/xeroml-dashboard/secrets")).removeRecursively();
}

void TestConnectionStore::keychainKeepsTheSecret()
{
    if (qEnvironmentVariable("XEROML_TEST_KEYRING") != QLatin1String("1"))
        QSKIP("runs only against the private Secret Service of tst_connectionstore_keyring "
              "(dbus-run-session + gnome-keyring-daemon --unlock), never the user's keychain");
    ConnectionStore store;
    QSignalSpy saved(&store, &ConnectionStore::saveFinished);
    store.save({}, QStringLiteral("Prod"), QStringLiteral("https://xeroml.example.org"),
               QStringLiteral("pk-1"), kSecret, QStringLiteral("p1"), QStringLiteral("Project 1"),
               false);
    QVERIFY(saved.wait(20000));
    const QString error = saved.at(0).at(1).toString();
    if (!error.isEmpty()) {
        QVERIFY(saved.at(0).at(2).toBool()); // reported as "no keychain", so the UI offers the file
        QVERIFY(!store.find(QStringLiteral("Prod"))); // and nothing was saved silently
        QSKIP(qPrintable(QStringLiteral("no Secret Service on this session bus (run the test "
                                        "through tests/app/run-with-keyring.sh, as ctest's "
                                        "tst_connectionstore_keyring does): %1")
                             .arg(error)));
    }
    QVERIFY(store.find(QStringLiteral("Prod")));
    QVERIFY2(filesHolding(configDir(), kSecret.toUtf8()).isEmpty(),
             "the secret key is in no file under the config dir");

    ConnectionStore reopened; // a new start reads the same connections
    QCOMPARE(reopened.names(),
             QStringList({ConnectionStore::localServerName(), QStringLiteral("Prod")}));
    const Loaded loaded = load(reopened, QStringLiteral("Prod"));
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.connection.secretKey, kSecret);
    QCOMPARE(loaded.connection.baseUrl, QUrl(QStringLiteral("https://xeroml.example.org")));
    QCOMPARE(loaded.connection.publicKey, QStringLiteral("pk-1"));

    // Renaming keeps the secret; removing deletes it.
    store.save(QStringLiteral("Prod"), QStringLiteral("Production"),
               QStringLiteral("https://xeroml.example.org"), QStringLiteral("pk-1"), QString(),
               QStringLiteral("p1"), QStringLiteral("Project 1"), false);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 20000);
    QVERIFY2(saved.at(1).at(1).toString().isEmpty(), qPrintable(saved.at(1).at(1).toString()));
    QCOMPARE(load(store, QStringLiteral("Production")).connection.secretKey, kSecret);
    store.remove(QStringLiteral("Production"));
    QVERIFY(!store.find(QStringLiteral("Production")));
    QVERIFY(!load(store, QStringLiteral("Production")).error.isEmpty());
}

void TestConnectionStore::withoutKeychainTheFileIsAnExplicitChoice()
{
    // No session bus: no keychain service can answer.
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/xeroml-test-bus");
    auto restore = qScopeGuard([&] { qputenv("DBUS_SESSION_BUS_ADDRESS", bus); });
    ConnectionStore store;
    QSignalSpy saved(&store, &ConnectionStore::saveFinished);
    store.save({}, QStringLiteral("Lab"), QStringLiteral("https://lab.example"),
               QStringLiteral("pk-2"), kSecret, {}, {}, false);
    QVERIFY(saved.wait(20000));
    if (saved.at(0).at(1).toString().isEmpty())
        QSKIP("this process's session bus was connected before (a keychain answered): the "
              "plain tst_connectionstore run, with no session bus, covers this path");
    QVERIFY2(saved.at(0).at(2).toBool(), "says the keychain is missing");
    QVERIFY2(!store.find(QStringLiteral("Lab")), "nothing saved without the user's choice");
    QVERIFY(filesHolding(configDir(), kSecret.toUtf8()).isEmpty());

    // The user chose the file.
    store.save({}, QStringLiteral("Lab"), QStringLiteral("https://lab.example"),
               QStringLiteral("pk-2"), kSecret, {}, {}, true);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 20000);
    QVERIFY2(saved.at(1).at(1).toString().isEmpty(), qPrintable(saved.at(1).at(1).toString()));
    const QStringList holders = filesHolding(configDir(), kSecret.toUtf8());
    QVERIFY2(holders.size() == 1, qPrintable(holders.join(u' ')));
    QVERIFY2(holders.constFirst().startsWith(store.secretsDirectory()),
             qPrintable(holders.constFirst()));
    // Mode 0600: the owner reads and writes; group and others nothing.
    const QFileDevice::Permissions mode = QFile::permissions(holders.constFirst());
    QCOMPARE(mode & (QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(mode & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                     QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther),
             QFileDevice::Permissions());
    QCOMPARE(load(store, QStringLiteral("Lab")).connection.secretKey, kSecret);
    store.remove(QStringLiteral("Lab"));
    QVERIFY(filesHolding(configDir(), kSecret.toUtf8()).isEmpty());
}

void TestConnectionStore::refusesBadConnections_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("message");
    QTest::newRow("local name") << ConnectionStore::localServerName()
                                << QStringLiteral("https://a.example") << QStringLiteral("name");
    QTest::newRow("not a URL") << QStringLiteral("x") << QStringLiteral("cloud")
                               << QStringLiteral("https://");
    QTest::newRow("plain http remote") << QStringLiteral("x") << QStringLiteral("http://a.example")
                                       << QStringLiteral("only for servers on this computer");
    QTest::newRow("credentials in the URL")
        << QStringLiteral("x") << QStringLiteral("https://u:p@a.example")
        << QStringLiteral("user name and password");
}

void TestConnectionStore::refusesBadConnections()
{
    QFETCH(QString, name);
    QFETCH(QString, baseUrl);
    QFETCH(QString, message);
    ConnectionStore store;
    QSignalSpy saved(&store, &ConnectionStore::saveFinished);
    store.save({}, name, baseUrl, QStringLiteral("pk"), kSecret, {}, {}, true);
    QCOMPARE(saved.size(), 1);
    QVERIFY2(saved.at(0).at(1).toString().contains(message),
             qPrintable(saved.at(0).at(1).toString()));
    QCOMPARE(store.rowCount(), 1);
}

int main(int argc, char *argv[])
{
    // Settings and secret files in a private, throw-away config dir.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("xeroml-dashboard-test"));
    TestConnectionStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_connectionstore.moc"
