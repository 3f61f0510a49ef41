// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// A paged, server-sorted table: click a sortable header to sort, near the end to page in
// more, double-click or Enter on a row to open it.
ColumnLayout {
    id: root

    required property var model
    required property var columnWidths
    property int sortColumn: -1
    property bool sortDescending: true
    // Per column: whether it sorts, whether it holds numbers (right-aligned).
    property var sortableColumns: []
    property var numericColumns: []
    property bool loaded: true
    property string emptyText: qsTr("Nothing here")
    readonly property alias table: table
    property int currentRow: -1

    signal sortRequested(int column)
    signal rowActivated(int row)
    signal moreWanted

    spacing: 0

    HorizontalHeaderView {
        id: header
        Layout.fillWidth: true
        syncView: table
        clip: true
        delegate: HeaderCellDelegate {
            sortColumn: root.sortColumn
            sortDescending: root.sortDescending
            numeric: root.numericColumns[column] === true
            onClicked: (column) => {
                if (root.sortableColumns[column] === true)
                    root.sortRequested(column);
            }
        }
    }

    TableView {
        id: table
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        focus: true
        boundsBehavior: Flickable.StopAtBounds
        model: root.model
        columnWidthProvider: (column) => root.columnWidths[column] || 100
        onContentYChanged: {
            if (contentHeight > 0 && contentY + height > contentHeight - 600)
                root.moreWanted();
        }
        ScrollBar.vertical: ScrollBar {}
        ScrollBar.horizontal: ScrollBar {}
        delegate: TableCellDelegate {
            color: row === root.currentRow ? "#d7e6fb" : (row % 2 === 0 ? "#ffffff" : "#f8f9fb")
            onClicked: (row) => {
                table.forceActiveFocus();
                root.currentRow = row;
            }
            onDoubleClicked: (row) => root.rowActivated(row)
        }
        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_Down || event.key === Qt.Key_Up) {
                const next = Math.max(0, Math.min(table.rows - 1,
                                                  root.currentRow + (event.key === Qt.Key_Down ? 1 : -1)));
                root.currentRow = next;
                table.positionViewAtRow(next, TableView.Contain);
                event.accepted = true;
            } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && root.currentRow >= 0) {
                root.rowActivated(root.currentRow);
                event.accepted = true;
            }
        }

        BusyIndicator {
            anchors.centerIn: parent
            running: !root.loaded
            visible: running
        }
        Label {
            anchors.centerIn: parent
            visible: root.loaded && table.rows === 0
            text: root.emptyText
            opacity: 0.7
        }
    }
}
