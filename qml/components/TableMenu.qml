// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls

// A table's context menu: copy the selected rows (TSV or a Markdown table), export.
Menu {
    id: menu

    // Rows are selected (copying needs some).
    property bool hasSelection: false
    property bool canExport: true

    width: 300

    signal copyRequested(bool markdown)
    signal exportRequested

    MenuItem {
        text: qsTr("Copy (Ctrl+C)")
        enabled: menu.hasSelection
        onTriggered: menu.copyRequested(false)
    }
    MenuItem {
        objectName: "copyMarkdownItem"
        text: qsTr("Copy as Markdown table (Ctrl+Shift+C)")
        enabled: menu.hasSelection
        onTriggered: menu.copyRequested(true)
    }
    MenuSeparator {}
    MenuItem {
        text: qsTr("Export… (Ctrl+E)")
        enabled: menu.canExport
        onTriggered: menu.exportRequested()
    }
}
