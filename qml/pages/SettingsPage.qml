// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Connections: the local server (always there, with what an SDK needs to send it traces),
// XeroML Cloud and self-hosted servers.
Page {
    id: page

    // A link named a server with no connection: start adding one for this address.
    property string prefillBaseUrl
    // The right-hand side shows the local server's panel (else the connection editor).
    property bool showingLocal: true
    readonly property alias editor: editor
    readonly property alias connectionList: list

    signal closeRequested

    // Edits `name` (empty: a new connection) on the right-hand side.
    function edit(name: string, baseUrl: string, publicKey: string, projectId: string, projectName: string) {
        showingLocal = false;
        list.currentIndex = name.length > 0 ? AppContext.connections.indexOf(name) : -1;
        editor.load(name, baseUrl, publicKey, projectId, projectName);
    }

    function showLocal() {
        showingLocal = true;
        list.currentIndex = 0;
    }

    // Shown afresh: on the local server, or on a new connection for `baseUrl`.
    function reset(baseUrl: string) {
        prefillBaseUrl = baseUrl;
        localPanel.revealed = false;
        if (baseUrl.length > 0) {
            edit("", baseUrl, "", "", "");
        } else {
            editor.load("", "", "", "", "");
            showLocal();
            list.forceActiveFocus();
        }
    }

    title: qsTr("Settings")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Label {
                text: qsTr("Connections")
                font.bold: true
                font.pixelSize: 18
                Layout.fillWidth: true
            }
            Button {
                objectName: "addCloud"
                text: qsTr("Add XeroML Cloud")
                onClicked: page.edit("", "https://cloud.xeroml.com", "", "", "")
            }
            Button {
                objectName: "addSelfHosted"
                text: qsTr("Add self-hosted")
                onClicked: page.edit("", "https://", "", "", "")
            }
            Button {
                text: qsTr("Close")
                onClicked: page.closeRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Close (Esc)")
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 16

            Frame {
                Layout.preferredWidth: Math.max(200, Math.min(320, page.width * 0.3))
                Layout.fillHeight: true
                padding: 1

                ListView {
                    id: list
                    anchors.fill: parent
                    clip: true
                    activeFocusOnTab: true
                    keyNavigationEnabled: true
                    currentIndex: 0
                    model: AppContext.connections
                    ScrollBar.vertical: ScrollBar {}
                    Keys.onReturnPressed: (list.currentItem as ItemDelegate)?.clicked()
                    Keys.onEnterPressed: (list.currentItem as ItemDelegate)?.clicked()
                    Keys.onDeletePressed: {
                        const name = AppContext.connections.names[currentIndex];
                        if (currentIndex > 0 && name !== undefined) {
                            removal.name = name;
                            removal.open();
                        }
                    }
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
                        focusPolicy: Qt.NoFocus
                        contentItem: RowLayout {
                            spacing: 4
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 2
                                Label {
                                    text: row.name
                                    font.bold: true
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                Label {
                                    text: row.builtIn ? qsTr("This computer") : row.baseUrl
                                    opacity: 0.7
                                    elide: Text.ElideMiddle
                                    Layout.fillWidth: true
                                }
                                Label {
                                    visible: row.projectName.length > 0
                                    text: qsTr("Project %1").arg(row.projectName)
                                    opacity: 0.7
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                            }
                            Label {
                                visible: row.name === AppContext.currentConnection
                                text: qsTr("in use")
                                color: "#1e6b34"
                            }
                            ToolButton {
                                visible: row.name !== AppContext.currentConnection
                                text: qsTr("Use")
                                focusPolicy: Qt.NoFocus
                                onClicked: AppContext.switchConnection(row.name)
                                ToolTip.visible: hovered
                                ToolTip.text: qsTr("Read from %1").arg(row.name)
                            }
                            ToolButton {
                                visible: !row.builtIn
                                text: qsTr("Remove")
                                focusPolicy: Qt.NoFocus
                                onClicked: {
                                    removal.name = row.name;
                                    removal.open();
                                }
                            }
                        }
                        onClicked: {
                            if (row.builtIn)
                                page.showLocal();
                            else
                                page.edit(row.name, row.baseUrl, row.publicKey, row.projectId, row.projectName);
                        }
                    }
                }
            }

            StackLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                currentIndex: page.showingLocal ? 1 : 0

                ScrollView {
                    id: editorScroll
                    clip: true
                    contentWidth: availableWidth
                    ConnectionEditor {
                        id: editor
                        width: editorScroll.availableWidth
                        forLink: page.prefillBaseUrl.length > 0 && AppContext.offeredBaseUrl.length > 0
                        onFinished: list.currentIndex = AppContext.connections.indexOf(editor.originalName)
                    }
                }
                ScrollView {
                    id: localScroll
                    clip: true
                    contentWidth: availableWidth
                    LocalServerPanel {
                        id: localPanel
                        width: localScroll.availableWidth
                    }
                }
            }
        }
    }

    Dialog {
        id: removal
        property string name
        objectName: "removeConnectionDialog"
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Remove “%1”?").arg(removal.name)
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label {
            text: qsTr("The connection and its secret key are forgotten on this computer.")
            wrapMode: Text.Wrap
        }
        onAccepted: {
            AppContext.connections.remove(removal.name);
            if (editor.originalName === removal.name)
                page.showLocal();
        }
    }
}
