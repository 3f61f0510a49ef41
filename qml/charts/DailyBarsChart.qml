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
    // Many days: their labels would not fit under the bars; every labelEvery-th is written.
    readonly property int labelEvery: days.length > 12 ? Math.ceil(days.length / 8) : 1

    // The top of the value axis: 4 round steps ("nice numbers"), whole for counts.
    function niceMax(max) {
        const target = Math.max(max, chart.wholeNumbers ? 4 : 0.01) / 4;
        const magnitude = Math.pow(10, Math.floor(Math.log10(target)));
        let step = 10 * magnitude;
        for (const s of [1, 2, 2.5, 5]) {
            if (s * magnitude >= target) {
                step = s * magnitude;
                break;
            }
        }
        return 4 * (chart.wholeNumbers ? Math.max(1, Math.ceil(step)) : step);
    }

    // Each axis property set lays the axis out again: only what changed is set. The day axis
    // is a plain value axis without labels (a category axis lays out a label per day even
    // when they are hidden: most of the page's drawing time at 90 days).
    function rebuild() {
        first.values = chart.values;
        second.values = chart.stackedValues.length === chart.values.length ? chart.stackedValues : [];
        let max = 0;
        for (let i = 0; i < chart.values.length; ++i)
            max = Math.max(max, chart.values[i] + (second.values.length ? chart.stackedValues[i] : 0));
        const valueAxis = chart.axisY(series);
        const dayAxis = chart.axisX(series);
        if (!valueAxis || !dayAxis)
            return;
        const lastDay = Math.max(chart.days.length, 1) - 0.5;
        if (dayAxis.max !== lastDay)
            dayAxis.max = lastDay;
        const top = niceMax(max);
        if (valueAxis.max !== top)
            valueAxis.max = top;
        const format = chart.valuePrefix + (chart.wholeNumbers ? "%.0f" : top < 0.1 ? "%.3f" : "%.2f");
        if (valueAxis.labelFormat !== format)
            valueAxis.labelFormat = format;
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
        // Created here: qmllint (Qt 6.4) does not know ValueAxis as a declared type.
        const dayAxis = Qt.createQmlObject("import QtCharts; ValueAxis { min: -0.5; max: 0.5;"
                                           + " labelsVisible: false; gridVisible: false; tickCount: 2 }",
                                           chart, "DailyBarsChart.dayAxis");
        chart.setAxisX(dayAxis, series);
        const valueAxis = chart.axisY(series);
        if (valueAxis) {
            valueAxis.min = 0;
            valueAxis.tickCount = 5;
        }
    }
    titleFont.bold: true
    legend.visible: stackedName.length > 0
    legend.alignment: Qt.AlignTop
    antialiasing: true
    margins.top: 2
    margins.bottom: 16
    margins.left: 2
    margins.right: 2
    backgroundRoundness: 4

    StackedBarSeries {
        id: series
        barWidth: 0.8
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

    // Every labelEvery-th day under its bar.
    Repeater {
        model: Math.ceil(chart.days.length / chart.labelEvery)
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
