// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

ApplicationWindow {
    id: window

    width: 1280
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: qsTr("XeroML Dashboard")

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12

            Label {
                text: qsTr("XeroML Dashboard")
                font.bold: true
                font.pixelSize: 16
            }
            Label {
                text: qsTr("Users")
                opacity: 0.7
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

    Loader {
        anchors.fill: parent
        sourceComponent: AppContext.ready ? usersPage : startupPage
    }

    Component {
        id: usersPage
        UsersPage {}
    }

    Component {
        id: startupPage
        StartupPage {}
    }
}
