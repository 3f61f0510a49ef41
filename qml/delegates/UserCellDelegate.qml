// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// One cell of the users table: the formatted value, the exact value on hover.
Rectangle {
    id: cell

    required property string display
    required property var toolTip
    required property bool numeric
    required property int row
    required property int column

    implicitHeight: 30
    color: row % 2 === 0 ? "#ffffff" : "#f8f9fb"

    Label {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        verticalAlignment: Text.AlignVCenter
        horizontalAlignment: cell.numeric ? Text.AlignRight : Text.AlignLeft
        elide: cell.numeric ? Text.ElideLeft : Text.ElideRight
        text: cell.display
    }
    HoverHandler {
        id: hover
    }
    ToolTip.visible: hover.hovered && String(cell.toolTip || "").length > 0
    ToolTip.delay: 600
    ToolTip.text: String(cell.toolTip || "")
}
