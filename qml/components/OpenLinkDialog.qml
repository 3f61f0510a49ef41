// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Ctrl+L: paste a deep link (xeroml://… or https://…/project/…/users/…) and open it. A link
// that cannot open keeps the dialog up with the reason under the field; a link to a server
// with no connection offers to add one.
Dialog {
    id: dialog

    // The link named a server with no connection: add one for `baseUrl`.
    signal addConnectionRequested(baseUrl: string)

    // Opens the link and closes; on a problem, stays open and says what is wrong.
    function tryOpen() {
        const error = AppContext.openLink(linkField.text);
        if (error.length > 0) {
            problem.text = error;
            linkField.forceActiveFocus();
            return false;
        }
        problem.text = "";
        linkField.text = "";
        close();
        return true;
    }

    objectName: "openLinkDialog"
    title: qsTr("Open link")
    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, parent ? parent.width - 48 : 640)
    closePolicy: Popup.CloseOnEscape

    onOpened: {
        problem.text = "";
        linkField.selectAll();
        linkField.forceActiveFocus();
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 8

        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            opacity: 0.7
            text: qsTr("A link to a user, trace or session, as “Copy link” makes it or a colleague sends it.")
        }
        TextField {
            id: linkField
            objectName: "openLinkField"
            Layout.fillWidth: true
            placeholderText: "xeroml://cloud.xeroml.com/project/…/users/…"
            selectByMouse: true
            onAccepted: dialog.tryOpen()
            onTextEdited: problem.text = ""
            Accessible.name: qsTr("Link")
        }
        Label {
            id: problem
            objectName: "openLinkProblem"
            Layout.fillWidth: true
            visible: text.length > 0
            color: "#8a1c14"
            wrapMode: Text.Wrap
        }
        Button {
            objectName: "openLinkAddConnection"
            visible: problem.text.length > 0 && AppContext.offeredBaseUrl.length > 0
            text: qsTr("Add connection for %1…").arg(AppContext.offeredBaseUrl)
            onClicked: {
                const baseUrl = AppContext.offeredBaseUrl;
                dialog.close();
                dialog.addConnectionRequested(baseUrl);
            }
        }
    }

    // Open does not close the dialog by itself (tryOpen() decides), so no DialogButtonBox.
    footer: Item {
        implicitHeight: buttons.implicitHeight + 24
        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 12
            anchors.verticalCenter: parent.verticalCenter
            spacing: 8
            Button {
                objectName: "openLinkOpen"
                text: qsTr("Open")
                highlighted: true
                enabled: linkField.text.trim().length > 0
                onClicked: dialog.tryOpen()
            }
            Button {
                text: qsTr("Cancel")
                onClicked: dialog.reject()
            }
        }
    }
}
