// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The users table: sortable, resizable header; click / Ctrl / Shift selection; keyboard
// navigation; Enter or double-click opens a user; pages in more rows near the end.
ColumnLayout {
    id: root

    required property UsersPageController controller
    readonly property alias table: table
    readonly property alias headerView: header
    readonly property int rowHeight: 30
    readonly property alias exportDialog: exportDialog

    signal userActivated(int row)

    spacing: 0

    function activateCurrent() {
        if (controller.currentRow >= 0)
            userActivated(controller.currentRow);
    }

    // Export this table (toolbar button, Ctrl+E, context menu).
    function openExport() {
        exportDialog.open();
    }

    function move(delta: int, modifiers: int) {
        const row = controller.moveCurrent(delta, modifiers);
        if (row >= 0)
            table.positionViewAtRow(row, TableView.Contain);
    }

    Connections {
        target: root.controller.columns
        function onChanged() {
            table.forceLayout();
        }
    }

    HorizontalHeaderView {
        id: header
        Layout.fillWidth: true
        syncView: table
        clip: true
        delegate: HeaderCellDelegate {
            sortColumn: root.controller.sortColumn
            sortDescending: root.controller.sortDescending
            numeric: root.controller.isNumericColumn(column)
            onClicked: (column) => root.controller.sortBy(column)
            onResized: (column, width) => root.controller.columns.setWidth(column, width)
        }
    }

    TableView {
        id: table
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        focus: true
        activeFocusOnTab: true
        boundsBehavior: Flickable.StopAtBounds
        keyNavigationEnabled: false   // the controller moves the current row and selection
        pointerNavigationEnabled: false
        model: root.controller.model
        selectionModel: root.controller.selectionModel
        columnWidthProvider: (column) => root.controller.columns.widths[column]
        onContentYChanged: {
            if (contentHeight > 0 && contentY + height > contentHeight - 20 * root.rowHeight)
                root.controller.fetchMore();
        }
        ScrollBar.vertical: ScrollBar {}
        ScrollBar.horizontal: ScrollBar {}

        delegate: UserCellDelegate {
            current: row === root.controller.currentRow
            onClicked: (row, modifiers) => {
                table.forceActiveFocus();
                root.controller.selectRow(row, modifiers);
            }
            onDoubleClicked: (row) => root.userActivated(row)
        }

        Keys.onPressed: (event) => {
            const page = Math.max(1, Math.floor(height / root.rowHeight) - 1);
            switch (event.key) {
            case Qt.Key_Down: root.move(1, event.modifiers); break;
            case Qt.Key_Up: root.move(-1, event.modifiers); break;
            case Qt.Key_PageDown: root.move(page, event.modifiers); break;
            case Qt.Key_PageUp: root.move(-page, event.modifiers); break;
            case Qt.Key_Home: root.move(-root.controller.loadedCount, event.modifiers); break;
            case Qt.Key_End: root.move(root.controller.loadedCount, event.modifiers); break;
            case Qt.Key_Return:
            case Qt.Key_Enter: root.activateCurrent(); break;
            default:
                if (event.key === Qt.Key_C && event.modifiers === (Qt.ControlModifier | Qt.ShiftModifier))
                    exportDialog.exporter.copySelection(true);
                else if (event.matches(StandardKey.Copy))
                    root.controller.copySelection();
                else if (event.matches(StandardKey.SelectAll))
                    root.controller.selectAll();
                else
                    return;
            }
            event.accepted = true;
        }

        MouseArea {
            id: menuArea
            // Right-click: the row under the pointer is selected unless it already is.
            anchors.fill: parent
            acceptedButtons: Qt.RightButton
            onClicked: (mouse) => {
                const cell = table.cellAtPosition(mapToItem(table.contentItem, mouse.x, mouse.y), true);
                if (cell.y >= 0 && !root.controller.selectionModel.isRowSelected(cell.y))
                    root.controller.selectRow(cell.y, 0);
                table.forceActiveFocus();
                menu.popup(menuArea, mouse.x, mouse.y);
            }
        }
        TableMenu {
            id: menu
            hasSelection: root.controller.selectedCount > 0
            onCopyRequested: (markdown) => markdown ? exportDialog.exporter.copySelection(true)
                                                    : root.controller.copySelection()
            onExportRequested: root.openExport()
        }

        BusyIndicator {
            anchors.centerIn: parent
            running: !root.controller.loaded && root.controller.client !== null
            visible: running
        }
        EmptyState {
            anchors.centerIn: parent
            visible: root.controller.loaded && root.controller.errorString.length === 0
                     && root.controller.totalCount === 0
            filtered: root.controller.search.length > 0 || root.controller.timeRange.preset !== "all"
        }
    }

    Shortcut {
        sequence: "Ctrl+E"
        enabled: root.visible
        onActivated: root.openExport()
    }
    ExportDialog {
        id: exportDialog
        objectName: "usersExportDialog"
        source: root.controller
        table: "users"
    }
}
