// SPDX-License-Identifier: GPL-3.0-or-later
// Qt Quick Tests of the real pages, fed by the real local server on a free port.
#include "api/apiclient.h"
#include "tests/support/testserver.h"
#include "views/appcontext.h"

#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
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
        QString error;
        xeroml::server::DemoOptions demo;
        demo.users = 300;
        demo.traces = 5000;
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
    }

private:
    TestServer m_server;
    ApiClient m_client;
    AppContext m_context;
};

QUICK_TEST_MAIN_WITH_SETUP(qml, Setup)
#include "tst_qml.moc"
