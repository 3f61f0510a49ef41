// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Quick Tests of the real pages, fed by the real local server on a free port.
#include "api/apiclient.h"
#include "tests/qml/testfiles.h"
#include "tests/support/testserver.h"
#include "views/appcontext.h"

#include <QApplication>
#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QSettings>
#include <QStandardPaths>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(XeroML_DashboardPlugin)

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
        qmlRegisterSingletonInstance("XeroML.Test", 1, 0, "TestFiles", &m_files);
    }

private:
    TestServer m_server;
    ApiClient m_client;
    AppContext m_context;
    TestFiles m_files;
    bool m_started = false;
};

int main(int argc, char **argv)
{
    // The pages hold Qt Charts, which draw through QGraphicsScene and need a QApplication;
    // quick_test_main only makes a QGuiApplication when none exists.
    QApplication app(argc, argv);
    // Column widths and sort order are remembered in QSettings: keep them out of ~/.config.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "qml", QUICK_TEST_SOURCE_DIR, &setup);
}
#include "tst_qml.moc"
