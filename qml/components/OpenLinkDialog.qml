// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Ctrl+L: paste a deep link (xeroml://… or https://…/project/…/users/…) and open it.
Dialog {
    id: dialog

    title: qsTr("Open link")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, parent ? parent.width - 48 : 640)
    standardButtons: Dialog.Open | Dialog.Cancel

    onOpened: {
        problem.text = "";
        linkField.selectAll();
        linkField.forceActiveFocus();
    }
    onAccepted: {
        const error = AppContext.openLink(linkField.text);
        if (error.length > 0) {
            problem.text = error;
            open();
        } else {
            linkField.text = "";
        }
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 8

        TextField {
            id: linkField
            objectName: "openLinkField"
            Layout.fillWidth: true
            placeholderText: "xeroml://cloud.xeroml.com/project/…/users/…"
            selectByMouse: true
            onAccepted: dialog.accept()
        }
        Label {
            id: problem
            Layout.fillWidth: true
            visible: text.length > 0
            color: "#8a1c14"
            wrapMode: Text.Wrap
        }
    }
}
