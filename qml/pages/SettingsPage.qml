// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Connections: the local server (always there), XeroML Cloud and self-hosted servers.
Page {
    id: page

    // A link named a server with no connection: start adding one for this address.
    property string prefillBaseUrl

    signal closeRequested

    title: qsTr("Settings")
    Component.onCompleted: {
        if (prefillBaseUrl.length > 0)
            editor.load("", prefillBaseUrl, "", "", "");
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: qsTr("Connections")
                font.bold: true
                font.pixelSize: 18
                Layout.fillWidth: true
            }
            Button {
                text: qsTr("Add XeroML Cloud")
                onClicked: editor.load("", "https://cloud.xeroml.com", "", "", "")
            }
            Button {
                text: qsTr("Add self-hosted")
                onClicked: editor.load("", "https://", "", "", "")
            }
            Button {
                text: qsTr("Close")
                onClicked: page.closeRequested()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 16

            ListView {
                id: list
                Layout.preferredWidth: 300
                Layout.fillHeight: true
                clip: true
                model: AppContext.connections
                delegate: ItemDelegate {
                    id: row
                    required property int index
                    required property string name
                    required property string baseUrl
                    required property string publicKey
                    required property string projectId
                    required property string projectName
                    required property bool builtIn

                    width: ListView.view.width
                    highlighted: ListView.isCurrentItem
                    contentItem: RowLayout {
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 2
                            Label {
                                text: row.name + (row.name === AppContext.currentConnection ? qsTr("  (in use)") : "")
                                font.bold: true
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                text: row.builtIn ? qsTr("This computer, demo data") : row.baseUrl
                                opacity: 0.7
                                elide: Text.ElideMiddle
                                Layout.fillWidth: true
                            }
                        }
                        ToolButton {
                            text: qsTr("Use")
                            onClicked: AppContext.switchConnection(row.name)
                        }
                        ToolButton {
                            visible: !row.builtIn
                            text: qsTr("Remove")
                            onClicked: AppContext.connections.remove(row.name)
                        }
                    }
                    onClicked: {
                        list.currentIndex = row.index;
                        if (!row.builtIn)
                            editor.load(row.name, row.baseUrl, row.publicKey, row.projectId, row.projectName);
                    }
                }
            }

            ConnectionEditor {
                id: editor
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
            }
        }
    }
}
