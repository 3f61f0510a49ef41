// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/sessionsummary.h"
#include "models/pagecursor.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>

/// One user's sessions for a timeline, paged from GET /api/public/sessions. The times of each
/// session's traces (the timeline's marks) load lazily from GET /api/public/sessions/{id} for
/// the rows a view asks for (requestTraceTimes), a few requests at a time.
class SessionListModel : public QAbstractListModel
{
    Q_OBJECT
    /// A page request is in flight.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last page request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Sessions matching the query on the server (not just the rows loaded so far).
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    /// At least one answer (rows or error) has arrived for the current query.
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    /// The first trace of all loaded sessions (the shared time axis' start); invalid if none.
    Q_PROPERTY(QDateTime earliest READ earliest NOTIFY spanChanged)
    /// The last trace of all loaded sessions (the shared time axis' end); invalid if none.
    Q_PROPERTY(QDateTime latest READ latest NOTIFY spanChanged)
    /// The first row's trace times are known and no trace-time request is waiting or in
    /// flight: what a view asked for is drawn (true with no rows once loaded).
    Q_PROPERTY(bool traceTimesSettled READ traceTimesSettled NOTIFY traceTimesSettledChanged)

public:
    enum Role {
        SessionIdRole = Qt::UserRole + 1, ///< the session's id
        CreatedAtRole,                    ///< QDateTime
        FirstTraceAtRole,                 ///< QDateTime; createdAt when the server lacks it
        LastTraceAtRole,                  ///< QDateTime; firstTraceAt when the server lacks it
        FirstTraceMsRole,                 ///< firstTraceAt in ms since the epoch (timeline x)
        LastTraceMsRole,                  ///< lastTraceAt in ms since the epoch (timeline x)
        TraceCountRole,                   ///< qint64, null when the server lacks it
        TotalTokensRole,                  ///< qint64, null when the server lacks it
        TotalCostRole,                    ///< double (USD), null when the server lacks it
        EnvironmentRole,                  ///< string
        UserIdsRole,                      ///< QStringList
        TraceTimesRole,       ///< QVariantList of trace times in ms since the epoch, oldest
                              ///< first; empty until requestTraceTimes() has loaded them
        TraceTimesLoadedRole, ///< the trace times have arrived (false while unknown or failed)
        TimeTextRole,         ///< "3 h ago" (first trace), for people
        TimeToolTipRole,      ///< exact first and last trace times, for the tooltip
        DurationTextRole,     ///< "12 min" between first and last trace
        TraceCountTextRole,   ///< "1,234" or "–"
        TotalTokensTextRole,  ///< "12,345" or "–"
        TotalCostTextRole,    ///< "$0.37" or "–"
    };
    Q_ENUM(Role)

    explicit SessionListModel(QObject *parent = nullptr);

    /// The client to fetch from; setting it (re)loads the first page.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }

    /// Replaces the query (userId, range, environments, order) and reloads from page 1,
    /// cancelling page and trace-time requests; page and limit are ignored.
    void setQuery(const SessionsQuery &query);
    [[nodiscard]] const SessionsQuery &query() const { return m_query; }
    /// Drops all rows and trace times and loads page 1 of the current query again.
    Q_INVOKABLE void reload();

    /// Rows of the first request (1…100; default 50) and of later ones (1…100; default 100).
    void setPageSizes(int first, int bulk);
    /// Session detail requests in flight at once for trace times (default 3).
    void setMaxTraceTimeRequests(int count) { m_maxDetailRequests = std::max(1, count); }

    /// Loads the trace times of rows firstRow…lastRow (clamped) not loaded yet; the most
    /// recently requested rows go first. dataChanged(TraceTimesRole) as each arrives.
    Q_INVOKABLE void requestTraceTimes(int firstRow, int lastRow);
    /// Session detail requests in flight, and waiting.
    [[nodiscard]] int traceTimeRequestsInFlight() const { return int(m_inFlight.size()); }
    [[nodiscard]] int traceTimeRequestsQueued() const { return int(m_queue.size()); }
    /// Waiting detail requests kept; older ones (rows scrolled past) are dropped and asked
    /// for again when their rows are requested again.
    static constexpr int kMaxQueuedTraceTimes = 256;

    /// Appends one page as if it had come from the server (also the entry point for tests).
    void appendPage(const Page<SessionSummary> &page);
    /// Sets a session's trace times as if its detail had arrived (also for tests).
    void setTraceTimes(const QString &sessionId, const QList<QDateTime> &times);
    [[nodiscard]] const SessionSummary &session(int row) const { return m_rows.at(row).session; }
    [[nodiscard]] QList<qint64> traceTimes(int row) const { return m_rows.at(row).times; }

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] qint64 totalCount() const { return m_cursor.total(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] QDateTime earliest() const { return m_earliest; }
    [[nodiscard]] QDateTime latest() const { return m_latest; }
    [[nodiscard]] bool traceTimesSettled() const { return m_traceTimesSettled; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void loadingChanged();
    void errorStringChanged();
    void totalCountChanged();
    void loadedChanged();
    void queryChanged();
    void spanChanged();
    void traceTimesSettledChanged();

private:
    enum class Times { Unknown, Queued, Loading, Loaded, Failed };
    struct Row
    {
        SessionSummary session;
        QList<qint64> times; // ms since the epoch, oldest first
        Times state = Times::Unknown;
    };

    void requestNext();
    void pumpTraceTimes();
    void cancelTraceTimes();
    void traceTimesArrived(const QString &sessionId, const ApiResult<SessionDetail> &result);
    void setErrorString(const QString &error);
    void setLoaded(bool loaded);
    void setLoading(bool loading);
    void updateTraceTimesSettled();

    QPointer<ApiClient> m_client;
    SessionsQuery m_query;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf; // session id → row; rows only ever append
    RequestHandle m_request;
    PageCursor m_cursor{50, 100};
    QList<QString> m_queue;                   // session ids waiting for a detail request
    QHash<QString, RequestHandle> m_inFlight; // session id → its detail request
    int m_maxDetailRequests = 3;
    QDateTime m_earliest;
    QDateTime m_latest;
    bool m_loaded = false;
    bool m_traceTimesSettled = false;
    bool m_loading = false;
    QString m_errorString;
};
