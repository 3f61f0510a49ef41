// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import XeroML.Dashboard
import XeroML.Test

Item {
    id: root
    width: 1280
    height: 720

    UsersPage {
        id: page
        anchors.fill: parent
        pollInterval: 0 // no look for new data unless a test asks for it
    }

    SignalSpy {
        id: activated
        target: page
        signalName: "userActivated"
    }

    TimeRange {
        id: range
    }

    Component {
        id: secondController
        // A second controller reads the remembered layout as the next start of the app would.
        UsersPageController {}
    }

    TestCase {
        name: "UsersPage"
        when: windowShown

        function waitLoaded() {
            tryVerify(() => page.controller.loaded && !page.controller.loading, 10000);
        }

        function headerCell(column) {
            let item = null;
            tryVerify(() => (item = page.headerView.itemAtCell(Qt.point(column, 0))) !== null, 5000);
            return item;
        }

        function test_1_rowsArrive() {
            waitLoaded();
            compare(page.controller.errorString, "");
            verify(page.controller.totalCount > 100);
            // Page by page: the first 100, perhaps a page of 1000 the view asks for, not all.
            verify(page.controller.loadedCount >= 100 && page.controller.loadedCount <= 1000);
            verify(page.controller.loadedCount < page.controller.totalCount);
            tryVerify(() => page.table.rows === page.controller.loadedCount);
            verify(page.table.itemAtCell(Qt.point(0, 0)) !== null);
        }

        function test_2_headerClickSorts() {
            waitLoaded();
            if (page.controller.sortColumn === 1) { // remembered from an earlier test: move off
                mouseClick(headerCell(2));
                waitLoaded();
            }
            const traces = headerCell(1);
            mouseClick(traces);
            compare(page.controller.sortColumn, 1);
            verify(page.controller.sortDescending, "numbers sort largest first");
            verify(traces.sorted);
            waitLoaded();
            mouseClick(headerCell(1));
            compare(page.controller.sortColumn, 1);
            verify(!page.controller.sortDescending, "a second click flips the direction");
            waitLoaded();
            mouseClick(headerCell(0));
            compare(page.controller.sortColumn, 0);
            verify(!page.controller.sortDescending, "text sorts A to Z first");
            waitLoaded();
            verify(page.controller.userIdAt(0) <= page.controller.userIdAt(1));
        }

        function test_3_searchAsYouType() {
            waitLoaded();
            const all = page.controller.totalCount;
            page.searchField.forceActiveFocus();
            keyClick("@");
            compare(page.controller.search, "@");
            const allMatch = () => {
                for (let row = 0; row < page.controller.loadedCount; ++row) {
                    if (page.controller.userIdAt(row).indexOf("@") < 0)
                        return false;
                }
                return true;
            };
            // Until the pause in typing is over the old rows stay; then only matches.
            tryVerify(() => page.controller.loaded && !page.controller.loading
                      && page.controller.loadedCount > 0 && allMatch(), 10000);
            verify(page.controller.totalCount < all);
            page.searchField.text = "no user is called this";
            tryVerify(() => page.controller.loaded && page.controller.totalCount === 0, 10000);
            tryCompare(page.table, "rows", 0);
            page.searchField.text = "";
            tryVerify(() => page.controller.loaded && page.controller.totalCount === all, 10000);
        }

        function test_4_scrollFetchesMore() {
            waitLoaded();
            wait(200);
            const before = page.controller.loadedCount;
            verify(before < page.controller.totalCount);
            page.table.contentY = page.table.contentHeight - page.table.height;
            tryVerify(() => page.controller.loadedCount > before, 10000);
        }

        function cell(row, column) {
            page.table.positionViewAtRow(row, TableView.Contain);
            let item = null;
            tryVerify(() => (item = page.table.itemAtCell(Qt.point(column, row))) !== null, 5000);
            return item;
        }

        function test_5_selectionByMouseAndKeyboard() {
            waitLoaded();
            mouseClick(cell(0, 0));
            compare(page.controller.selectedCount, 1);
            compare(page.controller.currentRow, 0);
            mouseClick(cell(2, 3), 5, 5, Qt.LeftButton, Qt.ControlModifier);
            compare(page.controller.selectedCount, 2, "Ctrl adds a row");
            mouseClick(cell(5, 1), 5, 5, Qt.LeftButton, Qt.ShiftModifier);
            compare(page.controller.selectedCount, 4, "Shift selects rows 2 to 5");
            mouseClick(cell(2, 3), 5, 5, Qt.LeftButton, Qt.ControlModifier);
            compare(page.controller.selectedCount, 0 + 3, "Ctrl on a selected row drops it");

            // Keyboard: the table has focus after a click.
            mouseClick(cell(1, 0));
            keyClick(Qt.Key_Down);
            compare(page.controller.currentRow, 2);
            compare(page.controller.selectedCount, 1);
            keyClick(Qt.Key_Down, Qt.ShiftModifier);
            keyClick(Qt.Key_Down, Qt.ShiftModifier);
            compare(page.controller.currentRow, 4);
            compare(page.controller.selectedCount, 3, "Shift+Down extends the selection");

            const tsv = page.controller.selectionAsTsv().split("\n");
            compare(tsv.length, 5, "header, three rows and the final line break");
            compare(tsv[0].split("\t")[0], "User ID");
            compare(tsv[1].split("\t")[0], page.controller.userIdAt(2));
            compare(tsv[3].split("\t")[0], page.controller.userIdAt(4));

            keyClick(Qt.Key_A, Qt.ControlModifier);
            compare(page.controller.selectedCount, page.controller.loadedCount);
        }

        function test_6_enterAndDoubleClickOpenTheUser() {
            waitLoaded();
            activated.clear();
            mouseClick(cell(3, 0));
            keyClick(Qt.Key_Return);
            compare(activated.count, 1);
            compare(activated.signalArguments[0][0], page.controller.userIdAt(3));
            mouseDoubleClickSequence(cell(6, 2));
            compare(activated.count, 2);
            compare(activated.signalArguments[1][0], page.controller.userIdAt(6));
        }

        function test_7_columnsHideResizeAndAreRemembered() {
            waitLoaded();
            const columns = page.controller.columns;
            columns.reset();
            columns.setVisible(2, false);
            compare(columns.widths[2], 0);
            verify(page.controller.selectionAsTsv() === ""
                   || page.controller.selectionAsTsv().indexOf("Sessions") < 0);
            mouseClick(cell(0, 0));
            verify(page.controller.selectionAsTsv().indexOf("Sessions") < 0,
                   "hidden columns are not copied");
            verify(page.controller.selectionAsTsv().indexOf("Traces") >= 0);
            columns.setVisible(0, false);
            verify(columns.widths[0] > 0, "the user id column cannot be hidden");

            // Drag the right edge of the Traces header 40 px to the right.
            const header = headerCell(1);
            const before = header.width;
            mouseDrag(header, header.width - 3, header.height / 2, 40, 0);
            tryVerify(() => Math.abs(columns.widths[1] - (before + 40)) <= 2, 2000);
            tryVerify(() => Math.abs(headerCell(1).width - columns.widths[1]) <= 1, 2000);

            const next = createTemporaryObject(secondController, root);
            compare(next.columns.widths[2], 0, "hidden column remembered");
            compare(next.columns.widths[1], columns.widths[1], "width remembered");
            compare(next.sortColumn, page.controller.sortColumn, "sort remembered");
            columns.reset();
            compare(columns.widths[2], 80);
        }

        function test_8_timeRange() {
            waitLoaded();
            const all = page.controller.totalCount;
            page.controller.timeRange.preset = "24h";
            tryVerify(() => page.controller.loaded && !page.controller.loading, 10000);
            verify(page.controller.totalCount > 0);
            verify(page.controller.totalCount < all, "fewer users were active in the last day");
            compare(page.controller.timeRange.label, "Last 24 hours");
            page.controller.timeRange.preset = "all";
            tryVerify(() => page.controller.loaded && page.controller.totalCount === all, 10000);

            verify(range.setCustom("2026-13-01", "").indexOf("not a date") >= 0);
            verify(range.setCustom("2026-11-10", "2026-11-01").indexOf("after") >= 0);
            compare(range.preset, "all", "a refused custom window changes nothing");
            compare(range.setCustom("2026-11-01", "2026-11-10"), "");
            compare(range.preset, "custom");
            compare(range.label, "2026-11-01 – 2026-11-10");
        }

        function test_9a_costHistogram() {
            waitLoaded();
            const chart = page.costChart;
            const histogram = page.controller.costHistogram;
            tryVerify(() => chart.visible && !histogram.loading, 10000);
            compare(histogram.errorString, "");
            verify(histogram.labels.length >= 3, "users spread over several decades of cost");
            compare(histogram.labels.length, histogram.counts.length);
            let sum = 0;
            for (let i = 0; i < histogram.counts.length; ++i)
                sum += histogram.counts[i];
            tryVerify(() => page.controller.totalCount === histogram.totalUsers, 10000);
            compare(sum, histogram.totalUsers);
            verify(/^\$[0-9.ek-]+–[0-9.ek-]+$/.test(histogram.labels[histogram.labels.length - 1]),
                   histogram.labels[histogram.labels.length - 1]);

            // Hovering the tallest bar tells how many users spent that much.
            let tallest = 0;
            for (let i = 1; i < histogram.counts.length; ++i) {
                if (histogram.counts[i] > histogram.counts[tallest])
                    tallest = i;
            }
            const area = chart.plotArea;
            const x = area.x + (tallest + 0.5) * area.width / histogram.counts.length;
            mouseMove(chart, x, area.y + area.height - 3);
            tryVerify(() => chart.hoverText.indexOf(histogram.labels[tallest]) >= 0, 3000);
            verify(chart.hoverText.indexOf(Number(histogram.counts[tallest]).toLocaleString(Qt.locale("en_US"), "f", 0) + " users") === 0,
                   chart.hoverText);

            // The filter narrows the histogram along with the table.
            page.controller.environment = "staging";
            tryVerify(() => page.controller.loaded && !histogram.loading
                      && histogram.totalUsers === page.controller.totalCount, 10000);
            page.controller.environment = "";
            tryVerify(() => page.controller.loaded && !histogram.loading
                      && histogram.totalUsers === page.controller.totalCount, 10000);
        }

        function test_9b_newDataHintAndAutoRefresh() {
            page.controller.autoRefresh = false;
            page.controller.timeRange.preset = "all";
            waitLoaded();
            // Most recently active first.
            if (page.controller.sortColumn !== 10)
                page.controller.sortBy(10);
            if (!page.controller.sortDescending)
                page.controller.sortBy(10);
            waitLoaded();
            page.pollInterval = 100;
            tryVerify(() => page.controller.watchReady, 10000);
            verify(!page.newDataHint.visible);
            const before = page.controller.totalCount;
            verify(TestStore.addTrace("qml/new user 1", 0.5));
            tryVerify(() => page.newDataHint.visible, 5000);
            compare(page.controller.totalCount, before, "the rows wait for the user");
            mouseClick(page.newDataHint);
            verify(!page.newDataHint.visible);
            tryVerify(() => page.controller.loaded && page.controller.totalCount === before + 1, 10000);
            compare(page.controller.userIdAt(0), "qml/new user 1", "newest activity first");

            // Auto-refresh: the rows renew in place, the view and the selection stay.
            mouseClick(page.autoRefreshBox);
            verify(page.controller.autoRefresh);
            tryVerify(() => page.table.rows > 40, 5000);
            const target = cell(40, 0);
            mouseClick(target);
            const selected = page.controller.userIdAt(40);
            const y = page.table.contentY;
            verify(y > 0);
            tryVerify(() => page.controller.watchReady, 10000);
            verify(TestStore.addTrace("qml/new user 2", 0.25));
            tryVerify(() => page.controller.totalCount === before + 2 && !page.controller.loading, 10000);
            verify(!page.newDataHint.visible);
            compare(page.controller.userIdAt(0), "qml/new user 2");
            compare(page.controller.currentRow, 41, "the selection followed its user down a row");
            compare(page.controller.userIdAt(page.controller.currentRow), selected);
            compare(page.controller.selectedCount, 1);
            compare(page.table.contentY, y, "the view did not jump");

            page.pollInterval = 0;
            page.controller.autoRefresh = false;
        }
    }
}
