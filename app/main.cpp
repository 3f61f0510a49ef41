// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/application.h"

#include <QApplication>
#include <QQmlEngineExtensionPlugin>

Q_IMPORT_QML_PLUGIN(XeroML_DashboardPlugin)

int main(int argc, char *argv[])
{
    // Qt Charts draws through QGraphicsScene, which needs a QApplication.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("xeroml-dashboard"));
    QApplication::setApplicationDisplayName(QStringLiteral("XeroML Dashboard"));
    QApplication::setApplicationVersion(QStringLiteral(XEROML_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.xeroml.Dashboard"));

    Application application(app);
    const int early = application.start();
    if (early >= 0)
        return early;
    return QApplication::exec();
}
