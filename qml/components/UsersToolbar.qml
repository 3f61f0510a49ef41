// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Search, time range, columns, export and refresh for the users table.
RowLayout {
    id: bar

    required property UsersPageController controller
    readonly property alias searchField: search
    property alias chartsVisible: chartsButton.checked

    // The Export… button (the page opens the table's export dialog).
    signal exportRequested

    spacing: 12

    TextField {
        id: search
        Layout.preferredWidth: 300
        placeholderText: qsTr("Search user id…  (Ctrl+F)")
        selectByMouse: true
        onTextChanged: bar.controller.search = text
        Keys.onEscapePressed: text = ""
    }

    ComboBox {
        id: range
        Layout.preferredWidth: 170
        model: bar.controller.timeRange.presetLabels
        currentIndex: bar.controller.timeRange.presetIndex
        onActivated: (index) => {
            const key = bar.controller.timeRange.presetKeys[index];
            if (key === "custom")
                customDates.open();
            else
                bar.controller.timeRange.preset = key;
        }
        ToolTip.visible: hovered
        ToolTip.text: bar.controller.timeRange.label
    }

    ComboBox {
        id: environments
        Layout.preferredWidth: 170
        // "All environments", then every environment with traces, most traces first.
        model: bar.controller.environmentChoices
        currentIndex: bar.controller.environmentIndex
        onActivated: (index) => bar.controller.environmentIndex = index
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Environment")
    }

    Label {
        visible: bar.controller.timeRange.preset === "custom"
        text: bar.controller.timeRange.label
        opacity: 0.8
    }

    Item {
        Layout.fillWidth: true
    }

    BusyIndicator {
        Layout.preferredHeight: 28
        Layout.preferredWidth: 28
        running: bar.controller.loading
        visible: running
    }

    Button {
        id: chartsButton
        text: qsTr("Chart")
        checkable: true
        checked: true
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Show or hide the top-10 chart")
    }

    Button {
        text: qsTr("Columns")
        onClicked: columnsMenu.open()

        Menu {
            id: columnsMenu
            y: parent.height

            Repeater {
                model: bar.controller.columns.count - 1
                delegate: MenuItem {
                    required property int index
                    readonly property int column: index + 1
                    text: bar.controller.columnTitle(column)
                    checkable: true
                    checked: bar.controller.columns.widths[column] > 0
                    onTriggered: bar.controller.columns.setVisible(column, checked)
                }
            }
            MenuSeparator {}
            MenuItem {
                text: qsTr("Reset columns")
                onTriggered: bar.controller.columns.reset()
            }
        }
    }

    Button {
        objectName: "exportToolButton"
        text: qsTr("Export…")
        onClicked: bar.exportRequested()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Save the selected or all matching users as CSV, TSV, JSON or XLSX (Ctrl+E)")
    }

    Button {
        text: qsTr("Refresh")
        onClicked: bar.controller.refresh()
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Load again (F5)")
    }

    CustomDatesDialog {
        id: customDates
        timeRange: bar.controller.timeRange
        onRejected: range.currentIndex = bar.controller.timeRange.presetIndex
    }
}
