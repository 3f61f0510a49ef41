// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Adds or edits one saved connection: address, key pair, a test that names the project,
// and where the secret key goes (the OS keychain, or — only if the user says so because no
// keychain runs — a file readable only by them).
ColumnLayout {
    id: editor

    // Name of the connection being edited; empty when adding one.
    property string originalName
    property string projectId
    property string projectName
    property bool keychainMissing: false

    signal finished

    function load(name: string, baseUrl: string, publicKey: string, project: string, projectLabel: string) {
        originalName = name;
        nameField.text = name;
        urlField.text = baseUrl;
        publicKeyField.text = publicKey;
        secretField.text = "";
        projectId = project;
        projectName = projectLabel;
        keychainMissing = false;
        status.text = "";
        nameField.forceActiveFocus();
    }

    function save(inFile: bool) {
        AppContext.connections.save(originalName, nameField.text, urlField.text, publicKeyField.text,
                                     secretField.text, projectId, projectName, inFile);
    }

    spacing: 8

    Connections {
        target: AppContext
        function onConnectionTested(ok: bool, message: string, project: string, projectLabel: string) {
            status.ok = ok;
            status.text = message;
            if (ok) {
                editor.projectId = project;
                editor.projectName = projectLabel;
            }
        }
    }
    Connections {
        target: AppContext.connections
        function onSaveFinished(name: string, error: string, missing: bool) {
            editor.keychainMissing = missing;
            status.ok = error.length === 0;
            status.text = error.length === 0 ? qsTr("Saved “%1”").arg(name) : error;
            if (error.length === 0) {
                secretField.text = "";
                editor.originalName = name;
                editor.finished();
            }
        }
    }

    GridLayout {
        columns: 2
        columnSpacing: 12
        rowSpacing: 8
        Layout.fillWidth: true

        Label { text: qsTr("Name") }
        TextField {
            id: nameField
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. Production")
        }
        Label { text: qsTr("Address") }
        TextField {
            id: urlField
            Layout.fillWidth: true
            placeholderText: "https://cloud.xeroml.com"
        }
        Label { text: qsTr("Public key") }
        TextField {
            id: publicKeyField
            Layout.fillWidth: true
            placeholderText: "pk-…"
        }
        Label { text: qsTr("Secret key") }
        TextField {
            id: secretField
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: editor.originalName.length > 0 ? qsTr("unchanged") : "sk-…"
        }
    }

    RowLayout {
        spacing: 8
        Button {
            text: qsTr("Test connection")
            onClicked: {
                status.ok = true;
                status.text = qsTr("Testing…");
                AppContext.testConnection(urlField.text, publicKeyField.text, secretField.text, editor.originalName);
            }
        }
        Button {
            text: qsTr("Save")
            highlighted: true
            onClicked: editor.save(false)
        }
    }

    Label {
        id: status
        property bool ok: true
        Layout.fillWidth: true
        visible: text.length > 0
        color: ok ? "#1e6b34" : "#8a1c14"
        wrapMode: Text.Wrap
    }

    // No keychain: say so, and let the user choose the file explicitly.
    Frame {
        Layout.fillWidth: true
        visible: editor.keychainMissing
        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: qsTr("No keychain service (Secret Service, KWallet) is running, so the secret key cannot be kept there. You can store it in a file under %1 that only your user can read (mode 0600) instead, or start a keychain and save again.").arg(AppContext.connections.secretsDirectory)
            }
            Button {
                text: qsTr("Store the secret key in that file")
                onClicked: editor.save(true)
            }
        }
    }
}
