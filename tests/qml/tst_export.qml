// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import XeroML.Dashboard
import XeroML.Test

// The users page's Export dialog and Copy as Markdown, against the real local server: files
// are read back and compared with what the table holds.
Item {
    id: root
    width: 1280
    height: 720

    UsersPage {
        id: page
        anchors.fill: parent
    }

    TestCase {
        name: "Export"
        when: windowShown

        function waitLoaded() {
            tryVerify(() => page.controller.loaded && !page.controller.loading, 10000);
        }

        function openDialog() {
            const button = findChild(page, "exportToolButton");
            verify(button !== null);
            mouseClick(button);
            const dialog = page.exportDialog;
            tryVerify(() => dialog.opened, 3000);
            compare(dialog.phase, "choose");
            return dialog;
        }

        function closeDialog(dialog) {
            dialog.close();
            tryVerify(() => !dialog.visible, 3000);
        }

        function cleanup() {
            cancelOnFirstRows.enabled = false;
            page.exportDialog.close();
            tryVerify(() => !page.exportDialog.visible, 3000);
            page.searchField.text = "";
        }

        function visibleColumns() {
            const columns = [];
            for (let c = 0; c < page.controller.columns.count; ++c) {
                if (page.controller.columns.widths[c] > 0)
                    columns.push(c);
            }
            return columns;
        }

        // RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
        function parseCsv(text) {
            const rows = [];
            let row = [], field = "", quoted = false;
            for (let i = 0; i < text.length; ++i) {
                const ch = text[i];
                if (quoted) {
                    if (ch === '"' && text[i + 1] === '"') { field += '"'; ++i; }
                    else if (ch === '"') quoted = false;
                    else field += ch;
                } else if (ch === '"') {
                    quoted = true;
                } else if (ch === ",") {
                    row.push(field); field = "";
                } else if (ch === "\r" && text[i + 1] === "\n") {
                    row.push(field); rows.push(row); row = []; field = ""; ++i;
                } else {
                    field += ch;
                }
            }
            if (field.length > 0 || row.length > 0) {
                row.push(field);
                rows.push(row);
            }
            return rows;
        }

        // The table's own copy of the selection (raw values, visible columns) as rows of fields.
        function selectionRows() {
            const tsv = page.controller.selectionAsTsv();
            return tsv.split("\n").filter(line => line.length > 0).map(line => line.split("\t"));
        }

        function test_1_exportSelectionAsCsv() {
            waitLoaded();
            page.controller.selectRow(1, 0);
            page.controller.selectRow(3, Qt.ControlModifier);
            page.controller.selectRow(4, Qt.ControlModifier);
            const dialog = openDialog();
            compare(dialog.exporter.selectedCount, 3);
            compare(dialog.exporter.matchingCount, page.controller.totalCount);
            verify(dialog.selectedOnly, "a selection is what gets exported by default");
            verify(/users-\d\d\d\d-\d\d-\d\d\.csv$/.test(dialog.pathField.text), dialog.pathField.text);
            dialog.formatIndex = 0;
            dialog.chooseColumns(false);
            const path = TestFiles.tempPath("selection.csv");
            dialog.pathField.text = path;
            keyClick(Qt.Key_Return);
            tryCompare(dialog, "phase", "done", 10000);
            compare(dialog.exporter.resultPath, path);
            compare(dialog.exporter.rowsDone, 3);

            const expected = selectionRows();
            const rows = parseCsv(TestFiles.readText(path));
            compare(rows.length, 4, "a header and the three selected rows");
            compare(rows[0], visibleColumns().map(c => page.controller.columnTitle(c)));
            compare(rows[0], expected[0]);
            for (let r = 1; r < 4; ++r) {
                compare(rows[r].length, expected[r].length);
                for (let c = 0; c < rows[r].length; ++c) {
                    // Text that starts like a formula gets a leading apostrophe in CSV.
                    verify(rows[r][c] === expected[r][c] || rows[r][c] === "'" + expected[r][c],
                           "row " + r + " column " + c + ": " + rows[r][c] + " vs " + expected[r][c]);
                }
            }
            compare(rows[1][0].replace(/^'/, ""), page.controller.userIdAt(1));
            compare(rows[3][0].replace(/^'/, ""), page.controller.userIdAt(4));
            compare(TestFiles.headHex(path, 3) === "efbbbf", false, "no BOM unless asked");
            grabImage(root).save(TestFiles.shotPath("export-done.png"));
            closeDialog(dialog);
        }

        function test_2_exportAllMatchingAsJsonl() {
            waitLoaded();
            page.searchField.text = "@";
            tryVerify(() => page.controller.search === "@" && page.controller.loaded
                      && !page.controller.loading && page.controller.totalCount > 0
                      && page.controller.totalCount < 4000, 10000);
            page.controller.selectAll();  // the loaded rows, to compare with the file
            const expected = selectionRows();
            const dialog = openDialog();
            dialog.chooseRows(false);
            verify(!dialog.selectedOnly);
            dialog.formatIndex = dialog.formats.indexOf("jsonl");
            verify(dialog.pathField.text.endsWith(".jsonl"), "the suffix follows the format");
            const path = TestFiles.tempPath("matching.jsonl");
            dialog.pathField.text = path;
            keyClick(Qt.Key_Enter);
            tryCompare(dialog, "phase", "done", 20000);
            compare(dialog.exporter.rowsDone, page.controller.totalCount);
            compare(dialog.exporter.rowsTotal, page.controller.totalCount);

            const lines = TestFiles.readText(path).split("\n").filter(line => line.length > 0);
            compare(lines.length, page.controller.totalCount, "every matching user, not just the loaded ones");
            const titles = expected[0];
            // The rows the table has loaded come first, in the table's order, with raw values.
            for (let r = 1; r < expected.length; ++r) {
                const object = JSON.parse(lines[r - 1]);
                compare(Object.keys(object), titles);
                for (let c = 0; c < titles.length; ++c) {
                    const value = object[titles[c]];
                    if (typeof value === "number") // the same double, however it is spelt
                        compare(value, Number(expected[r][c]), "row " + r + " " + titles[c]);
                    else
                        compare(value === null ? "" : value, expected[r][c], "row " + r + " " + titles[c]);
                }
            }
            for (const line of lines)
                verify(JSON.parse(line)["User ID"].indexOf("@") >= 0, "only users matching the search");
            closeDialog(dialog);
            page.searchField.text = "";
            tryVerify(() => page.controller.search === "" && page.controller.loaded
                      && !page.controller.loading && page.controller.totalCount >= 4000, 10000);
        }

        Connections {
            id: cancelOnFirstRows
            target: page.exportDialog.exporter
            enabled: false
            function onProgressChanged() {
                if (page.exportDialog.exporter.rowsDone > 0) {
                    cancelOnFirstRows.enabled = false;
                    page.exportDialog.exporter.cancel();
                }
            }
        }

        function test_3_cancelHalfWayLeavesTheFileAsItWas() {
            waitLoaded();
            page.controller.selectRow(0, 0);
            const dialog = openDialog();
            const path = TestFiles.tempPath("cancelled.csv");
            dialog.formatIndex = 0;
            dialog.pathField.text = path;
            dialog.bom = true;
            keyClick(Qt.Key_Return);
            tryCompare(dialog, "phase", "done", 10000);
            const before = TestFiles.readText(path);
            compare(TestFiles.headHex(path, 3), "efbbbf", "the BOM for Excel");
            closeDialog(dialog);

            // Everything, over the same file: cancelled once the first page is written.
            const again = openDialog();
            compare(again.pathField.text, path, "the dialog keeps the last file");
            again.chooseRows(false);
            cancelOnFirstRows.enabled = true;
            keyClick(Qt.Key_Return);
            tryCompare(again, "phase", "failed", 10000);
            verify(again.exporter.rowsDone > 0 && again.exporter.rowsDone < page.controller.totalCount,
                   "cancelled half-way: " + again.exporter.rowsDone);
            verify(again.exporter.errorString.indexOf("cancelled") >= 0, again.exporter.errorString);
            compare(TestFiles.readText(path), before, "the earlier file is untouched");
            compare(TestFiles.entries().filter(name => !name.endsWith(".png")),
                    ["cancelled.csv", "matching.jsonl", "selection.csv"],
                    "no partial or temporary file is left");
            keyClick(Qt.Key_Escape);
            tryVerify(() => !again.visible, 3000);
        }

        function test_4_badFolderSaysWhy() {
            waitLoaded();
            const dialog = openDialog();
            dialog.chooseRows(false);
            dialog.pathField.text = TestFiles.tempPath("no such folder/users.csv");
            keyClick(Qt.Key_Return);
            compare(dialog.phase, "failed");
            verify(dialog.exporter.errorString.indexOf("does not exist") >= 0, dialog.exporter.errorString);
            verify(!TestFiles.exists(dialog.pathField.text));
            closeDialog(dialog);
        }

        function test_5_copyAsMarkdown() {
            waitLoaded();
            page.controller.selectRow(2, 0);
            page.controller.selectRow(3, Qt.ShiftModifier);
            TestFiles.setClipboardText("");
            page.table.forceActiveFocus();
            keyClick(Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier);
            const columns = visibleColumns();
            const cell = (text) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
            let expected = "| " + columns.map(c => cell(page.controller.columnTitle(c))).join(" | ") + " |\n"
                + "| " + columns.map(c => page.controller.isNumericColumn(c) ? "---:" : "---").join(" | ") + " |\n";
            for (const fields of selectionRows().slice(1))
                expected += "| " + fields.map(cell).join(" | ") + " |\n";
            compare(TestFiles.clipboardText(), expected);
            verify(expected.indexOf(cell(page.controller.userIdAt(3))) > 0);

            // Ctrl+C stays TSV.
            keyClick(Qt.Key_C, Qt.ControlModifier);
            compare(TestFiles.clipboardText(), page.controller.selectionAsTsv());
        }

        function test_6_lookOfTheDialog() {
            waitLoaded();
            page.controller.selectRow(0, 0);
            const dialog = openDialog();
            dialog.pathField.text = "/home/analyst/Documents/users-2026-12-04.csv";
            wait(100);
            const shot = TestFiles.shotPath("export-dialog.png");
            grabImage(root).save(shot);
            verify(TestFiles.exists(shot));
            closeDialog(dialog);

            // The table's context menu.
            page.table.positionViewAtRow(0, TableView.Contain);
            let cell = null;
            tryVerify(() => (cell = page.table.itemAtCell(Qt.point(1, 2))) !== null, 5000);
            mouseClick(cell, 10, 10, Qt.RightButton);
            compare(page.controller.selectedCount, 1);
            compare(page.controller.currentRow, 2, "right-click selects the row under the pointer");
            wait(100);
            grabImage(root).save(TestFiles.shotPath("export-menu.png"));
            keyClick(Qt.Key_Escape);
        }
    }
}
