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

    function openUser(user: var) {
        const page = stack.push(userPage, { user: user });
        page.backRequested.connect(window.goBack);
    }

    function goBack() {
        if (stack.depth > 1)
            stack.pop();
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12

            ToolButton {
                visible: stack.depth > 1
                text: "←"
                onClicked: window.goBack()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Back (Alt+Left)")
            }
            Label {
                text: qsTr("XeroML Dashboard")
                font.bold: true
                font.pixelSize: 16
            }
            Label {
                text: stack.depth > 1 ? qsTr("Users › User") : qsTr("Users")
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

    Shortcut {
        sequences: ["Alt+Left", "Back"]
        onActivated: window.goBack()
    }

    // Mouse back button, anywhere in the window.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.BackButton
        onClicked: window.goBack()
        z: 1
    }

    StackView {
        id: stack
        anchors.fill: parent
        visible: AppContext.ready
        initialItem: UsersPage {
            onUserActivated: (user) => window.openUser(user)
        }
    }

    StartupPage {
        anchors.fill: parent
        visible: !AppContext.ready
    }

    Component {
        id: userPage
        UserPage {}
    }
}
