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
            valueAxis.min = 0;
            valueAxis.max = max > 0 ? max * 1.08 : 1;
            valueAxis.labelFormat = max >= 1000 ? "%.0f" : "%.3g";
        }
    }

    onLabelsChanged: rebuild()
    onValuesChanged: rebuild()
    onStackedValuesChanged: rebuild()

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
