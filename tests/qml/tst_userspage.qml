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
            // Page by page: the first page, perhaps one more that the view asks for, not all.
            verify(page.controller.loadedCount >= 100 && page.controller.loadedCount <= 200);
            verify(page.controller.loadedCount < page.controller.totalCount);
            tryVerify(() => page.table.rows === page.controller.loadedCount);
            verify(page.table.itemAtCell(Qt.point(0, 0)) !== null);
        }

        function test_2_headerClickSorts() {
            waitLoaded();
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
            page.searchField.forceActiveFocus();
            keyClick("@");
            compare(page.controller.search, "@");
            tryVerify(() => page.controller.loaded && !page.controller.loading
                      && page.controller.loadedCount > 0
                      && page.controller.loadedCount === page.controller.totalCount, 10000);
            for (let row = 0; row < page.controller.loadedCount; ++row)
                verify(page.controller.userIdAt(row).indexOf("@") >= 0, page.controller.userIdAt(row));
            page.searchField.text = "no user is called this";
            tryVerify(() => page.controller.loaded && page.controller.totalCount === 0, 10000);
            tryCompare(page.table, "rows", 0);
            page.searchField.text = "";
            tryVerify(() => page.controller.loaded && page.controller.totalCount > 100, 10000);
        }

        function test_4_scrollFetchesMore() {
            waitLoaded();
            wait(200);
            const before = page.controller.loadedCount;
            verify(before < page.controller.totalCount);
            page.table.contentY = page.table.contentHeight - page.table.height;
            tryVerify(() => page.controller.loadedCount > before, 10000);
        }
    }
}
