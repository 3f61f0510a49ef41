// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// What an observation (or the trace) received and answered: a chat as a conversation,
// anything else as pretty JSON; then its metadata and the trace's scores.
ScrollView {
    id: root

    required property var detail
    required property var scores

    contentWidth: availableWidth
    clip: true

    ColumnLayout {
        width: root.availableWidth
        spacing: 8

        Label {
            Layout.fillWidth: true
            text: (root.detail.type || "") + "  " + (root.detail.name || "")
            font.bold: true
            font.pixelSize: 15
            elide: Text.ElideRight
        }
        Label {
            Layout.fillWidth: true
            visible: String(root.detail.model || "").length > 0 || String(root.detail.statusMessage || "").length > 0
            text: [root.detail.model, root.detail.level, root.detail.statusMessage].filter(x => x).join(" · ")
            opacity: 0.75
            wrapMode: Text.Wrap
        }

        Repeater {
            model: [
                { title: qsTr("Input"), messages: root.detail.inputMessages, json: root.detail.input },
                { title: qsTr("Output"), messages: root.detail.outputMessages, json: root.detail.output },
                { title: qsTr("Metadata"), messages: undefined, json: root.detail.metadata }
            ]
            delegate: ColumnLayout {
                id: section
                required property var modelData
                readonly property bool chat: Array.isArray(modelData.messages) && modelData.messages.length > 0
                Layout.fillWidth: true
                visible: chat || String(modelData.json || "").length > 0
                spacing: 4

                Label {
                    text: section.modelData.title
                    font.bold: true
                    opacity: 0.8
                }
                Repeater {
                    model: section.chat ? section.modelData.messages : []
                    delegate: Rectangle {
                        id: bubble
                        required property var modelData
                        Layout.fillWidth: true
                        implicitHeight: text.implicitHeight + 26
                        radius: 6
                        color: modelData.role === "user" ? "#eef4ff" : (modelData.role === "assistant" ? "#f0f8f1" : "#f6f7f9")
                        border.color: "#dde1e6"
                        Label {
                            x: 8
                            y: 4
                            text: bubble.modelData.role
                            font.pixelSize: 11
                            opacity: 0.6
                        }
                        TextEdit {
                            id: text
                            x: 8
                            y: 20
                            width: parent.width - 16
                            readOnly: true
                            selectByMouse: true
                            wrapMode: Text.Wrap
                            text: bubble.modelData.content
                        }
                    }
                }
                Rectangle {
                    visible: !section.chat
                    Layout.fillWidth: true
                    implicitHeight: json.implicitHeight + 12
                    color: "#f6f7f9"
                    radius: 4
                    TextEdit {
                        id: json
                        x: 6
                        y: 6
                        width: parent.width - 12
                        readOnly: true
                        selectByMouse: true
                        wrapMode: Text.WrapAnywhere
                        font.family: "monospace"
                        font.pixelSize: 12
                        text: String(section.modelData.json || "")
                    }
                }
            }
        }

        Label {
            visible: root.scores.length > 0
            text: qsTr("Scores")
            font.bold: true
            opacity: 0.8
        }
        Repeater {
            model: root.scores
            delegate: Label {
                required property var modelData
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: "%1 = %2 (%3, %4)%5".arg(modelData.name).arg(modelData.value).arg(modelData.dataType)
                      .arg(modelData.source).arg(modelData.comment ? " — " + modelData.comment : "")
            }
        }
    }
}
