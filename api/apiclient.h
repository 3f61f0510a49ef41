// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apierror.h"
#include "api/connection.h"
#include "api/dailymetrics.h"
#include "api/metricsquery.h"
#include "api/page.h"
#include "api/project.h"
#include "api/score.h"
#include "api/sessionsummary.h"
#include "api/tracedetail.h"
#include "api/tracesummary.h"
#include "api/usercosthistogram.h"
#include "api/usersquery.h"
#include "api/usersummary.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QList>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>

#include <QNetworkReply>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

class ApiCall;
struct UsersFallbackCache;

/// A request in flight (queued, on the wire or waiting to retry). cancel() aborts it and
/// guarantees its callback never runs, so a reply that arrives after the query changed
/// cannot touch a model.
class RequestHandle
{
public:
    RequestHandle() = default;
    explicit RequestHandle(QNetworkReply *reply);
    explicit RequestHandle(ApiCall *call);

    void cancel();
    [[nodiscard]] bool isActive() const;

private:
    QPointer<QObject> m_request;
};

/// When and how often a failed GET is tried again: 429, 502, 503, 504 and broken
/// connections, with exponential backoff and jitter, honouring Retry-After.
struct RetryPolicy
{
    int maxAttempts = 4;                            ///< the first try included; 1 = no retries
    std::chrono::milliseconds baseDelay{400};       ///< the first wait, doubled for each retry
    std::chrono::milliseconds maxDelay{8000};       ///< cap on one wait (backoff or Retry-After)
    std::chrono::milliseconds maxTotalDelay{20000}; ///< cap on all waits of one request
};

/// The only code that speaks HTTP to a XeroML (or Langfuse-shaped) server: builds
/// authenticated requests, handles every reply in one place (status, errors, size cap,
/// retries, decoding) and hands typed results to callbacks. Callbacks run in the client's
/// thread and are dropped when their context object is gone or the request was cancelled.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(const ApiResult<T> &)>;

    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setConnection(const Connection &connection);
    [[nodiscard]] const Connection &connection() const { return m_connection; }

    /// Time one attempt may take, from sending the request to the last byte of the answer.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }
    void setRetryPolicy(const RetryPolicy &policy) { m_retry = policy; }
    [[nodiscard]] const RetryPolicy &retryPolicy() const { return m_retry; }
    /// Requests on the wire at once; the rest wait in a queue (first come, first served).
    void setMaxConcurrentRequests(int count);
    [[nodiscard]] int maxConcurrentRequests() const { return m_maxConcurrent; }
    /// Requests on the wire now, and waiting for a free slot now.
    [[nodiscard]] int runningRequests() const { return m_running; }
    [[nodiscard]] int queuedRequests() const { return int(m_queue.size()); }

    /// GET /api/public/health: the server's version.
    RequestHandle health(QObject *context, Callback<QString> done);
    /// GET /api/public/projects: the project(s) of the key pair.
    RequestHandle projects(QObject *context, Callback<QList<Project>> done);
    /// GET /api/public/users: one page of per-user aggregates. A server without the
    /// endpoint (404) gets the Metrics fallback of API.md: meta.capped and meta.orderedBy set.
    RequestHandle users(const UsersQuery &query, QObject *context,
                        std::function<void(const ApiResult<Page<UserSummary>> &)> done);
    /// GET /api/public/users/{userId}; NotFound when the user has no trace in range.
    RequestHandle user(const QString &userId, const UserScope &scope, QObject *context,
                       Callback<UserSummary> done);
    /// GET /api/public/traces.
    RequestHandle traces(const TracesQuery &query, QObject *context,
                         Callback<Page<TraceSummary>> done);
    /// GET /api/public/traces/{traceId}: with observations and scores.
    RequestHandle trace(const QString &traceId, QObject *context, Callback<TraceDetail> done);
    /// GET /api/public/sessions.
    RequestHandle sessions(const SessionsQuery &query, QObject *context,
                           Callback<Page<SessionSummary>> done);
    /// GET /api/public/sessions/{sessionId}: with its traces.
    RequestHandle session(const QString &sessionId, QObject *context, Callback<SessionDetail> done);
    /// GET /api/public/v2/scores.
    RequestHandle scores(const ScoresQuery &query, QObject *context, Callback<Page<Score>> done);
    /// GET /api/public/metrics/daily: newest day first.
    RequestHandle dailyMetrics(const DailyMetricsQuery &query, QObject *context,
                               Callback<Page<DailyMetrics>> done);
    /// GET /api/public/metrics?query=…: one row per dimension combination (one totals row
    /// without dimensions).
    RequestHandle metrics(const MetricsQuery &query, QObject *context,
                          Callback<QList<MetricsRow>> done);
    /// GET /api/public/metrics/user-cost-histogram [XR]: users per cost decade for the
    /// filter of a /users query (its page and order are ignored). NotFound from servers
    /// without the endpoint (Langfuse): there is no fallback, callers hide the chart.
    RequestHandle userCostHistogram(const UsersQuery &filter, QObject *context,
                                    Callback<UserCostHistogram> done);
    /// POST /api/public/scores: the new score's id. Never retried (not idempotent).
    RequestHandle createScore(const ScoreInput &score, QObject *context, Callback<QString> done);

    /// True once /api/public/users answered 404 on this connection (users() then uses the
    /// Metrics fallback directly).
    [[nodiscard]] bool usersEndpointMissing() const { return m_usersMissing; }

    /// The User-Agent sent with every request.
    [[nodiscard]] static QString userAgent();

Q_SIGNALS:
    void connectionChanged();

private:
    friend class ApiCall;
    using JsonCallback = std::function<void(const ApiResult<QJsonDocument> &)>;
    struct Spec
    {
        QByteArray verb; // GET or POST
        QString path;    // percent-encoded, from /api/public/…
        QUrlQuery query;
        QByteArray body;
    };

    RequestHandle send(Spec spec, QObject *context, JsonCallback done);
    RequestHandle getJson(const QString &path, const QUrlQuery &query, QObject *context,
                          JsonCallback done);
    void enqueue(ApiCall *call);
    void start(ApiCall *call);
    void attemptFinished(ApiCall *call);
    void release(ApiCall *call);
    void pump();
    RequestHandle usersFallback(const UsersQuery &query, QObject *context,
                                std::function<void(const ApiResult<Page<UserSummary>> &)> done);

    QNetworkAccessManager m_network;
    Connection m_connection;
    std::chrono::milliseconds m_timeout{30000};
    qint64 m_maxResponseBytes = 64 * 1024 * 1024;
    RetryPolicy m_retry;
    int m_maxConcurrent = 6;
    int m_running = 0;
    QList<QPointer<ApiCall>> m_queue;
    bool m_usersMissing = false;
    std::shared_ptr<UsersFallbackCache> m_fallbackCache;
};
