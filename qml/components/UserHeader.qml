// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The user page's header: id (copyable), range, previous / next user, and the totals.
ColumnLayout {
    id: header

    required property UserPageController controller
    readonly property var figures: controller.figures
    readonly property bool hasFigures: figures.userId !== undefined

    signal neighbourRequested(int delta)

    spacing: 6

    RowLayout {
        Layout.fillWidth: true
        spacing: 8

        TextField {
            // Read-only but selectable, so the id can be copied exactly.
            id: idField
            Layout.fillWidth: true
            text: header.controller.userId
            readOnly: true
            selectByMouse: true
            font.pixelSize: 20
            font.bold: true
            background: null
        }
        Button {
            text: qsTr("Copy ID")
            onClicked: {
                idField.selectAll();
                idField.copy();
                idField.deselect();
                copied.visible = true;
            }
        }
        Button {
            text: qsTr("Copy link")
            enabled: AppContext.projectId.length > 0
            onClicked: {
                AppContext.copyToClipboard(AppContext.userLink(header.controller.userId));
                copied.visible = true;
            }
            ToolTip.visible: hovered
            ToolTip.text: qsTr("A link that opens this user, to paste in chat")
        }
        Label {
            id: copied
            visible: false
            text: qsTr("Copied")
            opacity: 0.7
        }
        Button {
            text: "↑"
            onClicked: header.neighbourRequested(-1)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Previous user in the list (Alt+Up)")
        }
        Button {
            text: "↓"
            onClicked: header.neighbourRequested(1)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Next user in the list (Alt+Down)")
        }
        ComboBox {
            Layout.preferredWidth: 170
            model: header.controller.timeRange.presetLabels
            currentIndex: header.controller.timeRange.presetIndex
            onActivated: (index) => {
                const key = header.controller.timeRange.presetKeys[index];
                if (key !== "custom")
                    header.controller.timeRange.preset = key;
            }
        }
    }

    Label {
        visible: header.hasFigures
        text: qsTr("%1 · environments: %2 · first trace %3 (%4) · last trace %5 (%6)")
            .arg(header.controller.timeRange.label).arg(header.figures.environments)
            .arg(header.figures.firstTraceAt).arg(header.figures.firstTraceExact)
            .arg(header.figures.lastTraceAt).arg(header.figures.lastTraceExact)
        opacity: 0.75
        elide: Text.ElideRight
        Layout.fillWidth: true
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 6
        visible: header.hasFigures

        Repeater {
            model: [
                { label: qsTr("Traces"), key: "totalTraces" },
                { label: qsTr("Sessions"), key: "totalSessions" },
                { label: qsTr("Observations"), key: "totalObservations" },
                { label: qsTr("Input tokens"), key: "inputTokens" },
                { label: qsTr("Output tokens"), key: "outputTokens" },
                { label: qsTr("Total tokens"), key: "totalTokens" },
                { label: qsTr("Cost (USD)"), key: "totalCost" },
                { label: qsTr("Avg score"), key: "averageScore" }
            ]
            delegate: Rectangle {
                id: tile
                required property var modelData
                Layout.fillWidth: true
                implicitHeight: 50
                radius: 6
                color: "#f6f7f9"
                border.color: "#dde1e6"

                Column {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.topMargin: 5
                    spacing: 2
                    Label {
                        text: tile.modelData.label
                        opacity: 0.7
                        font.pixelSize: 11
                    }
                    Label {
                        text: header.figures[tile.modelData.key] || ""
                        font.pixelSize: 17
                        font.bold: true
                    }
                }
                HoverHandler {
                    id: hover
                }
                ToolTip.visible: hover.hovered && tile.modelData.key === "averageScore"
                ToolTip.text: qsTr("Average over %1 numeric scores").arg(header.figures.scoreCount)
            }
        }
    }
}
