// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import XeroML.Dashboard

// The settings page over the window (outside the page history, so Back and Forward keep
// moving between users).
Popup {
    id: popup

    // baseUrl: the address a refused link named (a new connection for it), or empty.
    function show(baseUrl: string) {
        page.reset(baseUrl);
        open();
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent ? Math.min(1100, parent.width - 48) : 900
    height: parent ? parent.height - 48 : 600
    modal: true
    focus: true
    padding: 0
    // A click beside the form must not throw away what was typed; Escape and Close do.
    closePolicy: Popup.CloseOnEscape
    // Nothing typed (a secret key) stays behind in the hidden page.
    onClosed: page.reset("")

    Connections {
        target: AppContext
        // The connection just saved serves the link that asked for it: show the link.
        function onOfferedLinkOpening() {
            popup.close();
        }
    }

    SettingsPage {
        id: page
        objectName: "settingsPage"
        anchors.fill: parent
        onCloseRequested: popup.close()
    }
}
