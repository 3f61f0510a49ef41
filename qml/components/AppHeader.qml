// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The window's tool bar: back, where we are, which server we read from (switchable), Open
// link, Settings; and the messages links and connection switches leave for the user.
ToolBar {
    id: bar

    property bool canGoBack: false
    property string location: qsTr("Users")

    signal backRequested
    signal openLinkRequested
    // baseUrl: pre-filled address of a connection to add (empty: just open Settings).
    signal settingsRequested(baseUrl: string)

    Connections {
        target: AppContext
        function onNotice(message: string) {
            notice.offerBaseUrl = "";
            notice.message = message;
            notice.open();
        }
        function onAddConnectionOffered(baseUrl: string, message: string) {
            notice.offerBaseUrl = baseUrl;
            notice.message = message;
            notice.open();
        }
    }

    Popup {
        id: notice
        property string message
        property string offerBaseUrl
        objectName: "noticePopup"
        parent: Overlay.overlay
        x: parent ? (parent.width - width) / 2 : 0
        y: bar.height + 8
        width: Math.min(640, parent ? parent.width - 48 : 640)
        padding: 12
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
        background: Rectangle {
            color: "#fff8e1"
            border.color: "#f0d58c"
            radius: 4
        }
        contentItem: RowLayout {
            spacing: 12
            Label {
                Layout.fillWidth: true
                text: notice.message
                wrapMode: Text.Wrap
            }
            Button {
                visible: notice.offerBaseUrl.length > 0
                text: qsTr("Add connection…")
                onClicked: {
                    bar.settingsRequested(notice.offerBaseUrl);
                    notice.close();
                }
            }
            ToolButton {
                text: "✕"
                onClicked: notice.close()
            }
        }
    }

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
        ToolButton {
            text: qsTr("Open link…")
            onClicked: bar.openLinkRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Open a xeroml:// or https:// link (Ctrl+L)")
        }
        ConnectionSwitcher {
            Layout.maximumWidth: 320
        }
        ToolButton {
            text: qsTr("Settings")
            onClicked: bar.settingsRequested("")
        }
    }
}
