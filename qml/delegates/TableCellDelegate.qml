// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A cell of any of the page's tables: formatted text, exact value on hover.
Rectangle {
    id: cell

    required property string display
    required property var toolTip
    required property bool numeric
    required property int row
    required property int column

    signal clicked(int row, int modifiers)
    signal doubleClicked(int row)

    implicitHeight: 28
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
    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: (event) => cell.clicked(cell.row, event.modifiers)
        onDoubleClicked: cell.doubleClicked(cell.row)
    }
    ToolTip.visible: mouse.containsMouse && String(cell.toolTip || "").length > 0
    ToolTip.delay: 600
    ToolTip.text: String(cell.toolTip || "")
}
