// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The window's tool bar: back, where we are, and which server we read from.
ToolBar {
    id: bar

    property bool canGoBack: false
    property string location: qsTr("Users")

    signal backRequested

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12

        ToolButton {
            visible: bar.canGoBack
            text: "←"
            onClicked: bar.backRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Back (Alt+Left)")
        }
        Label {
            text: qsTr("XeroML Dashboard")
            font.bold: true
            font.pixelSize: 16
        }
        Label {
            text: bar.location
            opacity: 0.7
            elide: Text.ElideMiddle
            Layout.maximumWidth: 480
        }
        Item {
            Layout.fillWidth: true
        }
        Label {
            text: AppContext.connectionName
            opacity: 0.7
            elide: Text.ElideMiddle
            Layout.maximumWidth: 420
        }
    }
}
