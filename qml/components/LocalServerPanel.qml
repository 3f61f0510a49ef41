// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The embedded local server in Settings: what to paste into an application's environment so
// that its Langfuse SDK sends traces here. The secret key stays masked until asked for.
ColumnLayout {
    id: panel

    property bool revealed: false
    // What was copied last ("LANGFUSE_BASE_URL"…), for a short confirmation.
    property string copied
    readonly property bool running: AppContext.localBaseUrl.length > 0

    function copy(what: string, text: string) {
        AppContext.copyToClipboard(text);
        copied = what;
        copiedTimer.restart();
    }

    spacing: 10

    Timer {
        id: copiedTimer
        interval: 2500
        onTriggered: panel.copied = ""
    }

    Label {
        text: qsTr("Send traces from your app")
        font.bold: true
        font.pixelSize: 16
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        text: qsTr("The local server on this computer accepts what the Langfuse SDKs send (TypeScript: @langfuse/tracing with @langfuse/otel; Python: langfuse). Set these variables in your application's environment, and tag each request with its user: propagateAttributes({ userId }) or propagate_attributes(user_id=…).")
    }

    Label {
        Layout.fillWidth: true
        visible: !panel.running
        wrapMode: Text.Wrap
        text: qsTr("The local server is not running: this window reads from %1. It starts when you use it.").arg(AppContext.currentConnection)
    }
    Button {
        visible: !panel.running
        text: qsTr("Use the local server")
        onClicked: AppContext.switchConnection(AppContext.connections.names[0])
    }

    GridLayout {
        Layout.fillWidth: true
        visible: panel.running
        columns: 4
        columnSpacing: 8
        rowSpacing: 6

        Label { text: "LANGFUSE_BASE_URL"; font.family: "monospace" }
        TextField {
            objectName: "localBaseUrl"
            Layout.fillWidth: true
            Layout.columnSpan: 2
            readOnly: true
            selectByMouse: true
            font.family: "monospace"
            text: AppContext.localBaseUrl
        }
        Button {
            objectName: "copyBaseUrl"
            text: qsTr("Copy")
            onClicked: panel.copy("LANGFUSE_BASE_URL", AppContext.localBaseUrl)
        }

        Label { text: "LANGFUSE_PUBLIC_KEY"; font.family: "monospace" }
        TextField {
            objectName: "localPublicKey"
            Layout.fillWidth: true
            Layout.columnSpan: 2
            readOnly: true
            selectByMouse: true
            font.family: "monospace"
            text: AppContext.localPublicKey
        }
        Button {
            objectName: "copyPublicKey"
            text: qsTr("Copy")
            onClicked: panel.copy("LANGFUSE_PUBLIC_KEY", AppContext.localPublicKey)
        }

        Label { text: "LANGFUSE_SECRET_KEY"; font.family: "monospace" }
        TextField {
            objectName: "localSecretKey"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: panel.revealed
            font.family: "monospace"
            // Masked without holding the key: it is read only when revealed.
            text: panel.revealed ? AppContext.localSecretKey() : "•".repeat(24)
            onTextChanged: cursorPosition = 0 // show the key from its start
        }
        Button {
            objectName: "revealSecretKey"
            text: panel.revealed ? qsTr("Hide") : qsTr("Show")
            checkable: true
            checked: panel.revealed
            onToggled: panel.revealed = checked
        }
        Button {
            objectName: "copySecretKey"
            text: qsTr("Copy")
            onClicked: {
                AppContext.copyLocalSecretKey();
                panel.copied = "LANGFUSE_SECRET_KEY";
                copiedTimer.restart();
            }
        }
    }

    RowLayout {
        visible: panel.running
        spacing: 12
        Button {
            objectName: "copyEnvironment"
            text: qsTr("Copy all as shell exports")
            onClicked: {
                AppContext.copyLocalEnvironment();
                panel.copied = qsTr("the three export lines");
                copiedTimer.restart();
            }
        }
        Label {
            objectName: "copiedLabel"
            visible: panel.copied.length > 0
            text: qsTr("Copied %1").arg(panel.copied)
            color: "#1e6b34"
        }
    }
    Label {
        Layout.fillWidth: true
        visible: panel.running
        wrapMode: Text.Wrap
        opacity: 0.7
        text: qsTr("The address stays the same from one start to the next while its port is free. The keys belong to this computer's database; traces sent with them appear on the users page of the local server.")
    }
}
