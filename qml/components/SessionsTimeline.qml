// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// The user's sessions on one time axis: a row each, a mark per trace; hover for details,
// click to open the session. Only the rows in view are drawn.
ColumnLayout {
    id: root

    required property UserPageController controller

    signal sessionRequested(string sessionId)
    signal exportRequested

    spacing: 4

    RowLayout {
        Layout.fillWidth: true
        Label {
            Layout.fillWidth: true
            opacity: 0.75
            text: qsTr("%1 sessions · %2 – %3 · bars span first to last trace, ticks are traces")
                .arg(Number(root.controller.sessionTotal).toLocaleString(Qt.locale("en_US"), "f", 0))
                .arg(Qt.formatDate(root.controller.axisFrom, "yyyy-MM-dd"))
                .arg(Qt.formatDate(root.controller.axisTo, "yyyy-MM-dd"))
        }
        Button {
            text: qsTr("Export…")
            onClicked: root.exportRequested()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Save all matching sessions (Ctrl+E)")
        }
    }

    // Dates along the shared time axis, over the grid lines.
    Item {
        Layout.fillWidth: true
        implicitHeight: 14
        Repeater {
            model: timeline.axisTicks(timeline.width, timeline.from, timeline.to)
            delegate: Label {
                required property var modelData
                x: modelData.x - width / 2
                text: modelData.text
                font.pixelSize: 10
                opacity: 0.7
            }
        }
    }

    Item {
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true

        SessionTimeline {
            id: timeline
            objectName: "sessionTimeline"
            anchors.fill: parent
            model: root.controller.sessions
            from: root.controller.axisFrom
            to: root.controller.axisTo
            contentY: flick.contentY
        }
        Flickable {
            // Scrolls an empty content of the timeline's full height; the timeline draws
            // the rows at flick.contentY.
            id: flick
            anchors.fill: parent
            contentHeight: timeline.contentHeight
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            onContentYChanged: {
                if (contentY + height > contentHeight - 20 * timeline.rowHeight)
                    root.controller.fetchMoreSessions();
            }

            MouseArea {
                width: flick.width
                height: Math.max(flick.height, flick.contentHeight)
                hoverEnabled: true
                onPositionChanged: (mouse) => timeline.hover(mouse.x, mouse.y - flick.contentY)
                onExited: timeline.hover(-1, -1)
                onClicked: (mouse) => {
                    const id = timeline.sessionIdAt(mouse.y - flick.contentY);
                    if (id.length > 0)
                        root.sessionRequested(id);
                }
                ToolTip.visible: containsMouse && timeline.hoverText.length > 0
                ToolTip.text: timeline.hoverText
                ToolTip.delay: 300
            }
        }
        BusyIndicator {
            anchors.centerIn: parent
            running: !root.controller.sessions.loaded
            visible: running
        }
        Label {
            anchors.centerIn: parent
            visible: root.controller.sessions.loaded && root.controller.sessionTotal === 0
            text: qsTr("No sessions in %1").arg(root.controller.timeRange.label.toLowerCase())
            opacity: 0.7
        }
    }
}
