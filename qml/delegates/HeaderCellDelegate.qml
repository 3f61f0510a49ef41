// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A column title; click sorts by the column, the arrow shows the direction, dragging the
// right edge resizes the column.
Rectangle {
    id: cell

    required property string display
    required property int column
    property int sortColumn: -1
    property bool sortDescending: true
    property bool numeric: false
    readonly property bool sorted: column === sortColumn

    signal clicked(int column)
    signal resized(int column, int width)

    implicitHeight: 32
    implicitWidth: label.implicitWidth + 24
    color: tap.pressed ? "#e4e7ec" : (hover.hovered ? "#eef0f3" : "#f6f7f9")
    border.color: "#dde1e6"

    Label {
        id: label
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        verticalAlignment: Text.AlignVCenter
        horizontalAlignment: cell.numeric ? Text.AlignRight : Text.AlignLeft
        elide: Text.ElideRight
        font.bold: cell.sorted
        text: cell.display + (cell.sorted ? (cell.sortDescending ? " ▼" : " ▲") : "")
        Accessible.name: cell.display
    }
    HoverHandler {
        id: hover
        cursorShape: Qt.PointingHandCursor
    }
    TapHandler {
        id: tap
        onTapped: cell.clicked(cell.column)
    }
    MouseArea {
        // The resize grip on the right edge.
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: 8
        cursorShape: Qt.SplitHCursor
        preventStealing: true
        property real startX: 0
        property real startWidth: 0
        onPressed: (event) => {
            startX = mapToItem(null, event.x, 0).x;
            startWidth = cell.width;
        }
        onPositionChanged: (event) => {
            if (pressed)
                cell.resized(cell.column, Math.round(startWidth + mapToItem(null, event.x, 0).x - startX));
        }
    }
}
