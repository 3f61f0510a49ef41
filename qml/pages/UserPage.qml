// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// One user: who (id, first and last trace), how much (totals), over time and by model
// (charts), and what they did (traces, sessions, feedback).
Page {
    id: page

    required property string userId
    // From a deep link: "tab", "from", "to".
    property var options: ({})
    property bool reportedReady: false

    title: page.userId
    readonly property alias controller: controller
    readonly property alias tabs: tabs
    readonly property alias exportDialog: exportDialog
    readonly property var tabNames: ["overview", "traces", "sessions", "feedback"]
    readonly property string tabName: tabNames[tabs.currentIndex]
    readonly property var figures: controller.figures
    readonly property bool hasFigures: figures.userId !== undefined

    signal backRequested
    signal neighbourRequested(int delta)
    signal traceRequested(string traceId)
    signal sessionRequested(string sessionId)

    Keys.onEscapePressed: backRequested()
    Component.onCompleted: {
        const tab = tabNames.indexOf(String(options.tab || "overview"));
        tabs.currentIndex = Math.max(0, tab);
        forceActiveFocus();
    }

    // The open tab's own data is in (for the timeline, its first rows' marks; for the
    // overview, the score histogram, which loads after header and charts): a screenshot of
    // a deep-linked tab waits for it.
    readonly property bool tabShown: {
        switch (page.tabName) {
        case "traces":
            return controller.traces.loaded;
        case "sessions":
            return controller.sessions.loaded && controller.sessions.traceTimesSettled;
        case "feedback":
            return controller.scores.loaded;
        default:
            return !controller.scoreDistribution.loading;
        }
    }
    onTabShownChanged: reportReadyOnce()

    // In the app's page stack: in place, not sliding in (a picture taken now is of the page).
    readonly property bool settled: StackView.view === null || StackView.status === StackView.Active
    onSettledChanged: reportReadyOnce()

    function reportReadyOnce() {
        if (!reportedReady && controller.loaded && !controller.loading && controller.dailyLoaded
                && tabShown && settled) {
            reportedReady = true;
            controller.logShown();
            AppContext.reportPageReady(controller.errorString);
        }
    }

    UserPageController {
        id: controller
        userId: page.userId
        activeTab: page.tabName
        onSummaryChanged: page.reportReadyOnce()
        onDailyLoadedChanged: page.reportReadyOnce()
    }
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
        sequence: "Alt+Up"
        onActivated: page.neighbourRequested(-1)
    }
    Shortcut {
        sequence: "Alt+Down"
        onActivated: page.neighbourRequested(1)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        UserHeader {
            Layout.fillWidth: true
            controller: controller
            onNeighbourRequested: (delta) => page.neighbourRequested(delta)
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: controller.errorString
            onRetryRequested: controller.refresh()
        }

        TabBar {
            id: tabs
            Layout.fillWidth: true
            TabButton { text: qsTr("Overview") }
            TabButton { text: qsTr("Traces") }
            TabButton { text: qsTr("Sessions") }
            TabButton { text: qsTr("Feedback") }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            UserCharts {
                controller: controller
            }

            ColumnLayout {
                spacing: 6
                RowLayout {
                    TextField {
                        Layout.preferredWidth: 320
                        placeholderText: qsTr("Trace name (exact match)…")
                        selectByMouse: true
                        onTextChanged: controller.traceSearch = text
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        text: qsTr("Export…")
                        onClicked: exportDialog.open()
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Save the selected or all matching traces (Ctrl+E)")
                    }
                }
                DataTable {
                    id: tracesTable
                    objectName: "tracesTable"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    model: controller.traces
                    columnWidths: [150, 180, 170, 80, 100, 110, 100, 110, 70, 200]
                    sortColumn: controller.traceSortColumn
                    sortDescending: controller.traceSortDescending
                    sortableColumns: Array.from({ length: 10 }, (_, column) => controller.isTraceColumnSortable(column))
                    numericColumns: Array.from({ length: 10 }, (_, column) => controller.isTraceColumnNumeric(column))
                    emptyText: qsTr("No traces in %1").arg(controller.timeRange.label.toLowerCase())
                    loaded: controller.traces.loaded
                    onSortRequested: (column) => controller.sortTracesBy(column)
                    onMoreWanted: controller.fetchMoreTraces()
                    onRowActivated: (row) => page.traceRequested(controller.traceIdAt(row))
                    onExportRequested: exportDialog.open()
                    onCopyRequested: (markdown) => exportDialog.exporter.copySelection(markdown)
                }
            }

            SessionsTimeline {
                controller: controller
                onSessionRequested: (sessionId) => page.sessionRequested(sessionId)
                onExportRequested: exportDialog.open()
            }

            FeedbackTable {
                id: feedbackTable
                controller: controller
                onTraceRequested: (traceId) => page.traceRequested(traceId)
                onExportRequested: exportDialog.open()
                onCopyRequested: (markdown) => exportDialog.exporter.copySelection(markdown)
            }
        }
    }

    // Exports the open tab's table (traces, sessions or feedback).
    ExportDialog {
        id: exportDialog
        source: controller
        table: page.tabName === "feedback" ? "scores" : page.tabName
        selectedRows: page.tabName === "traces" ? tracesTable.selectedRows
                    : page.tabName === "feedback" ? feedbackTable.table.selectedRows : []
    }
    Shortcut {
        sequence: "Ctrl+E"
        enabled: page.visible && page.tabName !== "overview"
        onActivated: exportDialog.open()
    }
}
