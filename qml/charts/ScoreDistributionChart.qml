// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// How the user's numeric scores spread: one histogram per score name (pick with the tabs).
ColumnLayout {
    id: root

    required property ScoreDistribution distribution
    readonly property var series: distribution.series
    readonly property var current: series.length > 0 ? series[Math.min(root.distribution.current, series.length - 1)] : null
    // The shown name's buckets are counted (a query per bucket): the chart waits for them.
    readonly property bool counted: current !== null && current.loaded

    spacing: 2

    TabBar {
        id: names
        Layout.fillWidth: true
        visible: root.series.length > 1
        // Picking a name counts its buckets, once.
        onCurrentIndexChanged: root.distribution.current = currentIndex
        Repeater {
            model: root.series
            delegate: TabButton {
                required property var modelData
                text: modelData.name
                font.pixelSize: 11
            }
        }
    }

    DailyBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: root.counted
        title: root.current
               ? qsTr("Scores: %1 (n=%2, avg %3)").arg(root.current.name).arg(root.current.count)
                     .arg(Number(root.current.average).toFixed(2))
               : ""
        days: root.current ? root.current.labels : []
        values: root.current ? root.current.counts : []
        seriesName: qsTr("Scores")
        color: "#8a63c9"
    }

    Label {
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: !root.counted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.Wrap
        text: root.distribution.errorString.length > 0 ? root.distribution.errorString
              : (root.distribution.loading ? qsTr("Counting scores…") : qsTr("No numeric scores in this range"))
        opacity: 0.7
    }
}
