// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick

// The users table as the page draws it, minus the page: one Text per cell.
TableView {
    id: table
    columnWidthProvider: (column) => column === 0 ? 280 : 100
    delegate: Rectangle {
        required property string display
        required property int row
        implicitHeight: 30
        color: row % 2 === 0 ? "#ffffff" : "#f8f9fb"
        Text {
            anchors.fill: parent
            anchors.margins: 6
            text: parent.display
            elide: Text.ElideRight
        }
    }
}
