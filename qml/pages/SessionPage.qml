// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// One session: its traces in the order they happened; open one for its detail.
Page {
    id: page

    required property string sessionId
    property var options: ({})
    property bool reportedReady: false

    title: qsTr("Session %1").arg(page.sessionId)
    readonly property alias controller: controller

    signal backRequested
    signal neighbourRequested(int delta)
    signal traceRequested(string traceId)

    Keys.onEscapePressed: backRequested()
    Component.onCompleted: forceActiveFocus()

    SessionPageController {
        id: controller
        sessionId: page.sessionId
    }
    Binding {
        target: controller
        property: "client"
        value: AppContext.client
        when: AppContext.ready
    }
    Connections {
        target: controller.traces
        function onLoadedChanged() {
            if (!page.reportedReady && controller.traces.loaded) {
                page.reportedReady = true;
                AppContext.reportPageReady(controller.traces.errorString);
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Label {
                text: qsTr("Session")
                font.pixelSize: 20
                font.bold: true
            }
            TextField {
                Layout.fillWidth: true
                text: page.sessionId
                readOnly: true
                selectByMouse: true
                background: null
                font.pixelSize: 16
            }
            Label {
                text: qsTr("%1 traces, oldest first").arg(Number(controller.traceTotal).toLocaleString(Qt.locale("en_US"), "f", 0))
                opacity: 0.75
            }
        }
        ErrorBanner {
            Layout.fillWidth: true
            message: controller.traces.errorString
            onRetryRequested: controller.traces.reload()
        }
        DataTable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: controller.traces
            columnWidths: [150, 180, 170, 80, 100, 110, 100, 110, 70, 200]
            numericColumns: Array.from({ length: 10 }, (_, column) => controller.isNumericColumn(column))
            loaded: controller.traces.loaded
            emptyText: qsTr("This session has no traces")
            onMoreWanted: controller.fetchMore()
            onRowActivated: (row) => page.traceRequested(controller.traceIdAt(row))
        }
    }
}
