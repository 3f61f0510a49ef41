// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// One cell of the users table: the formatted value, the exact value on hover.
Rectangle {
    id: cell

    required property string display
    required property var toolTip
    required property bool numeric
    required property bool selected
    required property int row
    required property int column
    property bool current: false

    signal clicked(int row, int modifiers)
    signal doubleClicked(int row)

    implicitHeight: 30
    color: selected ? "#d7e6fb" : (row % 2 === 0 ? "#ffffff" : "#f8f9fb")

    Rectangle {
        // The keyboard's current row: a thin line under it.
        visible: cell.current
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 2
        color: "#3b73c4"
    }
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
