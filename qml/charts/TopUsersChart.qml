// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtCharts

// Top 10 users by the page's sort measure, largest at the top; clicking a bar opens the user.
ChartView {
    id: chart

    required property var userIds
    required property var values
    required property string measure

    signal userClicked(int index)

    function label(index: int): string {
        const id = String(userIds[index]);
        return (index + 1) + ". " + (id.length > 26 ? id.substring(0, 25) + "…" : id);
    }

    // A round axis end, four equal steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n.
    function niceMax(max: real): real {
        if (!(max > 0)) // also NaN while ids and values change one after the other
            return 1;
        const raw = max / 4;
        const power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8])
            if (m * power >= raw)
                return 4 * m * power;
        return 40 * power;
    }

    function rebuild() {
        const categories = [];
        const bars = [];
        let max = 0;
        for (let i = userIds.length - 1; i >= 0; --i) {
            categories.push(label(i));
            bars.push(values[i]);
            max = Math.max(max, values[i]);
        }
        axisY.categories = categories;
        set.values = bars;
        // The value axis is the one ChartView made for the series (Qt 6.4's QML tooling
        // does not know ValueAxis, so it is not declared here).
        const valueAxis = chart.axisX(series);
        if (valueAxis) {
            valueAxis.min = 0;
            valueAxis.max = niceMax(max);
            valueAxis.tickCount = 5;
            valueAxis.labelFormat = max >= 1000 ? "%.0f" : "%.3g";
        }
    }

    onUserIdsChanged: rebuild()
    onValuesChanged: rebuild()

    title: qsTr("Top %1 users by %2").arg(userIds.length).arg(measure)
    titleFont.bold: true
    legend.visible: false
    antialiasing: true
    margins.top: 4
    margins.bottom: 4
    backgroundRoundness: 4

    HorizontalBarSeries {
        id: series
        barWidth: 0.7
        axisY: BarCategoryAxis {
            id: axisY
            labelsFont.pixelSize: 10
        }
        BarSet {
            id: set
            label: chart.measure
            color: "#4a7fd1"
            borderColor: "#4a7fd1"
        }
        onClicked: (index) => chart.userClicked(chart.userIds.length - 1 - index)
        onHovered: (status, index) => {
            if (status)
                hoverLabel.text = chart.userIds[chart.userIds.length - 1 - index] + " — "
                        + Number(chart.values[chart.userIds.length - 1 - index]).toLocaleString(Qt.locale("en_US"), "f", 2);
            else
                hoverLabel.text = "";
        }
    }

    // Inside the plot's bottom-right corner, where the shortest bars leave room.
    Rectangle {
        visible: hoverLabel.text.length > 0
        x: chart.plotArea.x + chart.plotArea.width - width - 4
        y: chart.plotArea.y + chart.plotArea.height - height - 4
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
}
