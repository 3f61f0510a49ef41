// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A red strip with what went wrong and a Retry button.
Rectangle {
    id: banner

    property string message
    signal retryRequested

    implicitHeight: row.implicitHeight + 16
    color: "#fdecea"
    border.color: "#f5c2c0"
    radius: 4
    visible: message.length > 0

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: 8
        spacing: 12

        Label {
            Layout.fillWidth: true
            text: banner.message
            color: "#8a1c14"
            wrapMode: Text.Wrap
        }
        Button {
            text: qsTr("Retry")
            onClicked: banner.retryRequested()
        }
    }
}
