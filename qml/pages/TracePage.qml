// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// One trace: its observation tree on the trace's time scale, and what the picked
// observation (or the trace) received and answered.
Page {
    id: page

    required property string traceId
    property var options: ({})
    property bool reportedReady: false

    title: qsTr("Trace %1").arg(page.summary.name || page.traceId)
    readonly property alias controller: controller
    readonly property var summary: controller.summary

    signal backRequested
    signal neighbourRequested(int delta)
    signal sessionRequested(string sessionId)

    Keys.onEscapePressed: backRequested()
    Component.onCompleted: forceActiveFocus()

    TracePageController {
        id: controller
        traceId: page.traceId
        onTreeChanged: {
            if (!page.reportedReady && loaded) {
                page.reportedReady = true;
                AppContext.reportPageReady(errorString);
            }
        }
    }
    Binding {
        target: controller
        property: "client"
        value: AppContext.client
        when: AppContext.ready
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: page.summary.name || qsTr("Trace")
                font.pixelSize: 20
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                opacity: 0.75
                text: page.summary.time === undefined ? page.traceId
                      : qsTr("%1 · user %2 · %3 observations · %4 tokens · %5 · %6")
                          .arg(page.summary.time).arg(page.summary.userId).arg(page.summary.observations)
                          .arg(page.summary.tokens).arg(page.summary.cost).arg(page.summary.latency)
            }
            Button {
                visible: String(page.summary.sessionId || "").length > 0
                text: qsTr("Open session")
                onClicked: page.sessionRequested(page.summary.sessionId)
            }
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: controller.errorString
            onRetryRequested: controller.refresh()
        }
        Label {
            Layout.fillWidth: true
            visible: controller.problems.length > 0
            text: controller.problems
            color: "#8a5a00"
            wrapMode: Text.Wrap
        }

        SplitView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            ObservationTree {
                SplitView.preferredWidth: parent.width * 0.58
                controller: controller
            }
            ObservationDetail {
                detail: controller.detail
                scores: controller.scores
            }
        }
    }
}
