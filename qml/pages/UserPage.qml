// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// One user: the id (copyable) and their figures over the list's time range.
Page {
    id: page

    // Figures for people, as UsersPageController.userAt() gives them.
    required property var user

    signal backRequested

    Keys.onEscapePressed: backRequested()
    Component.onCompleted: forceActiveFocus()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            TextField {
                // Read-only but selectable, so the id can be copied as is.
                Layout.fillWidth: true
                text: page.user.userId
                readOnly: true
                selectByMouse: true
                font.pixelSize: 20
                font.bold: true
                background: null
            }
            Button {
                text: qsTr("Copy ID")
                onClicked: {
                    clipboardHelper.text = page.user.userId;
                    clipboardHelper.selectAll();
                    clipboardHelper.copy();
                    copied.visible = true;
                }
            }
            Label {
                id: copied
                visible: false
                text: qsTr("Copied")
                opacity: 0.7
            }
        }

        Label {
            text: qsTr("%1 · environments: %2 · first trace %3 (%4) · last trace %5 (%6)")
                .arg(page.user.range).arg(page.user.environments)
                .arg(page.user.firstTraceAt).arg(page.user.firstTraceExact)
                .arg(page.user.lastTraceAt).arg(page.user.lastTraceExact)
            opacity: 0.75
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        GridLayout {
            columns: 4
            columnSpacing: 12
            rowSpacing: 12
            Layout.fillWidth: true

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
                            text: page.user[tile.modelData.key]
                            font.pixelSize: 22
                            font.bold: true
                        }
                    }
                }
            }
        }

        Label {
            text: qsTr("Average over %1 numeric scores.").arg(page.user.scoreCount)
            opacity: 0.7
        }

        Item {
            Layout.fillHeight: true
        }
    }

    TextEdit {
        // Off-screen helper: QML has no clipboard API of its own.
        id: clipboardHelper
        visible: false
    }
}
