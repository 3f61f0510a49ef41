// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import XeroML.Dashboard

// The Open link dialog (Ctrl+L) in the real window over the real test server: a valid link
// opens the user's page; a bad link, a link to an unknown server or to another project says
// why; switching connection leaves no page of the old one on the stack or in Forward.
Item {
    id: root
    width: 400
    height: 300

    Main {
        id: window
    }

    SignalSpy {
        id: addRequested
        signalName: "addConnectionRequested"
    }
    SignalSpy {
        id: linkFailed
        target: AppContext
        signalName: "linkFailed"
    }

    TestCase {
        name: "OpenLink"
        when: windowShown

        property var dialog: null

        function child(name) {
            let item = null;
            tryVerify(() => (item = findChild(window, name)) !== null, 5000, name);
            return item;
        }
        function users() {
            return window.pages.get(0);
        }
        function linkTo(userId, project) {
            return AppContext.localBaseUrl + "/project/" + encodeURIComponent(project) + "/users/"
                    + encodeURIComponent(userId);
        }
        function openDialog() {
            keySequence("Ctrl+L");
            tryVerify(() => dialog.opened, 5000, "Ctrl+L opens the dialog");
            tryVerify(() => child("openLinkField").activeFocus, 2000, "the field has the focus");
        }
        function userAt(row) {
            tryVerify(() => users().controller.loaded && !users().controller.loading, 15000);
            return users().controller.userIdAt(row);
        }

        function initTestCase() {
            tryVerify(() => window.visible && AppContext.projectId.length > 0, 10000);
            dialog = child("openLinkDialog");
            addRequested.target = dialog;
            // Keys go to the focused window: the app's, as for a user.
            window.requestActivate();
            tryVerify(() => window.active, 5000);
        }

        function cleanup() {
            if (dialog.opened)
                dialog.close();
            tryVerify(() => !dialog.visible, 5000);
        }

        function test_1_validLinkOpensTheUser() {
            const id = userAt(3);
            openDialog();
            const field = child("openLinkField");
            field.text = linkTo(id, AppContext.projectId);
            keyClick(Qt.Key_Return);
            tryVerify(() => !dialog.visible, 5000, "the dialog closes once the link is on its way");
            tryVerify(() => window.currentPage.userId === id, 10000, "the user's page is shown");
            compare(child("openLinkProblem").text, "");
        }

        function test_2_badLinkSaysWhy_data() {
            return [
                { tag: "bad percent-encoding", link: "https://cloud.xeroml.com/project/p/users/%ZZ", says: "percent" },
                { tag: "scheme", link: "ftp://cloud.xeroml.com/project/p/users/u", says: "ftp" },
                { tag: "not a link", link: "alice@example.com", says: "not a link" },
                { tag: "no user", link: "xeroml://cloud.xeroml.com/project/p", says: "" },
            ];
        }
        function test_2_badLinkSaysWhy(data) {
            openDialog();
            const depth = window.pages.depth;
            child("openLinkField").text = data.link;
            mouseClick(child("openLinkOpen"));
            const problem = child("openLinkProblem");
            tryVerify(() => problem.visible && problem.text.length > 0, 2000, "a message under the field");
            verify(problem.text.toLowerCase().indexOf(data.says) >= 0, problem.text);
            verify(dialog.opened, "the dialog stays open to correct the link");
            verify(!child("openLinkAddConnection").visible);
            compare(window.pages.depth, depth, "nothing opened");
            // Typing again clears the message; Escape closes.
            keyClick(Qt.Key_End);
            keyClick(Qt.Key_X);
            compare(problem.text, "");
            keyClick(Qt.Key_Escape);
            tryVerify(() => !dialog.visible, 5000, "Escape closes the dialog");
        }

        function test_3_unknownServerOffersAConnection() {
            openDialog();
            child("openLinkField").text = "https://team.example.org/project/p1/users/u%2F1";
            keyClick(Qt.Key_Return);
            const problem = child("openLinkProblem");
            tryVerify(() => problem.text.indexOf("No connection is set up for team.example.org") >= 0, 2000, problem.text);
            compare(AppContext.offeredBaseUrl, "https://team.example.org");
            const add = child("openLinkAddConnection");
            verify(add.visible);
            addRequested.clear();
            mouseClick(add);
            compare(addRequested.count, 1);
            compare(addRequested.signalArguments[0][0], "https://team.example.org");
            tryVerify(() => !dialog.visible, 5000);
            // The window opens Settings on a new connection for that address.
            const url = child("connectionUrl");
            tryVerify(() => url.visible && url.text === "https://team.example.org", 5000, url.text);
            keyClick(Qt.Key_Escape);
            tryVerify(() => !url.visible, 5000, "Escape closes Settings");
        }

        function findButton(item, prefix) {
            if (!item)
                return null;
            if (item.text !== undefined && String(item.text).startsWith(prefix) && item.clicked !== undefined)
                return item;
            for (let i = 0; i < item.children.length; ++i) {
                const found = findButton(item.children[i], prefix);
                if (found)
                    return found;
            }
            return null;
        }

        function test_3b_linkRefusedAtStartUpOffersAConnection() {
            // What the app does with a command-line link for an unknown server, once the
            // window is up: the notice carries "Add connection…", which opens Settings on it.
            const problem = AppContext.openLink("xeroml://team.example.org/project/p1/users/alice");
            AppContext.showLinkProblem(problem);
            const notice = child("noticePopup");
            tryVerify(() => notice.opened, 5000);
            compare(notice.message, problem);
            const add = findButton(notice.contentItem, "Add connection");
            verify(add !== null && add.visible, "the notice offers to add the connection");
            mouseClick(add);
            const url = child("connectionUrl");
            tryVerify(() => url.visible && url.text === "https://team.example.org", 5000, url.text);
            keyClick(Qt.Key_Escape);
            tryVerify(() => !url.visible, 5000);

            // Any other problem is a plain notice.
            AppContext.openLink("not a link");
            AppContext.showLinkProblem("plain");
            tryVerify(() => notice.opened && notice.message === "plain", 5000);
            verify(!findButton(notice.contentItem, "Add connection").visible);
            notice.close();
        }

        function test_4_otherProjectSaysSo() {
            openDialog();
            linkFailed.clear();
            const depth = window.pages.depth;
            child("openLinkField").text = linkTo(userAt(0), "another-project");
            keyClick(Qt.Key_Return);
            tryVerify(() => linkFailed.count > 0, 5000);
            verify(linkFailed.signalArguments[0][0].indexOf("is for project \"another-project\"") >= 0,
                   linkFailed.signalArguments[0][0]);
            compare(window.pages.depth, depth, "nothing opened");
        }

        function test_5_switchingConnectionLeavesNoOldPages() {
            const first = userAt(1);
            const second = userAt(2);
            window.openUser(first, {});
            window.openUser(second, {});
            tryVerify(() => window.currentPage.userId === second, 5000);
            window.goBack();
            tryVerify(() => window.currentPage.userId === first, 5000);
            compare(window.forwardStack.length, 1);
            verify(window.pages.depth >= 2);

            AppContext.switchConnection("Another connection");
            compare(AppContext.currentConnection, "Another connection");
            compare(child("connectionSwitcher").displayText, "Another connection",
                    "the switcher names a connection that is not a saved one");
            compare(window.pages.depth, 1, "back on the users page");
            verify(window.currentPage === users());
            compare(window.forwardStack.length, 0, "Forward leads nowhere into the old connection");
            window.goForward();
            compare(window.pages.depth, 1);

            // Switching back is a switch too; opening pages works as before.
            AppContext.switchConnection("Test server");
            compare(AppContext.currentConnection, "Test server");
            window.openUser(first, {});
            tryVerify(() => window.currentPage.userId === first, 5000);
            window.goBack();
            compare(window.pages.depth, 1);
        }
    }
}
