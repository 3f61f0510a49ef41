// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Every user of the LLM product with their traces, tokens, cost and score.
Page {
    id: page

    property bool reportedReady: false
    // Milliseconds between looks for new data while the page is on screen; 0 = never.
    property int pollInterval: 10000
    // For tests and the window: the page's state and its parts.
    readonly property alias controller: controller
    readonly property alias table: usersTable.table
    readonly property alias headerView: usersTable.headerView
    readonly property alias searchField: toolbar.searchField
    readonly property alias exportDialog: usersTable.exportDialog
    readonly property alias costChart: costChart
    readonly property alias newDataHint: newDataHint
    readonly property alias autoRefreshBox: autoRefresh

    // A user was opened (Enter, double-click, a bar of the chart).
    signal userActivated(string userId)

    function reportReadyOnce() {
        if (!reportedReady && controller.loaded && controller.topLoaded
                && controller.costHistogram.loaded) {
            reportedReady = true;
            AppContext.reportPageReady(controller.errorString);
        }
    }

    UsersPageController {
        id: controller
        pollInterval: page.pollInterval
        // Shown (StackView hides pages below the current one) in a window not minimized.
        watching: page.visible && page.Window.window !== null
                  && page.Window.window.visibility !== Window.Minimized
                  && page.Window.window.visibility !== Window.Hidden
        onLoadedChanged: page.reportReadyOnce()
        onTopUsersChanged: page.reportReadyOnce()
    }
    Connections {
        target: controller.costHistogram
        function onChanged() {
            page.reportReadyOnce();
        }
    }
    // The client is handed over once its connection is usable (the embedded server may
    // still be starting when the page is created).
    Binding {
        target: controller
        property: "client"
        value: AppContext.client
        when: AppContext.ready
    }

    Shortcut {
        sequences: ["F5", "Ctrl+R"]
        onActivated: controller.refresh()
    }
    Shortcut {
        sequence: "Ctrl+F"
        onActivated: toolbar.searchField.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        UsersToolbar {
            id: toolbar
            Layout.fillWidth: true
            controller: controller
            onExportRequested: usersTable.openExport()
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: controller.errorString
            onRetryRequested: controller.refresh()
        }

        SummaryStrip {
            Layout.fillWidth: true
            controller: controller
            visible: controller.errorString.length === 0
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: false // the table takes the room left
            Layout.preferredHeight: 290
            // Each chart's own condition: a child's `visible` is false while this row is hidden.
            visible: toolbar.chartsVisible && (controller.topUserIds.length > 0 || costChart.shown)
            spacing: 8

            TopUsersChart {
                id: topChart
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                visible: controller.topUserIds.length > 0
                userIds: controller.topUserIds
                values: controller.topValues
                measure: controller.topMeasure
                onUserClicked: (index) => page.userActivated(controller.topUserIds[index])
            }

            CostHistogramChart {
                id: costChart
                readonly property UsersCostHistogram histogram: controller.costHistogram
                readonly property bool shown: histogram.available && histogram.loaded
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                // Servers without the XeroML addition (404): no chart and no error.
                visible: shown
                labels: histogram.labels
                counts: histogram.counts
                totalUsers: histogram.totalUsers
                message: histogram.errorString.length > 0 ? histogram.errorString
                         : (histogram.totalUsers === 0 ? qsTr("No users in this filter") : "")
            }
        }

        UsersTable {
            id: usersTable
            Layout.fillWidth: true
            Layout.fillHeight: true
            controller: controller
            onUserActivated: (row) => page.userActivated(controller.userIdAt(row))
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 12

            Label {
                Layout.fillWidth: true
                opacity: 0.75
                text: {
                    if (!controller.loaded || controller.errorString.length > 0)
                        return "";
                    let s = qsTr("Showing %1 of %2 users · %3")
                        .arg(Number(controller.loadedCount).toLocaleString(Qt.locale("en_US"), "f", 0))
                        .arg(Number(controller.totalCount).toLocaleString(Qt.locale("en_US"), "f", 0))
                        .arg(controller.timeRange.label);
                    if (controller.selectedCount > 0)
                        s += qsTr(" · %1 selected (Ctrl+C copies)").arg(controller.selectedCount);
                    return s;
                }
            }

            // New data arrived since the page loaded: a quiet hint, not a banner.
            Button {
                id: newDataHint
                visible: controller.newData
                flat: true
                text: qsTr("● New data — Refresh (F5)")
                palette.buttonText: "#1f6fd1"
                onClicked: controller.refresh()
            }

            CheckBox {
                id: autoRefresh
                text: qsTr("Auto-refresh")
                checked: controller.autoRefresh
                onToggled: controller.autoRefresh = checked
                ToolTip.visible: hovered
                ToolTip.delay: 400
                ToolTip.text: qsTr("Reload in place when new data arrives (sort, selection and scroll stay)")
            }
        }
    }
}
