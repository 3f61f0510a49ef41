// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "models/exportcolumns.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QPointer>

#include <memory>
#include <variant>

Q_DECLARE_LOGGING_CATEGORY(lcExport)

class ExportWriter;

/// What an export writes and where.
struct ExportOptions
{
    ExportFormat format = ExportFormat::Csv;
    QString path;        ///< the target file; replaced atomically when the export succeeds
    QStringList columns; ///< column ids in file order (ExportColumns); empty = the defaults
    bool bom = false;    ///< CSV/TSV: a UTF-8 byte order mark first (for Excel)
};

/// One export: either rows the caller already has (a selection) or every row matching a query,
/// paged through the server (users 1000 rows per request, the others 100), written as they
/// arrive. Reports progress and an estimate of the time left; cancel() stops it and leaves no
/// file. finished() comes exactly once per start(), never from inside start().
class ExportJob : public QObject
{
    Q_OBJECT
    /// Between start() and finished().
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    /// Data rows written so far.
    Q_PROPERTY(qint64 rowsWritten READ rowsWritten NOTIFY progressChanged)
    /// Rows the export will write (the server's meta.totalItems); -1 until known.
    Q_PROPERTY(qint64 totalRows READ totalRows NOTIFY progressChanged)
    /// rowsWritten / totalRows in 0…1; -1 while unknown.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    /// Estimated seconds left from the rate so far; -1 while unknown.
    Q_PROPERTY(int secondsLeft READ secondsLeft NOTIFY progressChanged)
    /// The last run's failure for people; empty after success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY runningChanged)

public:
    explicit ExportJob(QObject *parent = nullptr);
    /// A running export is cancelled (no file, no finished()).
    ~ExportJob() override;

    /// The client for exports of all matching rows (not needed for setRows()).
    void setClient(ApiClient *client) { m_client = client; }
    [[nodiscard]] ApiClient *client() const { return m_client; }

    void setOptions(const ExportOptions &options) { m_options = options; }
    [[nodiscard]] const ExportOptions &options() const { return m_options; }

    /// Exports exactly these rows (the selection, in the table's order).
    void setRows(const QList<UserSummary> &rows);
    void setRows(const QList<TraceSummary> &rows);
    void setRows(const QList<SessionSummary> &rows);
    void setRows(const QList<Score> &rows);
    /// Exports every row matching the query (as the table uses it: order, search, range,
    /// environments, userId…); page and limit are the export's own.
    void setQuery(const UsersQuery &query);
    void setQuery(const TracesQuery &query);
    void setQuery(const SessionsQuery &query);
    void setQuery(const ScoresQuery &query);

    /// The table of the last setRows()/setQuery().
    [[nodiscard]] ExportTable table() const;

    /// Starts writing; problems (bad column id, unwritable path, no client) come as
    /// finished(false, message). Ignored while running.
    Q_INVOKABLE void start();
    /// Stops: the request in flight is aborted, the partial file removed, and
    /// finished(false, "Export cancelled.") follows.
    Q_INVOKABLE void cancel();

    [[nodiscard]] bool running() const { return m_running; }
    [[nodiscard]] qint64 rowsWritten() const { return m_written; }
    [[nodiscard]] qint64 totalRows() const { return m_total; }
    [[nodiscard]] double progress() const;
    [[nodiscard]] int secondsLeft() const;
    [[nodiscard]] QString errorString() const { return m_errorString; }

Q_SIGNALS:
    void runningChanged();
    void progressChanged();
    /// ok: the file is complete at options().path; message says what was written (or why
    /// not), for people.
    void finished(bool ok, const QString &message);

private:
    struct Paging;
    using Source = std::variant<QList<UserSummary>, QList<TraceSummary>, QList<SessionSummary>,
                                QList<Score>, UsersQuery, TracesQuery, SessionsQuery, ScoresQuery>;

    void run();
    void requestPages();
    template<typename T> void pageArrived(int page, const ApiResult<Page<T>> &result);
    template<typename T> bool writeItems(const QList<T> &items);
    void finish(bool ok, const QString &message);
    void setProgress(qint64 written, qint64 total);

    QPointer<ApiClient> m_client;
    ExportOptions m_options;
    Source m_source;
    QList<ExportColumn> m_columns;
    std::unique_ptr<ExportWriter> m_writer;
    std::unique_ptr<Paging> m_paging;
    QElapsedTimer m_clock;
    qint64 m_written = 0;
    qint64 m_total = -1;
    bool m_running = false;
    bool m_cancelled = false;
    quint64 m_generation = 0; // bumps per start()/cancel(): queued work of an old run is dropped
    QString m_errorString;
};
