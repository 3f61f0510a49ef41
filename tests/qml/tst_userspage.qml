// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import XeroML.Dashboard

Item {
    id: root
    width: 1280
    height: 720

    UsersPage {
        id: page
        anchors.fill: parent
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
    }
}
