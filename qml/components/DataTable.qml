// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// A paged, server-sorted table: click a sortable header to sort, near the end to page in
// more, double-click or Enter on a row to open it. Rows are selected with click, Ctrl+click,
// Shift+click or Shift+arrows; Ctrl+C / Ctrl+Shift+C and the context menu copy them.
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
    // Selected rows, ascending.
    property var selectedRows: []
    property int anchorRow: -1

    signal sortRequested(int column)
    signal rowActivated(int row)
    signal moreWanted
    // Copy the selected rows as TSV, or as a Markdown table; export this table.
    signal copyRequested(bool markdown)
    signal exportRequested

    // A plain click selects the row, Ctrl toggles it, Shift extends from the anchor row.
    function selectRow(row: int, modifiers: int) {
        if ((modifiers & Qt.ShiftModifier) && anchorRow >= 0) {
            const range = [];
            for (let r = Math.min(anchorRow, row); r <= Math.max(anchorRow, row); ++r)
                range.push(r);
            const base = (modifiers & Qt.ControlModifier) ? selectedRows : [];
            selectedRows = Array.from(new Set(base.concat(range))).sort((a, b) => a - b);
        } else if (modifiers & Qt.ControlModifier) {
            selectedRows = selectedRows.indexOf(row) >= 0 ? selectedRows.filter(r => r !== row)
                                                          : selectedRows.concat([row]).sort((a, b) => a - b);
            anchorRow = row;
        } else {
            selectedRows = [row];
            anchorRow = row;
        }
        currentRow = row;
    }

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
            color: root.selectedRows.indexOf(row) >= 0 ? "#d7e6fb" : (row % 2 === 0 ? "#ffffff" : "#f8f9fb")
            onClicked: (row, modifiers) => {
                table.forceActiveFocus();
                root.selectRow(row, modifiers);
            }
            onDoubleClicked: (row) => root.rowActivated(row)
        }
        onRowsChanged: {
            // A new query (sort, filter) replaced the rows the selection pointed at.
            if (root.selectedRows.some(r => r >= rows) || rows === 0) {
                root.selectedRows = [];
                root.anchorRow = -1;
            }
        }
        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_Down || event.key === Qt.Key_Up) {
                if (table.rows === 0)
                    return;
                const next = Math.max(0, Math.min(table.rows - 1,
                                                  root.currentRow + (event.key === Qt.Key_Down ? 1 : -1)));
                if (!(event.modifiers & Qt.ShiftModifier) || root.anchorRow < 0)
                    root.anchorRow = next;
                root.selectRow(next, event.modifiers & Qt.ShiftModifier);
                table.positionViewAtRow(next, TableView.Contain);
                event.accepted = true;
            } else if (event.key === Qt.Key_C && event.modifiers === (Qt.ControlModifier | Qt.ShiftModifier)) {
                root.copyRequested(true);
                event.accepted = true;
            } else if (event.matches(StandardKey.Copy)) {
                root.copyRequested(false);
                event.accepted = true;
            } else if (event.matches(StandardKey.SelectAll)) {
                root.selectedRows = Array.from({ length: table.rows }, (_, r) => r);
                event.accepted = true;
            } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && root.currentRow >= 0) {
                root.rowActivated(root.currentRow);
                event.accepted = true;
            }
        }

        MouseArea {
            id: menuArea
            // Right-click: the row under the pointer joins the selection, then the menu.
            anchors.fill: parent
            acceptedButtons: Qt.RightButton
            onClicked: (mouse) => {
                const cell = table.cellAtPosition(mapToItem(table.contentItem, mouse.x, mouse.y), true);
                if (cell.y >= 0 && root.selectedRows.indexOf(cell.y) < 0)
                    root.selectRow(cell.y, 0);
                table.forceActiveFocus();
                menu.popup(menuArea, mouse.x, mouse.y);
            }
        }
        TableMenu {
            id: menu
            hasSelection: root.selectedRows.length > 0
            onCopyRequested: (markdown) => root.copyRequested(markdown)
            onExportRequested: root.exportRequested()
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
