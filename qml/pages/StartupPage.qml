// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Shown while the connection is not usable yet: the embedded server starting or seeding
// its demo data, or the reason it could not start.
Page {
    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 480)
        spacing: 12

        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: !AppContext.failed
            visible: running
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: AppContext.failed ? qsTr("The local server could not start")
                                    : (AppContext.statusText || qsTr("Starting…"))
            font.bold: AppContext.failed
        }
        Label {
            Layout.fillWidth: true
            visible: AppContext.failed
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: AppContext.statusText
        }
        ProgressBar {
            Layout.fillWidth: true
            visible: !AppContext.failed && AppContext.progress >= 0
            value: AppContext.progress
        }
    }
}
