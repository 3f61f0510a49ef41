// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/exportjob.h"

#include "models/exportwriter.h"
#include "models/format.h"

#include <QDir>
#include <QMap>
#include <QSet>
#include <QTimer>

#include <cmath>

Q_LOGGING_CATEGORY(lcExport, "xeroml.export")

namespace {

constexpr int kUsersLimit = 1000;  // the API's maximum page size for /users
constexpr int kListLimit = 100;    // and for /traces, /sessions, /v2/scores
constexpr int kPagesInFlight = 3;  // the next pages travel while one is being written
constexpr int kRowsPerTurn = 2000; // selected rows written per event-loop turn

QString idOf(const UserSummary &u)
{
    return u.userId;
}
QString idOf(const TraceSummary &t)
{
    return t.id;
}
QString idOf(const SessionSummary &s)
{
    return s.id;
}
QString idOf(const Score &s)
{
    return s.id;
}

QString rowNoun(ExportTable table, qint64 count)
{
    const bool one = count == 1;
    switch (table) {
    case ExportTable::Users:
        return one ? QStringLiteral("user") : QStringLiteral("users");
    case ExportTable::Traces:
        return one ? QStringLiteral("trace") : QStringLiteral("traces");
    case ExportTable::Sessions:
        return one ? QStringLiteral("session") : QStringLiteral("sessions");
    case ExportTable::Scores:
        return one ? QStringLiteral("score") : QStringLiteral("scores");
    }
    return {};
}

} // namespace

/// State of an export that pages through the server.
struct ExportJob::Paging
{
    int limit = kListLimit;
    int nextRequest = 1; // the next page to ask for
    int nextWrite = 1;   // the next page to write
    int lastPage = -1;   // -1 until the first answer tells the total
    QMap<int, RequestHandle> inFlight;
    QMap<int, Source> arrived;  // pages that came before the one to write next
    QSet<QString> written;      // ids written: rows shifting between pages are written once
    QString note;               // said in the final message (a capped list)
    qsizetype selectedNext = 0; // setRows(): the next row to write
};

ExportJob::ExportJob(QObject *parent)
    : QObject(parent)
{}

ExportJob::~ExportJob()
{
    if (m_paging) {
        for (RequestHandle &h : m_paging->inFlight)
            h.cancel();
    }
    if (m_writer)
        m_writer->cancel();
}

void ExportJob::setRows(const QList<UserSummary> &rows)
{
    m_source = rows;
}
void ExportJob::setRows(const QList<TraceSummary> &rows)
{
    m_source = rows;
}
void ExportJob::setRows(const QList<SessionSummary> &rows)
{
    m_source = rows;
}
void ExportJob::setRows(const QList<Score> &rows)
{
    m_source = rows;
}
void ExportJob::setQuery(const UsersQuery &query)
{
    m_source = query;
}
void ExportJob::setQuery(const TracesQuery &query)
{
    m_source = query;
}
void ExportJob::setQuery(const SessionsQuery &query)
{
    m_source = query;
}
void ExportJob::setQuery(const ScoresQuery &query)
{
    m_source = query;
}

ExportTable ExportJob::table() const
{
    switch (m_source.index()) {
    case 0:
    case 4:
        return ExportTable::Users;
    case 1:
    case 5:
        return ExportTable::Traces;
    case 2:
    case 6:
        return ExportTable::Sessions;
    default:
        return ExportTable::Scores;
    }
}

double ExportJob::progress() const
{
    if (m_total < 0)
        return -1;
    if (m_total == 0)
        return m_running ? 0 : 1;
    return std::min(1.0, double(m_written) / double(m_total));
}

int ExportJob::secondsLeft() const
{
    if (!m_running || m_total < 0 || m_written <= 0 || !m_clock.isValid())
        return -1;
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    const double left =
        elapsed / double(m_written) * double(std::max<qint64>(0, m_total - m_written));
    return int(std::ceil(left));
}

void ExportJob::start()
{
    if (m_running)
        return;
    m_running = true;
    m_cancelled = false;
    m_errorString.clear();
    m_written = 0;
    m_total = -1;
    m_clock.start();
    const quint64 generation = ++m_generation;
    Q_EMIT runningChanged();
    Q_EMIT progressChanged();
    // finished() never comes from inside start(): callers connect and update first.
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation && m_running)
            run();
    });
}

void ExportJob::cancel()
{
    if (!m_running)
        return;
    qCInfo(lcExport) << "cancelled after" << m_written << "rows";
    m_cancelled = true;
    finish(false, tr("Export cancelled; no file was written."));
}

void ExportJob::run()
{
    const quint64 generation = m_generation;
    QString error;
    const std::optional<QList<ExportColumn>> columns =
        ExportColumns::select(table(), m_options.columns, &error);
    if (!columns)
        return finish(false, error);
    m_columns = *columns;
    if (m_options.path.isEmpty())
        return finish(false, tr("No file to export to was given."));
    const bool paged = m_source.index() >= 4;
    if (paged && !m_client)
        return finish(false, tr("Not connected to a server."));

    m_writer = ExportWriter::create(m_options.format, m_options.bom);
    QStringList headers;
    for (const ExportColumn &c : std::as_const(m_columns))
        headers.append(c.title);
    if (!m_writer->open(m_options.path, headers))
        return finish(false, m_writer->errorString());

    m_paging = std::make_unique<Paging>();
    qCInfo(lcExport) << "exporting" << ExportColumns::tableName(table()) << "as"
                     << ExportColumns::formatName(m_options.format) << "to" << m_options.path;
    if (!paged) {
        const qsizetype count = std::visit(
            [](const auto &s) -> qsizetype {
                if constexpr (requires { s.size(); })
                    return s.size();
                else
                    return 0;
            },
            m_source);
        setProgress(0, count);
        if (generation != m_generation)
            return;            // cancelled by a slot of progressChanged
        return requestPages(); // writes the selection in slices
    }
    m_paging->limit = table() == ExportTable::Users ? kUsersLimit : kListLimit;
    requestPages();
}

void ExportJob::requestPages()
{
    if (!m_running || !m_paging)
        return;
    Paging &p = *m_paging;
    const quint64 generation = m_generation;

    if (m_source.index() < 4) {
        // The selection: a slice per event-loop turn, so progress shows and Cancel works.
        const bool ok = std::visit(
            [this, &p](const auto &s) -> bool {
                if constexpr (requires { s.mid(0, 1); }) {
                    const auto slice = s.mid(p.selectedNext, kRowsPerTurn);
                    p.selectedNext += slice.size();
                    return writeItems(slice);
                } else {
                    return false;
                }
            },
            m_source);
        if (generation != m_generation)
            return; // cancelled by a slot of progressChanged: p is gone
        if (!ok)
            return finish(false, m_writer->errorString());
        const qsizetype count = m_total;
        if (p.selectedNext >= count)
            return finish(true, {});
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                requestPages();
        });
        return;
    }

    while (p.inFlight.size() < kPagesInFlight &&
           (p.lastPage < 0 ? p.nextRequest == 1 : p.nextRequest <= p.lastPage)) {
        const int page = p.nextRequest++;
        RequestHandle handle = std::visit(
            [this, page, &p](const auto &s) -> RequestHandle {
                using S = std::decay_t<decltype(s)>;
                auto q = s;
                if constexpr (std::is_same_v<S, UsersQuery>) {
                    q.page = page;
                    q.limit = p.limit;
                    return m_client->users(q, this,
                                           [this, page](const ApiResult<Page<UserSummary>> &r) {
                                               pageArrived(page, r);
                                           });
                } else if constexpr (std::is_same_v<S, TracesQuery>) {
                    q.page = page;
                    q.limit = p.limit;
                    if (q.fields.isEmpty())
                        q.fields = {QStringLiteral("core")}; // no input/output: not exported
                    return m_client->traces(q, this,
                                            [this, page](const ApiResult<Page<TraceSummary>> &r) {
                                                pageArrived(page, r);
                                            });
                } else if constexpr (std::is_same_v<S, SessionsQuery>) {
                    q.page = page;
                    q.limit = p.limit;
                    return m_client->sessions(
                        q, this, [this, page](const ApiResult<Page<SessionSummary>> &r) {
                            pageArrived(page, r);
                        });
                } else if constexpr (std::is_same_v<S, ScoresQuery>) {
                    q.page = page;
                    q.limit = p.limit;
                    return m_client->scores(q, this, [this, page](const ApiResult<Page<Score>> &r) {
                        pageArrived(page, r);
                    });
                } else {
                    return {};
                }
            },
            m_source);
        if (!m_running)
            return; // the client answered synchronously with an error
        p.inFlight.insert(page, handle);
    }
}

template<typename T> void ExportJob::pageArrived(int page, const ApiResult<Page<T>> &result)
{
    if (!m_running || !m_paging)
        return;
    // Slots of progressChanged may cancel (finish() drops the paging state): after every
    // emission, check that this run still goes on before touching p again.
    const quint64 generation = m_generation;
    Paging &p = *m_paging;
    p.inFlight.remove(page);
    if (!result.ok()) {
        qCWarning(lcExport) << "page" << page << "failed:" << result.error().message;
        QString reason = result.error().message;
        if (!reason.endsWith(QLatin1Char('.')))
            reason += QLatin1Char('.');
        if (m_total < 0)
            return finish(false, tr("Export failed: %1 No file was written.").arg(reason));
        return finish(false, tr("Export failed after %1 of %2 rows: %3 No file was written.")
                                 .arg(Format::count(m_written), Format::count(m_total), reason));
    }
    const Page<T> &received = result.value();
    if (p.lastPage < 0) {
        const qint64 total = received.meta.totalItems;
        p.lastPage = std::max<int>(1, int((total + p.limit - 1) / p.limit));
        if (received.meta.capped) {
            // The server has no /users: the Metrics fallback lists the top 1000 only.
            p.lastPage = 1;
            p.note = tr(" The server lists only the top %1 users by %2 (it has no /users "
                        "endpoint).")
                         .arg(Format::count(received.items.size()), received.meta.orderedBy);
            setProgress(m_written, received.items.size());
        } else {
            setProgress(m_written, total);
        }
        if (generation != m_generation)
            return;
    }
    if (received.items.isEmpty() && page <= p.lastPage)
        p.lastPage = page - 1; // rows vanished meanwhile: the list ends here
    p.arrived.insert(page, received.items);

    while (p.arrived.contains(p.nextWrite)) {
        const Source items = p.arrived.take(p.nextWrite++);
        const bool written = writeItems(std::get<QList<T>>(items));
        if (generation != m_generation)
            return;
        if (!written)
            return finish(false, m_writer->errorString());
    }
    if (p.nextWrite > p.lastPage)
        return finish(true, p.note);
    requestPages();
}

template<typename T> bool ExportJob::writeItems(const QList<T> &items)
{
    Paging &p = *m_paging;
    QList<T> fresh;
    fresh.reserve(items.size());
    for (const T &item : items) {
        const QString id = idOf(item);
        if (p.written.contains(id))
            continue;
        p.written.insert(id);
        fresh.append(item);
    }
    const QList<QVariantList> rows = ExportColumns::rows(fresh, m_columns);
    for (const QVariantList &row : rows) {
        if (!m_writer->writeRow(row))
            return false;
    }
    setProgress(m_written + rows.size(), m_total);
    return true;
}

void ExportJob::setProgress(qint64 written, qint64 total)
{
    if (written == m_written && total == m_total)
        return;
    m_written = written;
    m_total = total;
    Q_EMIT progressChanged();
}

void ExportJob::finish(bool ok, const QString &message)
{
    if (!m_running)
        return;
    ++m_generation; // queued slices of this run are dropped
    if (m_paging) {
        for (RequestHandle &h : m_paging->inFlight)
            h.cancel();
    }
    QString text = message;
    if (ok && m_writer && !m_writer->commit()) {
        ok = false;
        text = m_writer->errorString();
    } else if (!ok && m_writer) {
        m_writer->cancel();
    }
    if (ok) {
        text = tr("Exported %1 %2 to %3.%4")
                   .arg(Format::count(m_written), rowNoun(table(), m_written),
                        QDir::toNativeSeparators(m_options.path), message);
        if (m_total != m_written) {
            m_total = m_written; // rows moved or vanished while paging
            Q_EMIT progressChanged();
        }
        qCInfo(lcExport) << "exported" << m_written << "rows in" << m_clock.elapsed() << "ms";
    } else if (!m_cancelled) {
        qCWarning(lcExport) << "export failed:" << text;
    }
    m_writer.reset();
    m_paging.reset();
    m_running = false;
    m_errorString = ok ? QString() : text;
    Q_EMIT runningChanged();
    Q_EMIT finished(ok, text);
}
