// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import XeroML.Dashboard
import XeroML.Test

// A user's traces tab: rows selected with the mouse are copied (TSV, Markdown) and exported;
// all matching traces export through the server, page by page.
Item {
    id: root
    width: 1280
    height: 760

    UsersPageController {
        id: users
        client: AppContext.client
    }

    Component {
        id: userPage
        UserPage {
            anchors.fill: parent
        }
    }

    TestCase {
        name: "ExportUserPage"
        when: windowShown

        property var page: null
        property var traces: null

        function initTestCase() {
            tryVerify(() => users.loaded && !users.loading, 10000);
            if (users.sortColumn !== 1 || !users.sortDescending) {
                users.sortBy(1);
                if (!users.sortDescending)
                    users.sortBy(1);
            }
            tryVerify(() => users.loaded && !users.loading && users.sortColumn === 1 && users.sortDescending, 10000);
            // The user with the most traces: more than one page of the traces list.
            page = userPage.createObject(root, { userId: users.userIdAt(0), options: { tab: "traces" } });
            traces = findChild(page, "tracesTable");
            verify(traces !== null);
            tryVerify(() => page.controller.traces.loaded && traces.table.rows > 3, 10000);
            verify(page.controller.traces.totalCount > 100);
        }

        function cleanupTestCase() {
            page.destroy();
        }

        function cell(row) {
            let item = null;
            tryVerify(() => (item = traces.table.itemAtCell(Qt.point(1, row))) !== null, 5000);
            return item;
        }

        function test_1_selectAndCopy() {
            mouseClick(cell(0));
            mouseClick(cell(2), 5, 5, Qt.LeftButton, Qt.ControlModifier);
            compare(traces.selectedRows, [0, 2]);
            compare(page.exportDialog.exporter.selectedCount, 2);

            TestFiles.setClipboardText("");
            keyClick(Qt.Key_C, Qt.ControlModifier);
            const lines = TestFiles.clipboardText().split("\n");
            compare(lines.length, 4, "a header, two rows and the final line break");
            compare(lines[0].split("\t")[0], "Time");
            verify(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(lines[1].split("\t")[0]), lines[1]);

            keyClick(Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier);
            const markdown = TestFiles.clipboardText().split("\n");
            compare(markdown.length, 5);
            verify(markdown[0].startsWith("| Time | "), markdown[0]);
            verify(markdown[1].startsWith("| --- | "), markdown[1]);

            // Shift+click extends from the last clicked row.
            mouseClick(cell(3), 5, 5, Qt.LeftButton, Qt.ShiftModifier);
            compare(traces.selectedRows, [2, 3]);
        }

        function test_2_exportSelectionAsJson() {
            mouseClick(cell(1));
            mouseClick(cell(3), 5, 5, Qt.LeftButton, Qt.ControlModifier);
            keyClick(Qt.Key_E, Qt.ControlModifier);
            const dialog = page.exportDialog;
            tryVerify(() => dialog.opened, 3000);
            compare(dialog.exporter.table, "traces");
            verify(dialog.selectedOnly);
            dialog.formatIndex = dialog.formats.indexOf("json");
            verify(/traces-.*-\d\d\d\d-\d\d-\d\d\.json$/.test(dialog.pathField.text), dialog.pathField.text);
            const path = TestFiles.tempPath("traces-selected.json");
            dialog.pathField.text = path;
            keyClick(Qt.Key_Return);
            tryCompare(dialog, "phase", "done", 10000);
            const rows = JSON.parse(TestFiles.readText(path));
            compare(rows.length, 2);
            compare(rows[0]["Trace ID"], page.controller.traceIdAt(1));
            compare(rows[1]["Trace ID"], page.controller.traceIdAt(3));
            dialog.close();
            tryVerify(() => !dialog.visible, 3000);
        }

        function test_3_exportAllMatchingAsCsv() {
            page.exportDialog.open();
            const dialog = page.exportDialog;
            tryVerify(() => dialog.opened, 3000);
            dialog.chooseRows(false);
            dialog.formatIndex = 0;
            const path = TestFiles.tempPath("traces-all.csv");
            dialog.pathField.text = path;
            keyClick(Qt.Key_Return);
            tryCompare(dialog, "phase", "done", 20000);
            const total = page.controller.traces.totalCount;
            compare(dialog.exporter.rowsDone, total);
            const lines = TestFiles.readText(path).split("\r\n").filter(line => line.length > 0);
            compare(lines.length, total + 1, "a header and every trace of the user, not just the loaded page");
            verify(lines[0].startsWith("Trace ID,Time,"), lines[0]);
            verify(lines[1].startsWith(page.controller.traceIdAt(0) + ","), "in the table's order");
            dialog.close();
            tryVerify(() => !dialog.visible, 3000);
        }
    }
}
