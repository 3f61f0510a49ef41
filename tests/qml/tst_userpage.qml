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
    }
}
