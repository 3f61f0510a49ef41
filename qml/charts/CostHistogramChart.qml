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
    property real maxCount: 0

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

    // The axis end and tick step: 4 whole steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n.
    function niceMax(max: real): real {
        if (!(max > 4)) // also NaN while labels and counts change one after the other
            return 4;
        const raw = max / 4;
        const power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
            if (m * power >= raw && Number.isInteger(m * power))
                return 4 * m * power;
        }
        return 40 * power;
    }

    function rebuild() {
        // The title says USD: the axis drops the "$" so that turned labels stay short.
        axisX.categories = chart.labels.map(label => String(label).replace(/^\$/, ""));
        set.values = chart.counts;
        let max = 0;
        for (let i = 0; i < chart.counts.length; ++i)
            max = Math.max(max, chart.counts[i]);
        maxCount = max;
        // The value axis is the one ChartView made for the series (Qt 6.4's QML tooling
        // does not know ValueAxis, so it is not declared here).
        const valueAxis = chart.axisY(series);
        if (valueAxis) {
            valueAxis.min = 0;
            valueAxis.max = niceMax(max);
            valueAxis.labelFormat = "%.0f";
            valueAxis.tickCount = 5;
        }
    }

    onLabelsChanged: {
        let longest = "";
        for (let i = 0; i < labels.length; ++i) {
            if (String(labels[i]).length > longest.length)
                longest = String(labels[i]);
        }
        longestLabel.text = longest.replace(/^\$/, "");
        rebuild();
    }

    TextMetrics {
        id: longestLabel
        font.pixelSize: 10
    }
    onCountsChanged: rebuild()

    title: qsTr("Users by total cost in USD (log buckets)")
    titleFont.bold: true
    legend.visible: false
    antialiasing: true
    margins.top: 4
    margins.bottom: 4
    backgroundRoundness: 4

    BarSeries {
        id: series
        barWidth: 0.8
        // Counts on the bars: a decade with a handful of users is a sliver on a linear axis.
        // Qt Charts prints them without thousands separators, so only below 1,000 (hover
        // tells any count formatted).
        labelsVisible: chart.maxCount < 1000
        labelsPosition: BarSeries.LabelsOutsideEnd
        labelsFormat: "@value"
        axisX: BarCategoryAxis {
            id: axisX
            labelsFont.pixelSize: labelsAngle === 0 ? 10 : 9
            // Upright when each bar has room for the longest label, else turned.
            labelsAngle: chart.plotArea.width / Math.max(1, chart.labels.length)
                         >= longestLabel.advanceWidth * 1.3 + 16 ? 0 : -90
        }
        BarSet {
            id: set
            label: qsTr("Users")
            color: "#3a9e8f"
            borderColor: "#3a9e8f"
            labelColor: "#333"
        }
        onHovered: (status, index) => hoverLabel.text = status ? chart.describe(index) : ""
    }

    // Inside the plot's top-right corner, clear of the title.
    Rectangle {
        visible: hoverLabel.text.length > 0
        x: chart.plotArea.x + chart.plotArea.width - width - 4
        y: chart.plotArea.y + 4
        width: hoverLabel.implicitWidth + 12
        height: hoverLabel.implicitHeight + 6
        radius: 3
        color: "#f2ffffff"
        border.color: "#dde1e6"
        Text {
            id: hoverLabel
            anchors.centerIn: parent
            color: "#333"
        }
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
