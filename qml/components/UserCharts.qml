// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import XeroML.Dashboard

// The user's activity over the range (per day) and by model, and how their scores spread.
GridLayout {
    id: grid

    required property UserPageController controller

    // Six equal cells: the layout shares space by preferred size, not by content.
    readonly property real cellWidth: (width - 2 * columnSpacing) / 3
    readonly property real cellHeight: (height - rowSpacing) / 2

    columns: 3
    rowSpacing: 8
    columnSpacing: 8

    DailyBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        title: qsTr("Traces per day")
        days: grid.controller.dayLabels
        values: grid.controller.dayTraces
        seriesName: qsTr("Traces")
    }
    DailyBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        title: qsTr("Tokens per day")
        days: grid.controller.dayLabels
        values: grid.controller.dayInputTokens
        stackedValues: grid.controller.dayOutputTokens
        seriesName: qsTr("Input")
        stackedName: qsTr("Output")
    }
    DailyBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        title: qsTr("Cost per day (USD)")
        days: grid.controller.dayLabels
        values: grid.controller.dayCost
        seriesName: qsTr("Cost")
        color: "#3f9b6e"
        wholeNumbers: false
        valuePrefix: "$"
    }
    RankedBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        title: qsTr("Cost by model (USD)")
        labels: grid.controller.modelNames
        values: grid.controller.modelCost
        seriesName: qsTr("Cost")
        color: "#3f9b6e"
        wholeNumbers: false
        valuePrefix: "$"
    }
    RankedBarsChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        title: qsTr("Tokens by model")
        labels: grid.controller.modelNames
        values: grid.controller.modelInputTokens
        stackedValues: grid.controller.modelOutputTokens
        seriesName: qsTr("Input")
        stackedName: qsTr("Output")
    }
    ScoreDistributionChart {
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.preferredWidth: grid.cellWidth
        Layout.preferredHeight: grid.cellHeight
        distribution: grid.controller.scoreDistribution
    }
}
