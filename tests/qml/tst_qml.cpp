// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Quick Tests of the real pages, fed by the real local server on a free port.
#include "api/apiclient.h"
#include "tests/qml/testfiles.h"
#include "tests/support/testserver.h"
#include "views/appcontext.h"

#include <QApplication>
#include <QFile>
#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(XeroML_DashboardPlugin)

// Writes to the test server's store as another process would (QML: TestStore.addTrace()), so
// that pages can be tested against data arriving while they are shown.
class TestStore : public QObject
{
    Q_OBJECT
public:
    explicit TestStore(QString dbPath)
        : m_dbPath(std::move(dbPath))
    {}
    ~TestStore() override
    {
        if (!m_connection.isEmpty())
            QSqlDatabase::removeDatabase(m_connection);
    }

    /// A trace of `userId` now, in production, costing `costUsd`.
    Q_INVOKABLE bool addTrace(const QString &userId, double costUsd)
    {
        if (m_connection.isEmpty()) {
            m_connection = QUuid::createUuid().toString();
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
            db.setDatabaseName(m_dbPath);
            if (!db.open())
                return false;
        }
        QSqlQuery query(QSqlDatabase::database(m_connection));
        query.prepare(QStringLiteral("INSERT INTO traces (id, ts, user_id, user_id_lower,"
                                     " environment, observation_count, total_cost_nanos)"
                                     " VALUES (?, ?, ?, ?, 'production', 1, ?)"));
        for (const QVariant &v : QVariantList{QUuid::createUuid().toString(QUuid::WithoutBraces),
                                              QDateTime::currentMSecsSinceEpoch(), userId,
                                              userId.toLower(), qRound64(costUsd * 1e9)})
            query.addBindValue(v);
        return query.exec();
    }

private:
    QString m_dbPath;
    QString m_connection;
};

class Setup : public QObject
{
    Q_OBJECT
public:
    Setup()
        : m_context(&m_client)
    {}

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        // Each test file gets its own engine; they all share one server and context.
        if (m_started)
            return;
        m_started = true;
        QString error;
        xeroml::server::DemoOptions demo;
        demo.users = 4000;
        demo.traces = 16000;
        demo.seed = 5;
        if (!m_server.start(demo, &error))
            qFatal("cannot start the local server: %s", qPrintable(error));
        Connection c;
        c.name = QStringLiteral("Test server");
        c.baseUrl = m_server.baseUrl();
        c.publicKey = m_server.credentials().publicKey;
        c.secretKey = m_server.credentials().secretKey;
        AppContext::setInstance(&m_context);
        m_context.setReady(c);
        // The test server stands in for the embedded local server (Settings shows its keys)
        // and for any connection a test switches to.
        m_context.setLocalConnection(c);
        QObject::connect(&m_context, &AppContext::switchRequested, &m_context,
                         [this, c](const QString &name) { m_context.setReady(c, name); });
        qmlRegisterSingletonInstance("XeroML.Test", 1, 0, "TestFiles", &m_files);
        m_store = std::make_unique<TestStore>(m_server.dbPath());
        qmlRegisterSingletonInstance("XeroML.Test", 1, 0, "TestStore", m_store.get());
    }

private:
    TestServer m_server;
    ApiClient m_client;
    AppContext m_context;
    TestFiles m_files;
    std::unique_ptr<TestStore> m_store;
    bool m_started = false;
};

int main(int argc, char **argv)
{
    // The pages hold Qt Charts, which draw through QGraphicsScene and need a QApplication;
    // quick_test_main only makes a QGuiApplication when none exists.
    // Column widths, sort order and saved connections are remembered in QSettings, secret
    // keys in files beside it: keep them out of ~/.config, and the user's keychain out of
    // reach (no session bus: saving takes the "no keychain" path, to a file under the test's
    // own config dir).
    QTemporaryDir home;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
        qputenv(var, QFile::encodeName(home.path() + QLatin1Char('/') + QLatin1String(var)));
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/xeroml-test-bus");
    QApplication app(argc, argv);
    QSettings().clear();
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "qml", QUICK_TEST_SOURCE_DIR, &setup);
}
#include "tst_qml.moc"
