// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

// Asks for a custom date window; says what is wrong instead of guessing.
Dialog {
    id: dialog

    required property TimeRange timeRange

    title: qsTr("Custom dates")
    modal: true
    anchors.centerIn: Overlay.overlay
    standardButtons: Dialog.Ok | Dialog.Cancel

    onOpened: {
        fromField.text = timeRange.customFrom;
        toField.text = timeRange.customTo;
        problem.text = "";
        fromField.forceActiveFocus();
    }
    onAccepted: {
        const error = timeRange.setCustom(fromField.text, toField.text);
        if (error.length > 0) {
            problem.text = error;
            open();
        }
    }

    GridLayout {
        columns: 2
        columnSpacing: 12
        rowSpacing: 8

        Label {
            text: qsTr("From (inclusive)")
        }
        TextField {
            id: fromField
            placeholderText: "2026-11-01"
            selectByMouse: true
        }
        Label {
            text: qsTr("To (inclusive)")
        }
        TextField {
            id: toField
            placeholderText: qsTr("today")
            selectByMouse: true
        }
        Label {
            Layout.columnSpan: 2
            text: qsTr("Dates are UTC, YYYY-MM-DD; leave one empty for an open end.")
            opacity: 0.7
        }
        Label {
            id: problem
            Layout.columnSpan: 2
            Layout.maximumWidth: 360
            visible: text.length > 0
            color: "#8a1c14"
            wrapMode: Text.Wrap
        }
    }
}
