// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// No users match: say why, and how to get users into the data at all.
ColumnLayout {
    id: empty

    property bool filtered

    spacing: 8

    Label {
        Layout.alignment: Qt.AlignHCenter
        text: empty.filtered ? qsTr("No user matches this filter") : qsTr("No users yet")
        font.pixelSize: 18
        font.bold: true
    }
    Label {
        Layout.alignment: Qt.AlignHCenter
        Layout.maximumWidth: 560
        wrapMode: Text.Wrap
        horizontalAlignment: Text.AlignHCenter
        text: empty.filtered
              ? qsTr("Clear the search to see every user.")
              : qsTr("Users appear once traces carry a user id. In your application, wrap each request:")
    }
    TextArea {
        Layout.alignment: Qt.AlignHCenter
        visible: !empty.filtered
        readOnly: true
        selectByMouse: true
        font.family: "monospace"
        text: "with propagate_attributes(user_id=user_id): ...\n"
              + "await propagateAttributes({ userId }, async () => { ... });"
    }
}
