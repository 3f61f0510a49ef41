// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Every user of the LLM product with their traces, tokens, cost and score.
Page {
    id: page

    // Widths in pixels per column of UserListModel; the user id takes the spare room.
    readonly property var columnWidths: [0, 70, 80, 105, 110, 110, 110, 95, 80, 100, 105]
    property bool reportedReady: false
    // For tests and the window: the page's state and its table.
    readonly property alias controller: controller
    readonly property alias table: table
    readonly property alias headerView: header
    readonly property alias searchField: search

    function reportReadyOnce() {
        if (!reportedReady && controller.loaded) {
            reportedReady = true;
            AppContext.reportPageReady();
        }
    }

    UsersPageController {
        id: controller
        client: AppContext.client
        onLoadedChanged: page.reportReadyOnce()
    }

    Shortcut {
        sequences: ["F5", "Ctrl+R"]
        onActivated: controller.refresh()
    }
    Shortcut {
        sequence: "Ctrl+F"
        onActivated: search.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            spacing: 12

            TextField {
                id: search
                Layout.preferredWidth: 320
                placeholderText: qsTr("Search user id…  (Ctrl+F)")
                selectByMouse: true
                onTextChanged: controller.search = text
            }
            Label {
                text: controller.loaded && controller.errorString.length === 0
                      ? qsTr("%1 users").arg(Number(controller.totalCount).toLocaleString(Qt.locale("en_US"), "f", 0))
                      : ""
                opacity: 0.8
            }
            Item {
                Layout.fillWidth: true
            }
            BusyIndicator {
                Layout.preferredHeight: 28
                Layout.preferredWidth: 28
                running: controller.loading
                visible: running
            }
            Button {
                text: qsTr("Refresh")
                onClicked: controller.refresh()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Load again (F5)")
            }
        }

        ErrorBanner {
            Layout.fillWidth: true
            message: controller.errorString
            onRetryRequested: controller.refresh()
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            HorizontalHeaderView {
                id: header
                Layout.fillWidth: true
                syncView: table
                clip: true
                delegate: HeaderCellDelegate {
                    sortColumn: controller.sortColumn
                    sortDescending: controller.sortDescending
                    numeric: controller.isNumericColumn(column)
                    onClicked: (column) => controller.sortBy(column)
                }
            }

            TableView {
                id: table
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                model: controller.model
                columnSpacing: 0
                rowSpacing: 0
                columnWidthProvider: function (column) {
                    if (column !== 0)
                        return page.columnWidths[column];
                    let others = 0;
                    for (let i = 1; i < page.columnWidths.length; ++i)
                        others += page.columnWidths[i];
                    return Math.max(220, table.width - others);
                }
                onWidthChanged: forceLayout()
                onContentYChanged: {
                    if (contentHeight > 0 && contentY + height > contentHeight - 20 * 30)
                        controller.fetchMore();
                }
                ScrollBar.vertical: ScrollBar {}
                ScrollBar.horizontal: ScrollBar {}
                delegate: UserCellDelegate {}

                BusyIndicator {
                    anchors.centerIn: parent
                    running: !controller.loaded
                    visible: running
                }
                EmptyState {
                    anchors.centerIn: parent
                    visible: controller.loaded && controller.errorString.length === 0
                             && controller.totalCount === 0
                    filtered: controller.search.length > 0
                }
            }
        }
    }
}
