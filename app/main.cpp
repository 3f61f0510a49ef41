// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/application.h"
#include "app/headlessexport.h"

#include <QApplication>
#include <QQmlEngineExtensionPlugin>

Q_IMPORT_QML_PLUGIN(XeroML_DashboardPlugin)

int main(int argc, char *argv[])
{
    if (HeadlessExport::requested(argc, argv)) {
        // No window, no QML engine: a console application object is enough.
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("xeroml-dashboard"));
        QCoreApplication::setApplicationVersion(QStringLiteral(XEROML_VERSION));
        return HeadlessExport::run(app);
    }
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
