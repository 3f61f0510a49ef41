// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A column title; click sorts by the column, the arrow shows the direction.
Rectangle {
    id: cell

    required property string display
    required property int column
    property int sortColumn: -1
    property bool sortDescending: true
    property bool numeric: false
    readonly property bool sorted: column === sortColumn

    signal clicked(int column)

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
}
