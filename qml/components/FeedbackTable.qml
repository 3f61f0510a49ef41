// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The user's scores and comments, filtered by name, source and data type.
ColumnLayout {
    id: root

    required property UserPageController controller
    readonly property alias table: scoresTable

    signal traceRequested(string traceId)
    signal exportRequested
    signal copyRequested(bool markdown)

    spacing: 6

    RowLayout {
        spacing: 8
        TextField {
            Layout.preferredWidth: 220
            placeholderText: qsTr("Score name…")
            selectByMouse: true
            onTextChanged: root.controller.scoreName = text
        }
        ComboBox {
            Layout.preferredWidth: 170
            model: [qsTr("All sources"), "API", "ANNOTATION", "EVAL"]
            onActivated: (index) => root.controller.scoreSource = index === 0 ? "" : model[index]
        }
        ComboBox {
            Layout.preferredWidth: 170
            model: [qsTr("All data types"), "NUMERIC", "BOOLEAN", "CATEGORICAL"]
            onActivated: (index) => root.controller.scoreDataType = index === 0 ? "" : model[index]
        }
        Label {
            text: qsTr("%1 scores").arg(Number(root.controller.scoreTotal).toLocaleString(Qt.locale("en_US"), "f", 0))
            opacity: 0.75
            visible: root.controller.scores.loaded
        }
        Item { Layout.fillWidth: true }
        Button {
            text: qsTr("Export…")
            onClicked: root.exportRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Save the selected or all matching scores (Ctrl+E)")
        }
    }

    DataTable {
        id: scoresTable
        objectName: "scoresTable"
        Layout.fillWidth: true
        Layout.fillHeight: true
        model: root.controller.scores
        columnWidths: [175, 150, 100, 120, 120, 355, 220]
        numericColumns: Array.from({ length: 7 }, (_, column) => root.controller.isScoreColumnNumeric(column))
        loaded: root.controller.scores.loaded
        emptyText: qsTr("No feedback matches")
        onMoreWanted: root.controller.fetchMoreScores()
        onRowActivated: (row) => root.traceRequested(root.controller.scoreTraceIdAt(row))
        onExportRequested: root.exportRequested()
        onCopyRequested: (markdown) => root.copyRequested(markdown)
    }
}
