// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to api/: one logical request of ApiClient across its attempts, or a group of
// requests (the /users fallback) that succeeds or is cancelled as one.
#pragma once

#include "api/apiclient.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTimer>

class ApiCall : public QObject
{
public:
    ApiCall(ApiClient *client, QObject *context);

    /// Aborts the network work and every child; the callback never runs.
    void cancel();
    /// Ends the call without a callback and without touching the client (client teardown).
    void abandon();
    [[nodiscard]] bool isActive() const { return !m_finished; }
    /// Marks the call finished; true when its callback may run (not cancelled, context alive).
    [[nodiscard]] bool finish();
    /// A request whose cancellation follows this call's.
    void adopt(const RequestHandle &child) { m_children.append(child); }

    // State of a single HTTP request, driven by ApiClient.
    ApiClient::Spec spec;
    ApiClient::JsonCallback done;
    QPointer<QNetworkReply> reply;
    QTimer retryTimer;
    QTimer deadline;
    QElapsedTimer clock;
    int attempts = 0;
    qint64 waitedMs = 0;
    bool running = false;
    bool tooLarge = false;
    bool timedOut = false;

private:
    QPointer<ApiClient> m_client;
    QPointer<QObject> m_context;
    bool m_hasContext = false;
    bool m_finished = false;
    QList<RequestHandle> m_children;
};
