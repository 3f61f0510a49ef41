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
    // A test or a save is on its way.
    property bool busy: false
    // Adding the connection a refused link asked for: saving it opens the link.
    property bool forLink: false
    readonly property alias statusText: status.text
    readonly property alias statusOk: status.ok

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
        busy = false;
        status.text = "";
        if (name.length === 0 && baseUrl.length > 0 && baseUrl !== "https://") {
            // The address is known (a link, XeroML Cloud): the name is what to type first.
            nameField.text = hostOf(baseUrl);
        }
        for (const field of [nameField, urlField, publicKeyField])
            field.cursorPosition = 0; // long keys show their start
        nameField.forceActiveFocus();
        nameField.selectAll();
    }

    function hostOf(url: string): string {
        const m = url.match(/^[a-z]+:\/\/([^/?#]+)/i);
        return m ? m[1] : "";
    }

    function save(inFile: bool) {
        busy = true;
        status.ok = true;
        status.text = qsTr("Saving…");
        AppContext.connections.save(originalName, nameField.text, urlField.text, publicKeyField.text,
                                     secretField.text, projectId, projectName, inFile);
    }

    function test() {
        busy = true;
        status.ok = true;
        status.text = qsTr("Testing…");
        AppContext.testConnection(urlField.text, publicKeyField.text, secretField.text, originalName);
    }

    spacing: 8

    Connections {
        target: AppContext
        function onConnectionTested(ok: bool, message: string, project: string, projectLabel: string) {
            editor.busy = false;
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
            editor.busy = false;
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

    Label {
        text: editor.originalName.length > 0 ? qsTr("Edit “%1”").arg(editor.originalName) : qsTr("New connection")
        font.bold: true
        font.pixelSize: 16
    }
    Label {
        Layout.fillWidth: true
        visible: editor.forLink && editor.originalName.length === 0
        wrapMode: Text.Wrap
        text: qsTr("The link you opened is for this server. Enter the key pair of its project (Settings → API keys on that server); once saved, the link opens.")
    }

    GridLayout {
        columns: 2
        columnSpacing: 12
        rowSpacing: 8
        Layout.fillWidth: true

        Label { text: qsTr("Name") }
        TextField {
            id: nameField
            objectName: "connectionName"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. Production")
            onAccepted: editor.save(false)
        }
        Label { text: qsTr("Address") }
        TextField {
            id: urlField
            objectName: "connectionUrl"
            Layout.fillWidth: true
            placeholderText: "https://cloud.xeroml.com"
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            onAccepted: editor.save(false)
        }
        Label { text: qsTr("Public key") }
        TextField {
            id: publicKeyField
            objectName: "connectionPublicKey"
            Layout.fillWidth: true
            placeholderText: "pk-…"
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            onAccepted: editor.save(false)
        }
        Label { text: qsTr("Secret key") }
        TextField {
            id: secretField
            objectName: "connectionSecretKey"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: editor.originalName.length > 0 ? qsTr("unchanged (type to replace)") : "sk-…"
            inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
            onAccepted: editor.save(false)
        }
    }

    RowLayout {
        spacing: 8
        Button {
            objectName: "testConnection"
            text: qsTr("Test connection")
            enabled: !editor.busy
            onClicked: editor.test()
        }
        Button {
            objectName: "saveConnection"
            text: qsTr("Save")
            highlighted: true
            enabled: !editor.busy
            onClicked: editor.save(false)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Save (Enter)")
        }
        BusyIndicator {
            running: editor.busy
            visible: running
            Layout.preferredHeight: 28
            Layout.preferredWidth: 28
        }
    }

    Label {
        id: status
        objectName: "connectionStatus"
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
                objectName: "storeInFile"
                text: qsTr("Store the secret key in that file")
                onClicked: editor.save(true)
            }
        }
    }
}
