// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtCharts

// Horizontal bars for a few named items (models, score names), largest first at the top;
// an optional second series stacks on the first.
ChartView {
    id: chart

    required property var labels
    required property var values
    property var stackedValues: []
    property string seriesName: ""
    property string stackedName: ""
    property color color: "#4a7fd1"
    property color stackedColor: "#f0a04b"
    // Counts and tokens are whole numbers; money gets a "$" and cents.
    property bool wholeNumbers: true
    property string valuePrefix: ""

    function rebuild() {
        const categories = [];
        const a = [];
        const b = [];
        let max = 0;
        const stacked = chart.stackedValues.length === chart.values.length;
        for (let i = chart.labels.length - 1; i >= 0; --i) {
            const label = String(chart.labels[i]);
            categories.push(label.length > 24 ? label.substring(0, 23) + "…" : label);
            a.push(chart.values[i]);
            b.push(stacked ? chart.stackedValues[i] : 0);
            max = Math.max(max, chart.values[i] + (stacked ? chart.stackedValues[i] : 0));
        }
        axis.categories = categories;
        first.values = a;
        second.values = stacked ? b : [];
        const valueAxis = chart.axisX(series);
        if (valueAxis) {
            // Round ticks, few of them: the labels of large token counts are wide.
            valueAxis.min = 0;
            valueAxis.max = Math.max(max * 1.05, chart.wholeNumbers ? 4 : 0.01);
            valueAxis.tickCount = 4;
            valueAxis.applyNiceNumbers();
            valueAxis.labelFormat = chart.valuePrefix + (chart.wholeNumbers ? "%.0f" : valueAxis.max < 0.1 ? "%.3f" : "%.2f");
        }
    }

    // Days, values and stacked values change one after another when new data arrives: build
    // the bars once, after all of them (before the next frame), not once per property.
    function scheduleRebuild() {
        rebuildTimer.restart();
    }
    Timer {
        id: rebuildTimer
        interval: 0
        onTriggered: chart.rebuild()
    }

    onLabelsChanged: scheduleRebuild()
    onValuesChanged: scheduleRebuild()
    onStackedValuesChanged: scheduleRebuild()

    // Axis numbers with thousands separators ("%.0f" and "%.2f" labels go through the locale;
    // the C locale of containers and CI omits them).
    localizeNumbers: true
    Component.onCompleted: {
        if (Qt.locale().name === "C")
            chart.locale = Qt.locale("en_US");
    }
    titleFont.bold: true
    legend.visible: stackedName.length > 0
    legend.alignment: Qt.AlignBottom
    antialiasing: true
    margins.top: 2
    margins.bottom: 2
    backgroundRoundness: 4

    HorizontalStackedBarSeries {
        id: series
        barWidth: 0.7
        axisY: BarCategoryAxis {
            id: axis
            labelsFont.pixelSize: 10
        }
        BarSet {
            id: first
            label: chart.seriesName
            color: chart.color
            borderColor: chart.color
        }
        BarSet {
            id: second
            label: chart.stackedName
            color: chart.stackedColor
            borderColor: chart.stackedColor
        }
    }
}
