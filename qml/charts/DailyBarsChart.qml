// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtCharts

// One figure per day over the page's range, as bars; two series stack (input / output).
ChartView {
    id: chart

    required property var days        // "MM-dd" labels, oldest first
    required property var values      // numbers per day
    property var stackedValues: []    // a second series stacked on the first, or empty
    property string seriesName: ""
    property string stackedName: ""
    property color color: "#4a7fd1"
    property color stackedColor: "#f0a04b"

    function rebuild() {
        axis.categories = chart.days;
        first.values = chart.values;
        second.values = chart.stackedValues.length === chart.values.length ? chart.stackedValues : [];
        let max = 0;
        for (let i = 0; i < chart.values.length; ++i)
            max = Math.max(max, chart.values[i] + (second.values.length ? chart.stackedValues[i] : 0));
        const valueAxis = chart.axisY(series);
        if (valueAxis) {
            valueAxis.min = 0;
            valueAxis.max = max > 0 ? max * 1.1 : 1;
            valueAxis.labelFormat = max >= 1000 ? "%.0f" : "%.3g";
        }
    }

    onDaysChanged: rebuild()
    onValuesChanged: rebuild()
    onStackedValuesChanged: rebuild()

    titleFont.bold: true
    legend.visible: stackedName.length > 0
    legend.alignment: Qt.AlignBottom
    antialiasing: true
    margins.top: 2
    margins.bottom: 2
    margins.left: 2
    margins.right: 2
    backgroundRoundness: 4

    StackedBarSeries {
        id: series
        barWidth: 0.8
        axisX: BarCategoryAxis {
            id: axis
            labelsAngle: -90
            labelsFont.pixelSize: 9
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
