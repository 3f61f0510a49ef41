// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// One user: the id (copyable), first and last trace, and their totals over a time range.
Page {
    id: page

    required property string userId
    // From a deep link: "tab", "from", "to".
    property var options: ({})
    property bool reportedReady: false
    readonly property alias controller: controller
    readonly property var figures: controller.figures
    readonly property bool hasFigures: figures.userId !== undefined

    signal backRequested

    Keys.onEscapePressed: backRequested()
    Component.onCompleted: forceActiveFocus()

    UserPageController {
        id: controller
        userId: page.userId
        onSummaryChanged: {
            if (!page.reportedReady && loaded && !loading) {
                page.reportedReady = true;
                AppContext.reportPageReady(errorString);
            }
        }
    }
    Binding {
        target: controller
        property: "client"
        value: AppContext.client
        when: AppContext.ready
    }
    Shortcut {
        sequences: ["F5", "Ctrl+R"]
        onActivated: controller.refresh()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            TextField {
                // Read-only but selectable, so the id can be copied as is.
                id: idField
                Layout.fillWidth: true
                text: page.userId
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
            Label {
                id: copied
                visible: false
                text: qsTr("Copied")
                opacity: 0.7
            }
            ComboBox {
                Layout.preferredWidth: 170
                model: controller.timeRange.presetLabels
                currentIndex: controller.timeRange.presetIndex
                onActivated: (index) => {
                    const key = controller.timeRange.presetKeys[index];
                    if (key !== "custom")
                        controller.timeRange.preset = key;
                }
            }
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: controller.errorString
            onRetryRequested: controller.refresh()
        }

        Label {
            visible: page.hasFigures
            text: qsTr("%1 · environments: %2 · first trace %3 (%4) · last trace %5 (%6)")
                .arg(controller.timeRange.label).arg(page.figures.environments)
                .arg(page.figures.firstTraceAt).arg(page.figures.firstTraceExact)
                .arg(page.figures.lastTraceAt).arg(page.figures.lastTraceExact)
            opacity: 0.75
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        GridLayout {
            columns: 4
            columnSpacing: 12
            rowSpacing: 12
            Layout.fillWidth: true
            visible: page.hasFigures

            Repeater {
                model: [
                    { label: qsTr("Traces"), key: "totalTraces" },
                    { label: qsTr("Sessions"), key: "totalSessions" },
                    { label: qsTr("Observations"), key: "totalObservations" },
                    { label: qsTr("Cost (USD)"), key: "totalCost" },
                    { label: qsTr("Input tokens"), key: "inputTokens" },
                    { label: qsTr("Output tokens"), key: "outputTokens" },
                    { label: qsTr("Total tokens"), key: "totalTokens" },
                    { label: qsTr("Avg score"), key: "averageScore" }
                ]
                delegate: Rectangle {
                    id: tile
                    required property var modelData
                    Layout.fillWidth: true
                    implicitHeight: 72
                    radius: 6
                    color: "#f6f7f9"
                    border.color: "#dde1e6"

                    Column {
                        anchors.fill: parent
                        anchors.margins: 10
                        spacing: 4
                        Label {
                            text: tile.modelData.label
                            opacity: 0.7
                        }
                        Label {
                            text: page.figures[tile.modelData.key] || ""
                            font.pixelSize: 22
                            font.bold: true
                        }
                    }
                }
            }
        }

        Label {
            visible: page.hasFigures
            text: qsTr("Average over %1 numeric scores.").arg(page.figures.scoreCount)
            opacity: 0.7
        }

        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: controller.loading
            visible: running
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
