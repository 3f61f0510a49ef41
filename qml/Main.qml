// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import XeroML.Dashboard

ApplicationWindow {
    id: window

    width: 1280
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: qsTr("XeroML Dashboard")
    Component.onCompleted: {
        if (AppContext.ready)
            pagesConnection = AppContext.currentConnection;
    }

    // Pages popped by Back, for Forward (Alt+Right): their component and properties.
    property var forwardStack: []
    readonly property var currentPage: stack.currentItem
    readonly property alias pages: stack
    // The connection the pages on the stack belong to.
    property string pagesConnection

    function push(component: Component, properties: var) {
        forwardStack = [];
        const page = stack.push(component, properties);
        connectPage(page);
        return page;
    }

    function connectPage(page: var) {
        page.backRequested.connect(window.goBack);
        page.neighbourRequested.connect(window.openNeighbour);
        if (page.traceRequested)
            page.traceRequested.connect((id) => window.openTrace(id, {}));
        if (page.sessionRequested)
            page.sessionRequested.connect((id) => window.openSession(id, {}));
    }

    // options: "tab", "from", "to" (ISO 8601), as a deep link carries them.
    function openUser(userId: string, options: var) {
        push(userPage, { userId: userId, options: options || {} });
    }
    function openTrace(traceId: string, options: var) {
        if (traceId.length > 0)
            push(tracePage, { traceId: traceId, options: options || {} });
    }
    function openSession(sessionId: string, options: var) {
        if (sessionId.length > 0)
            push(sessionPage, { sessionId: sessionId, options: options || {} });
    }

    // The previous (-1) or next (+1) user in the users list's current order.
    function openNeighbour(delta: int) {
        const page = currentPage;
        if (page.userId === undefined)
            return;
        const id = usersList.controller.neighbour(page.userId, delta);
        if (id.length === 0)
            return;
        const next = stack.replace(userPage, { userId: id, options: { tab: page.tabName } });
        connectPage(next);
    }

    function pageState(page: var): var {
        if (page.userId !== undefined)
            return { component: userPage, properties: { userId: page.userId, options: { tab: page.tabName } } };
        if (page.traceId !== undefined)
            return { component: tracePage, properties: { traceId: page.traceId, options: page.options } };
        return { component: sessionPage, properties: { sessionId: page.sessionId, options: page.options } };
    }

    function goBack() {
        if (stack.depth <= 1)
            return;
        forwardStack.push(pageState(currentPage));
        stack.pop();
    }

    // Another connection: its users page alone, no way back or forward into the old one.
    function showConnection(name: string) {
        if (name === pagesConnection)
            return;
        pagesConnection = name;
        forwardStack = [];
        if (stack.depth > 1)
            stack.pop(null, StackView.Immediate);
    }

    function goForward() {
        if (forwardStack.length === 0)
            return;
        const next = forwardStack.pop();
        const page = stack.push(next.component, next.properties);
        connectPage(page);
    }

    header: AppHeader {
        canGoBack: stack.depth > 1
        location: stack.depth > 1 && window.currentPage ? qsTr("Users › %1").arg(window.currentPage.title) : qsTr("Users")
        onBackRequested: window.goBack()
        onOpenLinkRequested: openLinkDialog.open()
        onSettingsRequested: (baseUrl) => settings.show(baseUrl)
    }

    OpenLinkDialog {
        id: openLinkDialog
        onAddConnectionRequested: (baseUrl) => settings.show(baseUrl)
    }
    SettingsPopup {
        id: settings
    }
    Shortcut {
        sequence: "Ctrl+L"
        onActivated: openLinkDialog.open()
    }

    Connections {
        target: AppContext
        function onStateChanged() {
            if (AppContext.ready)
                window.showConnection(AppContext.currentConnection);
        }
        function onOpenRequested(kind: string, id: string, options: var) {
            if (kind === "users")
                window.openUser(id, options);
            else if (kind === "traces")
                window.openTrace(id, options);
            else if (kind === "sessions")
                window.openSession(id, options);
        }
    }

    Shortcut {
        sequences: ["Alt+Left", "Back"]
        onActivated: window.goBack()
    }
    Shortcut {
        sequences: ["Alt+Right", "Forward"]
        onActivated: window.goForward()
    }

    // Mouse back / forward buttons, anywhere in the window.
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.BackButton | Qt.ForwardButton
        onClicked: (mouse) => mouse.button === Qt.BackButton ? window.goBack() : window.goForward()
        z: 1
    }

    StackView {
        id: stack
        anchors.fill: parent
        visible: AppContext.ready
        initialItem: UsersPage {
            id: usersList
            onUserActivated: (userId) => window.openUser(userId, {})
        }
    }

    StartupPage {
        anchors.fill: parent
        visible: !AppContext.ready
    }

    Component {
        id: userPage
        UserPage {}
    }
    Component {
        id: tracePage
        TracePage {}
    }
    Component {
        id: sessionPage
        SessionPage {}
    }
}
