// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the model tests: a seeded local server and its heaviest user.
#pragma once

#include "api/apiclient.h"
#include "tests/support/testserver.h"
#include "tests/support/waiter.h"

#include <QTest>

namespace ModelTestSupport {

/// Traces fall in the 90 days before this fixed time, so ranges in tests are deterministic.
inline QDateTime anchor()
{
    return QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
}

inline bool startServer(TestServer &server, QString *error, int users = 12, int traces = 1200)
{
    xeroml::server::DemoOptions demo;
    demo.users = users;
    demo.traces = traces;
    demo.seed = 11;
    demo.anchor = anchor();
    return server.start(demo, error);
}

inline Connection connection(const TestServer &server)
{
    Connection c;
    c.baseUrl = server.baseUrl();
    c.publicKey = server.credentials().publicKey;
    c.secretKey = server.credentials().secretKey;
    return c;
}

/// The users with the most traces, as the API ranks them (heaviest first).
inline QList<UserSummary> heaviestUsers(const TestServer &server, int count)
{
    ApiClient client;
    client.setConnection(connection(server));
    UsersQuery q;
    q.orderField = QStringLiteral("totalTraces");
    q.descending = true;
    q.limit = count;
    Waiter<Page<UserSummary>> waiter;
    client.users(q, &client, waiter.callback());
    if (!waiter.wait() || !waiter.ok())
        return {};
    return waiter.result->value().items;
}

/// Waits until the model has answered and nothing is in flight.
template<typename Model> bool waitLoaded(Model &model, int ms = 15000)
{
    return QTest::qWaitFor([&] { return model.loaded() && !model.loading(); }, ms);
}

} // namespace ModelTestSupport
