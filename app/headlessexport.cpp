// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/headlessexport.h"

#include "app/embeddedserver.h"
#include "models/format.h"
#include "models/tracelistmodel.h"
#include "models/userlistmodel.h"
#include "views/connectionstore.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>
#include <cstring>
#include <memory>

#include <unistd.h>

namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

void printError(const QString &message)
{
    std::fprintf(stderr, "xeroml-dashboard: %s\n", qPrintable(message));
}

// An ISO 8601 date or date-time; without an offset it is UTC.
std::optional<QDateTime> parseTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        t = QDateTime(d, QTime(0, 0), Qt::UTC);
    }
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toUTC();
}

struct Order
{
    QString field;
    bool descending = true;
};

std::optional<Order> parseOrder(const QString &text)
{
    const qsizetype dot = text.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        return std::nullopt;
    const QString direction = text.mid(dot + 1);
    if (direction != QLatin1String("asc") && direction != QLatin1String("desc"))
        return std::nullopt;
    return Order{text.left(dot), direction == QLatin1String("desc")};
}

bool stderrIsTty()
{
    return isatty(fileno(stderr)) != 0;
}

} // namespace

namespace HeadlessExport {

bool requested(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0)
            return false;
        if (std::strcmp(argv[i], "--export") == 0 || std::strncmp(argv[i], "--export=", 9) == 0)
            return true;
    }
    return false;
}

std::optional<Request> parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    const QCommandLineOption exportOption(QStringLiteral("export"),
                                          QStringLiteral("Export a table: users, traces, "
                                                         "sessions or scores."),
                                          QStringLiteral("TABLE"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("csv, tsv, json, jsonl or xlsx (default: the "
                                                   "output file's suffix)."),
                                    QStringLiteral("FORMAT"));
    const QCommandLineOption output(QStringLiteral("output"),
                                    QStringLiteral("The file to write (replaced atomically)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption user(QStringLiteral("user"),
                                  QStringLiteral("The user whose traces, sessions or scores to "
                                                 "export."),
                                  QStringLiteral("ID"));
    const QCommandLineOption from(QStringLiteral("from"),
                                  QStringLiteral("Start of the time range (ISO 8601, inclusive; "
                                                 "UTC unless an offset is given)."),
                                  QStringLiteral("ISO"));
    const QCommandLineOption to(QStringLiteral("to"),
                                QStringLiteral("End of the time range (ISO 8601, exclusive)."),
                                QStringLiteral("ISO"));
    const QCommandLineOption search(QStringLiteral("search"),
                                    QStringLiteral("Users: text the user id contains; traces: "
                                                   "the trace name."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption environment(QStringLiteral("environment"),
                                         QStringLiteral("Only this environment (repeatable)."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption orderBy(QStringLiteral("order-by"),
                                     QStringLiteral("FIELD.asc or FIELD.desc, as the table's "
                                                    "sort (users, traces, sessions)."),
                                     QStringLiteral("FIELD.DIR"));
    const QCommandLineOption columns(QStringLiteral("columns"),
                                     QStringLiteral("Column ids in file order, comma-separated "
                                                    "(default: the table's visible columns)."),
                                     QStringLiteral("IDS"));
    const QCommandLineOption allColumns(QStringLiteral("all-columns"),
                                        QStringLiteral("Every column of the table."));
    const QCommandLineOption bom(QStringLiteral("bom"),
                                 QStringLiteral("CSV/TSV: start with a UTF-8 byte order mark "
                                                "(for Excel)."));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"),
                                     QStringLiteral("Server to read from (secret key from the "
                                                    "environment variable XEROML_SECRET_KEY)."),
                                     QStringLiteral("URL"));
    const QCommandLineOption publicKey(QStringLiteral("public-key"),
                                       QStringLiteral("Public key (pk-…) for --base-url."),
                                       QStringLiteral("PK"));
    const QCommandLineOption connection(QStringLiteral("connection"),
                                        QStringLiteral("A saved connection (see Settings)."),
                                        QStringLiteral("NAME"));
    parser.addOptions({exportOption, format, output, user, from, to, search, environment, orderBy,
                       columns, allColumns, bom, baseUrl, publicKey, connection});

    const auto fail = [error](const QString &message) {
        *error = message;
        return std::nullopt;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\" with --export")
                        .arg(parser.positionalArguments().constFirst()));

    Request r;
    const std::optional<ExportTable> table =
        ExportColumns::tableFromName(parser.value(exportOption));
    if (!table)
        return fail(QStringLiteral("--export takes users, traces, sessions or scores, not \"%1\"")
                        .arg(parser.value(exportOption)));
    r.table = *table;

    if (!parser.isSet(output) || parser.value(output).isEmpty())
        return fail(QStringLiteral("--output FILE is missing"));
    r.options.path = QFileInfo(parser.value(output)).absoluteFilePath();
    const QString formatName = parser.isSet(format)
                                   ? parser.value(format)
                                   : QFileInfo(parser.value(output)).suffix().toLower();
    const std::optional<ExportFormat> f = ExportColumns::formatFromName(formatName);
    if (!f)
        return fail(parser.isSet(format)
                        ? QStringLiteral("--format takes csv, tsv, json, jsonl or xlsx, not "
                                         "\"%1\"")
                              .arg(formatName)
                        : QStringLiteral("--format is missing (csv, tsv, json, jsonl or xlsx)"));
    r.options.format = *f;
    r.options.bom = parser.isSet(bom);
    if (r.options.bom && *f != ExportFormat::Csv && *f != ExportFormat::Tsv)
        return fail(QStringLiteral("--bom applies to csv and tsv only"));

    if (parser.isSet(columns) && parser.isSet(allColumns))
        return fail(QStringLiteral("--columns and --all-columns exclude each other"));
    if (parser.isSet(allColumns)) {
        for (const ExportColumn &c : ExportColumns::all(r.table))
            r.options.columns.append(c.id);
    } else if (parser.isSet(columns)) {
        for (const QString &id : parser.value(columns).split(QLatin1Char(',')))
            r.options.columns.append(id.trimmed());
        QString columnError;
        if (!ExportColumns::select(r.table, r.options.columns, &columnError))
            return fail(columnError);
    }

    QDateTime fromTime;
    QDateTime toTime;
    if (parser.isSet(from)) {
        const auto t = parseTime(parser.value(from));
        if (!t)
            return fail(QStringLiteral("--from \"%1\" is not an ISO 8601 date or time")
                            .arg(parser.value(from)));
        fromTime = *t;
    }
    if (parser.isSet(to)) {
        const auto t = parseTime(parser.value(to));
        if (!t)
            return fail(QStringLiteral("--to \"%1\" is not an ISO 8601 date or time")
                            .arg(parser.value(to)));
        toTime = *t;
    }
    if (fromTime.isValid() && toTime.isValid() && fromTime >= toTime)
        return fail(QStringLiteral("--from must be before --to"));

    const QString userId = parser.value(user);
    if (r.table == ExportTable::Users && parser.isSet(user))
        return fail(QStringLiteral("--user applies to traces, sessions and scores; for users "
                                   "use --search"));
    if (r.table != ExportTable::Users && userId.isEmpty())
        return fail(
            QStringLiteral("--export %1 needs --user ID").arg(ExportColumns::tableName(r.table)));
    if (parser.isSet(search) &&
        (r.table == ExportTable::Sessions || r.table == ExportTable::Scores))
        return fail(QStringLiteral("--search applies to users and traces"));

    std::optional<Order> order;
    if (parser.isSet(orderBy)) {
        order = parseOrder(parser.value(orderBy));
        if (!order)
            return fail(QStringLiteral("--order-by takes FIELD.asc or FIELD.desc, not \"%1\"")
                            .arg(parser.value(orderBy)));
    }
    const QStringList environments = parser.values(environment);

    switch (r.table) {
    case ExportTable::Users: {
        UsersQuery q;
        q.search = parser.value(search);
        q.from = fromTime;
        q.to = toTime;
        q.environments = environments;
        if (order) {
            if (UserListModel::columnForOrderField(order->field) < 0)
                return fail(QStringLiteral("users cannot be ordered by \"%1\"").arg(order->field));
            q.orderField = order->field;
            q.descending = order->descending;
        }
        r.query = q;
        break;
    }
    case ExportTable::Traces: {
        TracesQuery q;
        q.userId = userId;
        q.name = parser.value(search);
        q.from = fromTime;
        q.to = toTime;
        q.environments = environments;
        q.fields = {QStringLiteral("core")};
        if (order) {
            if (TraceListModel::orderField(TraceListModel::columnForOrderField(order->field))
                    .isEmpty())
                return fail(QStringLiteral("traces cannot be ordered by \"%1\"").arg(order->field));
            q.orderField = order->field;
            q.descending = order->descending;
        }
        r.query = q;
        break;
    }
    case ExportTable::Sessions: {
        // As the sessions tab lists them: newest first.
        SessionsQuery q;
        q.userId = userId;
        q.from = fromTime;
        q.to = toTime;
        q.environments = environments;
        q.orderField = QStringLiteral("firstTraceAt");
        q.descending = true;
        if (order) {
            q.orderField = order->field; // the server names the fields it accepts
            q.descending = order->descending;
        }
        r.query = q;
        break;
    }
    case ExportTable::Scores: {
        if (order)
            return fail(QStringLiteral("--order-by does not apply to scores (newest first)"));
        ScoresQuery q;
        q.userId = userId;
        q.from = fromTime;
        q.to = toTime;
        q.environments = environments;
        r.query = q;
        break;
    }
    }

    if (parser.isSet(connection) && (parser.isSet(baseUrl) || parser.isSet(publicKey)))
        return fail(QStringLiteral("--connection and --base-url exclude each other"));
    if (parser.isSet(baseUrl) || parser.isSet(publicKey)) {
        if (!parser.isSet(baseUrl) || !parser.isSet(publicKey))
            return fail(QStringLiteral("--base-url and --public-key go together"));
        const QUrl url = QUrl::fromUserInput(parser.value(baseUrl));
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
            return fail(QStringLiteral("--base-url must be an http:// or https:// URL"));
        r.baseUrl = url.adjusted(QUrl::StripTrailingSlash);
        r.publicKey = parser.value(publicKey);
    }
    r.connection = parser.value(connection);
    return r;
}

namespace {

// Finds the connection, runs the job, reports progress on a terminal, quits with the code.
class Runner : public QObject
{
public:
    explicit Runner(Request request)
        : m_request(std::move(request))
    {
        m_job.setClient(&m_client);
        m_job.setOptions(m_request.options);
        std::visit([this](const auto &q) { m_job.setQuery(q); }, m_request.query);
        connect(&m_job, &ExportJob::progressChanged, this, &Runner::showProgress);
        connect(&m_job, &ExportJob::finished, this, [this](bool ok, const QString &message) {
            if (m_progressShown)
                std::fputs("\n", stderr);
            if (ok)
                std::fprintf(stdout, "%s\n", qPrintable(message));
            else
                printError(message);
            QCoreApplication::exit(ok ? 0 : kFailure);
        });
    }

    // Returns an exit code right away, or -1 when the event loop must run.
    int start()
    {
        if (!m_request.baseUrl.isEmpty()) {
            const QString secret = qEnvironmentVariable("XEROML_SECRET_KEY");
            if (secret.isEmpty()) {
                printError(QStringLiteral("set the secret key in the environment variable "
                                          "XEROML_SECRET_KEY (it is never taken from the "
                                          "command line)"));
                return kUsageError;
            }
            Connection c;
            c.name = m_request.baseUrl.host();
            c.baseUrl = m_request.baseUrl;
            c.publicKey = m_request.publicKey;
            c.secretKey = secret;
            begin(c);
            return -1;
        }
        if (!m_request.connection.isEmpty() &&
            m_request.connection != ConnectionStore::localServerName()) {
            m_store = std::make_unique<ConnectionStore>();
            if (!m_store->find(m_request.connection)) {
                printError(
                    QStringLiteral("no saved connection is named \"%1\"; saved: %2")
                        .arg(m_request.connection, m_store->names().join(QStringLiteral(", "))));
                return kUsageError;
            }
            m_store->load(m_request.connection, [this](const Connection &c, const QString &error) {
                if (!error.isEmpty()) {
                    printError(error);
                    return QCoreApplication::exit(kFailure);
                }
                begin(c);
            });
            return -1;
        }
        m_embedded = std::make_unique<EmbeddedServer>(EmbeddedServer::defaultDatabasePath(),
                                                      EmbeddedServer::defaultDemo());
        connect(m_embedded.get(), &EmbeddedServer::ready, this, &Runner::begin);
        connect(m_embedded.get(), &EmbeddedServer::failed, this, [](const QString &error) {
            printError(QStringLiteral("the local server did not start: %1").arg(error));
            QCoreApplication::exit(kFailure);
        });
        m_embedded->start();
        return -1;
    }

private:
    void begin(const Connection &connection)
    {
        m_client.setConnection(connection);
        m_job.start();
    }

    void showProgress()
    {
        if (!m_tty || !m_job.running() || m_job.totalRows() < 0)
            return;
        const int left = m_job.secondsLeft();
        const QString line =
            QStringLiteral("\rExporting %1: %2 of %3 rows%4")
                .arg(ExportColumns::tableName(m_request.table), Format::count(m_job.rowsWritten()),
                     Format::count(m_job.totalRows()),
                     left >= 0 ? QStringLiteral(", about %1 s left   ").arg(left)
                               : QStringLiteral("   "));
        std::fputs(qPrintable(line), stderr);
        std::fflush(stderr);
        m_progressShown = true;
    }

    Request m_request;
    ApiClient m_client;
    ExportJob m_job;
    std::unique_ptr<ConnectionStore> m_store;
    std::unique_ptr<EmbeddedServer> m_embedded;
    bool m_tty = stderrIsTty();
    bool m_progressShown = false;
};

} // namespace

int run(QCoreApplication &app)
{
    // One clear line on failure: the engine's and the client's log lines stay out unless
    // asked for with QT_LOGGING_RULES.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("xeroml.*=false"));
    QString error;
    const std::optional<Request> request = parse(app.arguments(), &error);
    if (!request) {
        printError(error);
        return kUsageError;
    }
    Runner runner(*request);
    const int early = runner.start();
    if (early >= 0)
        return early;
    return QCoreApplication::exec();
}

} // namespace HeadlessExport
