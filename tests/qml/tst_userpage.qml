// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import XeroML.Dashboard

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
    Component {
        id: tracePage
        TracePage {
            anchors.fill: parent
        }
    }
    Component {
        id: sessionPage
        SessionPage {
            anchors.fill: parent
        }
    }
    SignalSpy {
        id: sessionSpy
        signalName: "sessionRequested"
    }

    TestCase {
        name: "UserPage"
        when: windowShown

        property string heaviest: ""

        function initTestCase() {
            tryVerify(() => users.loaded && !users.loading, 10000);
            if (users.sortColumn !== 1 || !users.sortDescending) {
                users.sortBy(1);
                if (!users.sortDescending)
                    users.sortBy(1);
            }
            tryVerify(() => users.loaded && !users.loading && users.sortColumn === 1 && users.sortDescending, 10000);
            heaviest = users.userIdAt(0);
            verify(heaviest.length > 0);
        }

        function openHeaviest(tab) {
            const page = createTemporaryObject(userPage, root, { userId: heaviest, options: { tab: tab } });
            tryVerify(() => page.controller.loaded && !page.controller.loading && page.controller.dailyLoaded, 10000);
            return page;
        }

        function test_1_headerMatchesTheList() {
            const page = openHeaviest("overview");
            compare(page.controller.errorString, "");
            compare(page.figures.userId, heaviest);
            compare(page.tabName, "overview");
            // All time on both pages: the same figures as the users table's first row.
            compare(page.figures.totalTraces, users.model.data(users.model.index(0, 1)));
            compare(page.figures.totalCost, users.model.data(users.model.index(0, 7)));
            verify(page.controller.dayLabels.length >= 90, "a continuous axis of days");
            compare(page.controller.dayLabels.length, page.controller.dayTraces.length);
            verify(page.controller.modelNames.length > 1, "a heavy user has used several models");
            tryVerify(() => !page.controller.scoreDistribution.loading, 10000);
            const series = page.controller.scoreDistribution.series;
            verify(series.length > 0);
            let sum = 0;
            for (let i = 0; i < series[0].counts.length; ++i)
                sum += series[0].counts[i];
            compare(sum, series[0].count, "every score falls in exactly one bucket");
            wait(300);
            grabImage(page).save("userpage-overview.png");
        }

        function test_2_tracesTab() {
            const page = openHeaviest("traces");
            compare(page.tabs.currentIndex, 1);
            const traces = page.controller.traces;
            tryVerify(() => traces.loaded && !traces.loading && traces.rowCount() > 0, 10000);
            // Newest first by default.
            verify(traces.data(traces.index(0, 0), Qt.UserRole + 1) >= traces.data(traces.index(1, 0), Qt.UserRole + 1));
            page.controller.sortTracesBy(7); // cost, most expensive first
            tryVerify(() => traces.loaded && !traces.loading && page.controller.traceSortColumn === 7, 10000);
            verify(page.controller.traceSortDescending);
            for (let row = 1; row < Math.min(50, traces.rowCount()); ++row)
                verify(traces.data(traces.index(row - 1, 7), Qt.UserRole + 1) >= traces.data(traces.index(row, 7), Qt.UserRole + 1));
            page.controller.sortTracesBy(9); // tags: not sortable, nothing changes
            compare(page.controller.traceSortColumn, 7);
            wait(300);
            grabImage(page).save("userpage-traces.png");
        }

        function test_3_sessionsTimeline() {
            const page = openHeaviest("sessions");
            compare(page.tabName, "sessions");
            const sessions = page.controller.sessions;
            tryVerify(() => sessions.loaded && !sessions.loading && sessions.rowCount() > 0, 10000);
            compare(page.controller.sessionTotal, Number(page.figures.totalSessions.replace(/,/g, "")),
                    "the timeline lists every session the header counts");
            verify(page.controller.axisFrom < page.controller.axisTo);
            // The rows in view get their trace marks.
            tryVerify(() => sessions.data(sessions.index(0, 0), Qt.UserRole + 13) === true, 10000);
            sessionSpy.target = page;
            sessionSpy.clear();
            const timeline = findChild(page, "sessionTimeline");
            verify(timeline !== null);
            mouseClick(timeline, 300, 10);
            compare(sessionSpy.count, 1);
            compare(sessionSpy.signalArguments[0][0], sessions.data(sessions.index(0, 0), Qt.UserRole + 1));
            wait(300);
            grabImage(page).save("userpage-sessions.png");
        }

        function test_4_feedback() {
            const page = openHeaviest("feedback");
            const scores = page.controller.scores;
            tryVerify(() => scores.loaded && !scores.loading && scores.rowCount() > 0, 10000);
            const all = page.controller.scoreTotal;
            page.controller.scoreDataType = "BOOLEAN";
            tryVerify(() => scores.loaded && !scores.loading && page.controller.scoreTotal < all, 10000);
            for (let row = 0; row < scores.rowCount(); ++row)
                compare(scores.data(scores.index(row, 0), Qt.UserRole + 5), "BOOLEAN");
            page.controller.scoreDataType = "";
            tryVerify(() => scores.loaded && page.controller.scoreTotal === all, 10000);
            wait(300);
            grabImage(page).save("userpage-feedback.png");
        }

        function test_5_traceAndSessionPages() {
            const list = openHeaviest("traces");
            const traces = list.controller.traces;
            tryVerify(() => traces.loaded && traces.rowCount() > 0, 10000);
            const traceId = list.controller.traceIdAt(0);
            const page = createTemporaryObject(tracePage, root, { traceId: traceId });
            tryVerify(() => page.controller.loaded, 10000);
            compare(page.controller.errorString, "");
            verify(page.controller.tree.rowCount() > 0, "the trace has observations");
            compare(page.controller.detail.type, "TRACE");
            verify(String(page.controller.detail.input).length > 0, "the trace's input is shown");
            page.controller.pick(page.controller.tree.index(0, 0));
            verify(page.controller.detail.type !== "TRACE");
            wait(300);
            grabImage(page).save("tracepage.png");

            const sessionId = page.controller.summary.sessionId;
            if (sessionId.length > 0) {
                const session = createTemporaryObject(sessionPage, root, { sessionId: sessionId });
                tryVerify(() => session.controller.traces.loaded && session.controller.traceTotal > 0, 10000);
                let found = false;
                for (let row = 0; row < session.controller.traces.rowCount(); ++row)
                    found = found || session.controller.traceIdAt(row) === traceId;
                verify(found, "the session lists the trace we came from");
                grabImage(session).save("sessionpage.png");
            }
        }
    }
}
