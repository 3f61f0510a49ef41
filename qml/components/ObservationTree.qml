// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The observation tree: name (indented, expandable), type, model, a duration bar on the
// trace's time scale, tokens and cost. Clicking a row shows its detail.
ColumnLayout {
    id: root

    required property TracePageController controller
    readonly property var widths: [230, 90, 130, 90, 80, 190, 80, 80, 80, 80, 80]

    spacing: 0

    HorizontalHeaderView {
        Layout.fillWidth: true
        syncView: tree
        clip: true
        delegate: HeaderCellDelegate {}
    }

    TreeView {
        id: tree
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.controller.tree
        columnWidthProvider: (column) => root.widths[column] || 80
        ScrollBar.vertical: ScrollBar {}
        ScrollBar.horizontal: ScrollBar {}
        Component.onCompleted: expandRecursively()
        Connections {
            target: root.controller
            function onTreeChanged() {
                tree.expandRecursively();
            }
        }

        delegate: Rectangle {
            id: cell
            required property TreeView treeView
            required property bool isTreeNode
            required property bool expanded
            required property bool hasChildren
            required property int depth
            required property int row
            required property int column
            required property string display
            required property var toolTip
            required property bool numeric
            required property string type
            required property real startFraction
            required property real durationFraction

            implicitHeight: 26
            color: row % 2 === 0 ? "#ffffff" : "#f8f9fb"

            Label {
                id: arrow
                visible: cell.isTreeNode && cell.hasChildren
                x: 4 + cell.depth * 14
                anchors.verticalCenter: parent.verticalCenter
                text: cell.expanded ? "▾" : "▸"
                TapHandler {
                    onTapped: cell.treeView.toggleExpanded(cell.row)
                }
            }
            Label {
                visible: cell.column !== 5
                anchors.fill: parent
                anchors.leftMargin: cell.isTreeNode ? 20 + cell.depth * 14 : 6
                anchors.rightMargin: 6
                verticalAlignment: Text.AlignVCenter
                horizontalAlignment: cell.numeric ? Text.AlignRight : Text.AlignLeft
                elide: Text.ElideRight
                text: cell.display
                font.bold: cell.isTreeNode && cell.type === "GENERATION"
            }
            Rectangle {
                // The duration bar (an event is a thin tick).
                visible: cell.column === 5
                x: 4 + (parent.width - 8) * cell.startFraction
                width: Math.max(2, (parent.width - 8) * cell.durationFraction)
                anchors.verticalCenter: parent.verticalCenter
                height: 10
                radius: 2
                color: cell.type === "GENERATION" ? "#4a7fd1" : (cell.type === "EVENT" ? "#e0703a" : "#9bb7e0")
            }
            MouseArea {
                id: mouse
                anchors.fill: parent
                anchors.leftMargin: cell.isTreeNode ? 18 + cell.depth * 14 : 0
                hoverEnabled: true
                onClicked: root.controller.pick(cell.treeView.modelIndex(Qt.point(0, cell.row)))
                onDoubleClicked: cell.treeView.toggleExpanded(cell.row)
            }
            ToolTip.visible: mouse.containsMouse && String(cell.toolTip || "").length > 0
            ToolTip.delay: 600
            ToolTip.text: String(cell.toolTip || "")
        }
    }
}
