// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import XeroML.Dashboard

// The settings page over the window (outside the page history, so Back and Forward keep
// moving between users).
Popup {
    id: popup

    function show(baseUrl: string) {
        loader.baseUrl = baseUrl;
        loader.active = false;
        loader.active = true;
        open();
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent ? Math.min(1100, parent.width - 48) : 900
    height: parent ? parent.height - 48 : 600
    modal: true
    padding: 0
    onClosed: loader.active = false

    Loader {
        id: loader
        property string baseUrl
        anchors.fill: parent
        active: false
        sourceComponent: SettingsPage {
            prefillBaseUrl: loader.baseUrl
            onCloseRequested: popup.close()
        }
    }
}
