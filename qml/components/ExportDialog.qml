// SPDX-License-Identifier: GPL-3.0-or-later
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import XeroML.Dashboard

// Exports one table: format, rows (the selection or everything matching the filter), columns
// and file; then a progress bar with the time left and Cancel; then where the file is, or why
// there is none. Enter starts, Escape cancels a running export or closes.
Dialog {
    id: dialog

    // The page controller (UsersPageController or UserPageController) and its table.
    property QtObject source: null
    property string table: "users"
    // Selected rows of a user-page table (the users page keeps its own selection).
    property var selectedRows: []
    readonly property alias exporter: exporter
    readonly property alias pathField: pathField
    // "choose", "running", "done", "failed".
    property string phase: "choose"
    readonly property var formats: ["csv", "tsv", "json", "jsonl", "xlsx"]
    property alias formatIndex: formatBox.currentIndex
    readonly property string format: formats[formatBox.currentIndex]
    readonly property bool selectedOnly: selectedButton.checked
    readonly property bool allColumns: allColumnsButton.checked
    property alias bom: bomBox.checked

    title: qsTr("Export %1").arg(exporter.noun)
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, (parent ? parent.width : 560) - 40)
    padding: 20
    closePolicy: exporter.running ? Popup.NoAutoClose : Popup.CloseOnEscape

    function count(n: real): string {
        return Number(n).toLocaleString(Qt.locale("en_US"), "f", 0);
    }

    function chooseRows(selected: bool) {
        (selected && exporter.selectedCount > 0 ? selectedButton : matchingButton).checked = true;
    }
    function chooseColumns(all: bool) {
        (all ? allColumnsButton : visibleColumnsButton).checked = true;
    }

    // Starts the export with the choices made; the outcome shows in the dialog.
    function startExport() {
        if (phase !== "choose" || exporter.running)
            return;
        phase = exporter.start(format, selectedOnly, allColumns, bom, pathField.text.trim())
                ? "running" : "failed";
    }

    onAboutToShow: {
        phase = "choose";
        chooseRows(true);
        const path = pathField.text.trim();
        pathField.text = path.length > 0 ? exporter.pathForFormat(path, format)
                                         : exporter.defaultPath(format);
    }
    onClosed: exporter.cancel()

    ExportController {
        id: exporter
        source: dialog.source
        table: dialog.table
        selectedRows: dialog.selectedRows
        onFinished: (ok) => dialog.phase = ok ? "done" : "failed"
    }

    Shortcut {
        sequences: ["Return", "Enter"]
        enabled: dialog.opened && dialog.phase === "choose"
        onActivated: dialog.startExport()
    }
    Shortcut {
        sequence: "Escape"
        enabled: dialog.opened && exporter.running
        onActivated: exporter.cancel()
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Export to")
        fileMode: FileDialog.SaveFile
        defaultSuffix: dialog.format
        nameFilters: [qsTr("%1 files (*.%2)").arg(formatBox.currentText).arg(dialog.format),
            qsTr("All files (*)")]
        onAccepted: pathField.text = exporter.localPath(selectedFile)
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 14

        GridLayout {
            Layout.fillWidth: true
            visible: dialog.phase === "choose"
            columns: 2
            columnSpacing: 16
            rowSpacing: 8

            Label { text: qsTr("Format"); font.bold: true }
            ComboBox {
                id: formatBox
                Layout.fillWidth: true
                model: [qsTr("CSV"), qsTr("TSV"), qsTr("JSON (one array)"), qsTr("JSON Lines"),
                    qsTr("Excel workbook (XLSX)")]
                onCurrentIndexChanged: pathField.text = exporter.pathForFormat(
                                           pathField.text.trim(), dialog.formats[currentIndex])
            }

            Label {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: 8
                text: qsTr("Rows")
                font.bold: true
            }
            ColumnLayout {
                spacing: 0
                RadioButton {
                    id: selectedButton
                    text: qsTr("Selected rows (%1)").arg(dialog.count(exporter.selectedCount))
                    enabled: exporter.selectedCount > 0
                }
                RadioButton {
                    id: matchingButton
                    text: qsTr("All rows matching the current filter (%1)")
                        .arg(dialog.count(exporter.matchingCount))
                }
            }

            Label {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: 8
                text: qsTr("Columns")
                font.bold: true
            }
            ColumnLayout {
                spacing: 0
                RadioButton {
                    id: visibleColumnsButton
                    text: qsTr("Visible columns, in the order shown")
                    checked: true
                }
                RadioButton {
                    id: allColumnsButton
                    text: qsTr("All columns")
                }
                CheckBox {
                    id: bomBox
                    text: qsTr("UTF-8 BOM for Excel")
                    enabled: dialog.format === "csv"
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Lets Excel read accented and non-Latin text in a CSV file")
                }
            }

            Label { text: qsTr("File"); font.bold: true }
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: pathField
                    Layout.fillWidth: true
                    selectByMouse: true
                    placeholderText: qsTr("Where to save the file")
                }
                Button {
                    text: qsTr("Browse…")
                    onClicked: {
                        fileDialog.currentFolder = exporter.folderUrl(pathField.text.trim());
                        fileDialog.selectedFile = exporter.fileUrl(pathField.text.trim());
                        fileDialog.open();
                    }
                }
            }
            Item { implicitWidth: 1; visible: replaceNote.visible }
            Label {
                id: replaceNote
                Layout.fillWidth: true
                visible: dialog.phase === "choose" && exporter.fileExists(pathField.text.trim())
                text: qsTr("A file of this name exists; the export replaces it once complete.")
                color: "#8a5a00"
                wrapMode: Text.Wrap
                font.pixelSize: 12
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            visible: dialog.phase === "running"
            spacing: 8
            Label {
                text: qsTr("Exporting %1 as %2…").arg(exporter.noun).arg(formatBox.currentText)
                font.bold: true
            }
            ProgressBar {
                Layout.fillWidth: true
                indeterminate: exporter.progress < 0
                value: Math.max(0, exporter.progress)
            }
            RowLayout {
                Layout.fillWidth: true
                Label { text: exporter.progressText }
                Item { Layout.fillWidth: true }
                Label { text: exporter.timeLeftText; opacity: 0.75 }
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Cancel leaves no file behind.")
                opacity: 0.6
                font.pixelSize: 12
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            visible: dialog.phase === "done"
            spacing: 6
            Label {
                text: "✓ " + qsTr("Export complete")
                color: "#1e7b34"
                font.bold: true
            }
            TextEdit {
                // What was written and where, selectable (the path can be copied).
                Layout.fillWidth: true
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                text: exporter.resultText
            }
        }

        Label {
            Layout.fillWidth: true
            visible: dialog.phase === "failed"
            text: exporter.errorString
            color: "#b3261e"
            wrapMode: Text.Wrap
        }
    }

    footer: Pane {
        topPadding: 0
        leftPadding: 20
        rightPadding: 20
        bottomPadding: 16
        background: null

        RowLayout {
            width: parent.width
            spacing: 8
            Item { Layout.fillWidth: true }
            Button {
                text: qsTr("Show in folder")
                visible: dialog.phase === "done"
                onClicked: Qt.openUrlExternally(exporter.folderUrl(exporter.resultPath))
            }
            Button {
                text: qsTr("Back")
                visible: dialog.phase === "failed"
                onClicked: dialog.phase = "choose"
            }
            Button {
                text: exporter.running ? qsTr("Cancel export")
                                       : (dialog.phase === "choose" ? qsTr("Cancel") : qsTr("Close"))
                onClicked: exporter.running ? exporter.cancel() : dialog.close()
            }
            Button {
                objectName: "exportButton"
                text: qsTr("Export")
                visible: dialog.phase === "choose"
                highlighted: true
                enabled: pathField.text.trim().length > 0
                onClicked: dialog.startExport()
            }
        }
    }
}
