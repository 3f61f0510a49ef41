// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
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
    // Counts and tokens are whole numbers; money gets a "$" and cents.
    property bool wholeNumbers: true
    property string valuePrefix: ""
    // Many days: their labels would not fit under the bars; a few are written below instead.
    readonly property int labelEvery: days.length > 16 ? Math.ceil(days.length / 8) : 1

    function rebuild() {
        axis.categories = chart.days;
        first.values = chart.values;
        second.values = chart.stackedValues.length === chart.values.length ? chart.stackedValues : [];
        let max = 0;
        for (let i = 0; i < chart.values.length; ++i)
            max = Math.max(max, chart.values[i] + (second.values.length ? chart.stackedValues[i] : 0));
        const valueAxis = chart.axisY(series);
        if (valueAxis) {
            // Round ticks ("nice numbers"): whole numbers never show as 8.8 traces.
            valueAxis.min = 0;
            valueAxis.max = Math.max(max * 1.05, chart.wholeNumbers ? 4 : 0.01);
            valueAxis.tickCount = 5;
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

    onDaysChanged: scheduleRebuild()
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
    legend.alignment: labelEvery > 1 ? Qt.AlignTop : Qt.AlignBottom
    antialiasing: true
    margins.top: 2
    margins.bottom: labelEvery > 1 ? 16 : 2
    margins.left: 2
    margins.right: 2
    backgroundRoundness: 4

    StackedBarSeries {
        id: series
        barWidth: 0.8
        axisX: BarCategoryAxis {
            id: axis
            labelsVisible: chart.labelEvery === 1
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

    // Every labelEvery-th day under its bar, when the axis' own labels are off.
    Repeater {
        model: chart.labelEvery > 1 ? Math.ceil(chart.days.length / chart.labelEvery) : 0
        delegate: Text {
            id: dayLabel
            required property int index
            readonly property int day: index * chart.labelEvery
            x: chart.plotArea.x + (dayLabel.day + 0.5) * chart.plotArea.width / chart.days.length
               - dayLabel.width / 2
            y: chart.plotArea.y + chart.plotArea.height + 3
            text: String(chart.days[dayLabel.day] ?? "")
            font.pixelSize: 10
            color: "#555555"
        }
    }
}
