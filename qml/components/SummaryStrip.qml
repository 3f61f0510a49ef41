// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Totals over every user matching the filter, not just the rows loaded so far.
RowLayout {
    id: strip

    required property UsersPageController controller
    readonly property var figures: controller.summary.figures

    spacing: 8

    Repeater {
        model: [
            { label: qsTr("Users"), value: strip.controller.loaded
                ? Number(strip.controller.totalCount).toLocaleString(Qt.locale("en_US"), "f", 0) : "",
              hint: qsTr("Users with at least one trace in the window") },
            { label: qsTr("Traces"), value: strip.figures.traces || "", hint: "" },
            { label: qsTr("Total tokens"), value: strip.figures.totalTokens || "", hint: "" },
            { label: qsTr("Input / output tokens"), value: strip.figures.inputOutput || "",
              hint: strip.figures.inputTokens
                    ? qsTr("Input %1 · output %2").arg(strip.figures.inputTokens).arg(strip.figures.outputTokens)
                    : "" },
            { label: qsTr("Cost (USD)"), value: strip.figures.cost || "", hint: "" },
            { label: qsTr("Avg score"), value: strip.figures.averageScore || "",
              hint: strip.figures.scoreCount ? qsTr("Over %1 numeric scores").arg(strip.figures.scoreCount) : "" }
        ]
        delegate: Rectangle {
            id: tile
            required property var modelData
            Layout.fillWidth: true
            implicitHeight: 52
            radius: 6
            color: "#f6f7f9"
            border.color: "#dde1e6"

            Column {
                anchors.fill: parent
                anchors.leftMargin: 10
                anchors.topMargin: 6
                spacing: 2
                Label {
                    text: tile.modelData.label
                    opacity: 0.7
                    font.pixelSize: 12
                }
                Label {
                    text: tile.modelData.value.length > 0 ? tile.modelData.value
                          : (strip.controller.summary.loading || !strip.controller.loaded ? "…" : "–")
                    font.pixelSize: 18
                    font.bold: true
                }
            }
            HoverHandler {
                id: hover
            }
            ToolTip.visible: hover.hovered && tile.modelData.hint.length > 0
            ToolTip.text: tile.modelData.hint
            ToolTip.delay: 400
        }
    }
}
