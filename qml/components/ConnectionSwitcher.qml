// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import XeroML.Dashboard

// Which server the window reads from; choosing another reloads the pages.
ComboBox {
    id: box
    objectName: "connectionSwitcher"

    model: AppContext.connections.names
    currentIndex: AppContext.connections.indexOf(AppContext.currentConnection)
    // A connection from --base-url is not a saved one: still say which server this is.
    displayText: currentIndex >= 0 ? currentText : AppContext.currentConnection
    implicitContentWidthPolicy: ComboBox.WidestText
    onActivated: (index) => AppContext.switchConnection(box.textAt(index))

    ToolTip.visible: hovered
    ToolTip.text: AppContext.connectionName
}
