// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtCharts

// How many users spent how much over the filter: one bar per decade of cost ($0.01–0.1,
// $0.1–1, …; "$0" for users without cost), counted by the server; the count on hover.
ChartView {
    id: chart

    required property var labels      // bucket labels, cheapest first
    required property var counts      // users per bucket
    required property real totalUsers
    property string message: ""       // shown instead of bars (loading, error, no users)

    // The hovered bar's text, for people and tests.
    readonly property alias hoverText: hoverLabel.text

    function describe(index: int): string {
        const users = Number(counts[index]);
        const share = totalUsers > 0 ? " (" + Number(100 * users / totalUsers).toFixed(1) + " %)" : "";
        return qsTr("%1 %2 · %3%4")
            .arg(users.toLocaleString(Qt.locale("en_US"), "f", 0))
            .arg(users === 1 ? qsTr("user") : qsTr("users"))
            .arg(labels[index]).arg(share);
    }

    function rebuild() {
        axisX.categories = chart.labels;
        set.values = chart.counts;
        let max = 0;
        for (let i = 0; i < chart.counts.length; ++i)
            max = Math.max(max, chart.counts[i]);
        // The value axis is the one ChartView made for the series (Qt 6.4's QML tooling
        // does not know ValueAxis, so it is not declared here).
        const valueAxis = chart.axisY(series);
        if (valueAxis) {
            valueAxis.min = 0;
            valueAxis.max = max > 0 ? max * 1.1 : 1;
            valueAxis.labelFormat = "%.0f";
            valueAxis.tickCount = max >= 4 ? 5 : Math.max(2, max + 1);
        }
    }

    onLabelsChanged: rebuild()
    onCountsChanged: rebuild()

    title: qsTr("Users by total cost (USD, log buckets)")
    titleFont.bold: true
    legend.visible: false
    antialiasing: true
    margins.top: 4
    margins.bottom: 4
    backgroundRoundness: 4

    BarSeries {
        id: series
        barWidth: 0.8
        axisX: BarCategoryAxis {
            id: axisX
            labelsFont.pixelSize: 10
            labelsAngle: chart.labels.length > 5 ? -45 : 0
        }
        BarSet {
            id: set
            label: qsTr("Users")
            color: "#3a9e8f"
            borderColor: "#3a9e8f"
        }
        onHovered: (status, index) => hoverLabel.text = status ? chart.describe(index) : ""
    }

    Text {
        id: hoverLabel
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 8
        color: "#333"
    }

    Text {
        anchors.centerIn: parent
        visible: chart.message.length > 0
        text: chart.message
        color: "#555"
        width: parent.width - 40
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
    }
}
