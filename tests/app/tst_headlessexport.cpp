// SPDX-License-Identifier: GPL-3.0-or-later
// The real xeroml-dashboard binary with --export against the local server on a free port:
// the file equals what the engine (the export dialog's ExportJob) writes for the same filter
// and columns, and every bad flag or failure ends with exit code ≠ 0 and one clear line.
#include "models/exportjob.h"
#include "tests/support/testserver.h"
#include "tests/support/xlsxreader.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kTimeoutMs = 60000;

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestHeadlessExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void equalsTheEngine_data();
    void equalsTheEngine();
    void badFlags_data();
    void badFlags();
    void failuresLeaveNoFile_data();
    void failuresLeaveNoFile();

private:
    [[nodiscard]] Result run(const QStringList &arguments, const QString &secret) const;
    [[nodiscard]] QStringList connectionArguments() const;
    [[nodiscard]] Connection connection() const;
    [[nodiscard]] QString heaviestUser() const;

    TestServer m_server;
    QTemporaryDir m_home;
};

void TestHeadlessExport::initTestCase()
{
    QString error;
    xeroml::server::DemoOptions demo;
    demo.users = 150;
    demo.traces = 2500;
    demo.seed = 21;
    demo.anchor = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
    QVERIFY2(m_server.start(demo, &error), qPrintable(error));
    QVERIFY(m_home.isValid());
}

Result TestHeadlessExport::run(const QStringList &arguments, const QString &secret) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A home of its own: no saved connections or settings of the machine are read.
    env.insert(u"HOME"_qs, m_home.path());
    env.insert(u"XDG_CONFIG_HOME"_qs, m_home.filePath(u"config"_qs));
    env.insert(u"XDG_DATA_HOME"_qs, m_home.filePath(u"data"_qs));
    env.remove(u"QT_LOGGING_RULES"_qs);
    if (secret.isNull())
        env.remove(u"XEROML_SECRET_KEY"_qs);
    else
        env.insert(u"XEROML_SECRET_KEY"_qs, secret);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(XEROML_DASHBOARD_BIN), arguments);
    Result r;
    // The event loop runs meanwhile: the server lives in this thread.
    if (!QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; },
                         kTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

QStringList TestHeadlessExport::connectionArguments() const
{
    return {u"--base-url"_qs, m_server.baseUrl().toString(), u"--public-key"_qs,
            m_server.credentials().publicKey};
}

Connection TestHeadlessExport::connection() const
{
    Connection c;
    c.baseUrl = m_server.baseUrl();
    c.publicKey = m_server.credentials().publicKey;
    c.secretKey = m_server.credentials().secretKey;
    return c;
}

QString TestHeadlessExport::heaviestUser() const
{
    ApiClient client;
    client.setConnection(connection());
    UsersQuery q;
    q.orderField = u"totalTraces"_qs;
    q.limit = 1;
    QString id;
    bool done = false;
    client.users(q, &client, [&](const ApiResult<Page<UserSummary>> &r) {
        if (r.ok() && !r.value().items.isEmpty())
            id = r.value().items.constFirst().userId;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        return {};
    return id;
}

void TestHeadlessExport::equalsTheEngine_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("flags");
    const QStringList none;
    QTest::newRow("users csv") << u"users"_qs << u"csv"_qs << none;
    QTest::newRow("users tsv, BOM") << u"users"_qs << u"tsv"_qs << QStringList{u"--bom"_qs};
    QTest::newRow("users json, range, search, order")
        << u"users"_qs << u"json"_qs << QStringList{u"--from"_qs,     u"2026-10-01"_qs,
                                                    u"--to"_qs,       u"2026-11-15T12:00:00Z"_qs,
                                                    u"--search"_qs,   u"a"_qs,
                                                    u"--order-by"_qs, u"totalCost.asc"_qs};
    QTest::newRow("users jsonl, columns")
        << u"users"_qs << u"jsonl"_qs
        << QStringList{u"--columns"_qs, u"totalCost,userId,environments"_qs};
    QTest::newRow("users xlsx, all columns")
        << u"users"_qs << u"xlsx"_qs << QStringList{u"--all-columns"_qs};
    QTest::newRow("traces csv, order")
        << u"traces"_qs << u"csv"_qs << QStringList{u"--order-by"_qs, u"latency.desc"_qs};
    QTest::newRow("sessions xlsx") << u"sessions"_qs << u"xlsx"_qs << none;
    QTest::newRow("scores json, range")
        << u"scores"_qs << u"json"_qs << QStringList{u"--from"_qs, u"2026-11-01T00:00:00Z"_qs};
}

void TestHeadlessExport::equalsTheEngine()
{
    QFETCH(QString, table);
    QFETCH(QString, format);
    QFETCH(QStringList, flags);
    QTemporaryDir dir;
    const QString cliPath = dir.filePath(u"cli."_qs + format);
    const QString enginePath = dir.filePath(u"engine."_qs + format);
    const QString user = heaviestUser();
    QVERIFY(!user.isEmpty());

    QStringList arguments{u"--export"_qs, table, u"--format"_qs, format, u"--output"_qs, cliPath};
    if (table != u"users"_qs)
        arguments << u"--user"_qs << user;
    arguments += flags;
    arguments += connectionArguments();
    const Result r = run(arguments, m_server.credentials().secretKey);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("Exported "), r.out.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData()); // no progress or log lines off a terminal

    // The same export through the engine, as the dialog runs it.
    ApiClient client;
    client.setConnection(connection());
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.format = *ExportColumns::formatFromName(format);
    options.path = enginePath;
    options.bom = flags.contains(u"--bom"_qs);
    const qsizetype columnsAt = flags.indexOf(u"--columns"_qs);
    if (columnsAt >= 0)
        options.columns = flags.at(columnsAt + 1).split(QLatin1Char(','));
    if (flags.contains(u"--all-columns"_qs)) {
        for (const ExportColumn &col : ExportColumns::all(*ExportColumns::tableFromName(table)))
            options.columns.append(col.id);
    }
    job.setOptions(options);
    const auto flag = [&flags](const QString &name) {
        const qsizetype at = flags.indexOf(name);
        return at >= 0 ? flags.at(at + 1) : QString();
    };
    const auto time = [&flag](const QString &name) {
        const QString text = flag(name);
        if (text.isEmpty())
            return QDateTime();
        if (text.size() == 10)
            return QDateTime(QDate::fromString(text, Qt::ISODate), QTime(0, 0), Qt::UTC);
        return QDateTime::fromString(text, Qt::ISODate).toUTC();
    };
    const QString order = flag(u"--order-by"_qs);
    const QString orderField = order.section(QLatin1Char('.'), 0, 0);
    const bool descending = !order.endsWith(u".asc"_qs);
    if (table == u"users"_qs) {
        UsersQuery q;
        q.search = flag(u"--search"_qs);
        q.from = time(u"--from"_qs);
        q.to = time(u"--to"_qs);
        if (!order.isEmpty()) {
            q.orderField = orderField;
            q.descending = descending;
        }
        job.setQuery(q);
    } else if (table == u"traces"_qs) {
        TracesQuery q;
        q.userId = user;
        q.orderField = orderField;
        q.descending = descending;
        job.setQuery(q);
    } else if (table == u"sessions"_qs) {
        SessionsQuery q; // as the sessions tab asks
        q.userId = user;
        q.orderField = u"firstTraceAt"_qs;
        q.descending = true;
        job.setQuery(q);
    } else {
        ScoresQuery q;
        q.userId = user;
        q.from = time(u"--from"_qs);
        job.setQuery(q);
    }
    QSignalSpy finished(&job, &ExportJob::finished);
    job.start();
    QVERIFY(finished.wait(30000));
    QVERIFY2(finished.constFirst().at(0).toBool(),
             qPrintable(finished.constFirst().at(1).toString()));

    QFile cli(cliPath);
    QFile engine(enginePath);
    QVERIFY(cli.open(QIODevice::ReadOnly) && engine.open(QIODevice::ReadOnly));
    if (format != u"xlsx"_qs) {
        const QByteArray bytes = cli.readAll();
        QVERIFY(bytes.size() > 200); // rows, not just a header
        QCOMPARE(bytes, engine.readAll());
        return;
    }
    // XLSX: every part byte for byte, except the creation time in docProps/core.xml.
    QHash<QString, QByteArray> a = XlsxReader::unzip(cliPath);
    QHash<QString, QByteArray> b = XlsxReader::unzip(enginePath);
    QVERIFY(a.contains(u"xl/worksheets/sheet1.xml"_qs));
    QVERIFY(a.value(u"xl/worksheets/sheet1.xml"_qs).size() > 2000);
    QCOMPARE(a.keys().size(), b.keys().size());
    for (auto it = a.cbegin(); it != a.cend(); ++it) {
        if (it.key() == u"docProps/core.xml"_qs)
            continue;
        QVERIFY2(b.value(it.key()) == it.value(), qPrintable(it.key()));
    }
}

void TestHeadlessExport::badFlags_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString out = u"/tmp/never-written.csv"_qs;
    QTest::newRow("unknown table") << QStringList{u"--export"_qs, u"people"_qs, u"--output"_qs, out}
                                   << u"--export takes users, traces, sessions or scores"_qs;
    QTest::newRow("no output") << QStringList{u"--export"_qs, u"users"_qs, u"--format"_qs,
                                              u"csv"_qs}
                               << u"--output FILE is missing"_qs;
    QTest::newRow("bad format") << QStringList{u"--export"_qs, u"users"_qs,    u"--format"_qs,
                                               u"xls"_qs,      u"--output"_qs, out}
                                << u"--format takes csv, tsv, json, jsonl or xlsx, not \"xls\""_qs;
    QTest::newRow("no format, unknown suffix")
        << QStringList{u"--export"_qs, u"users"_qs, u"--output"_qs, u"/tmp/x.txt"_qs}
        << u"--format is missing"_qs;
    QTest::newRow("traces without user")
        << QStringList{u"--export"_qs, u"traces"_qs, u"--output"_qs, out}
        << u"--export traces needs --user ID"_qs;
    QTest::newRow("user with users")
        << QStringList{u"--export"_qs, u"users"_qs, u"--user"_qs, u"a"_qs, u"--output"_qs, out}
        << u"--user applies to traces, sessions and scores"_qs;
    QTest::newRow("bad from") << QStringList{u"--export"_qs,  u"users"_qs,    u"--from"_qs,
                                             u"yesterday"_qs, u"--output"_qs, out}
                              << u"--from \"yesterday\" is not an ISO 8601 date or time"_qs;
    QTest::newRow("from after to")
        << QStringList{u"--export"_qs, u"users"_qs,      u"--from"_qs,   u"2026-02-01"_qs,
                       u"--to"_qs,     u"2026-01-01"_qs, u"--output"_qs, out}
        << u"--from must be before --to"_qs;
    QTest::newRow("bad order") << QStringList{u"--export"_qs,  u"users"_qs,    u"--order-by"_qs,
                                              u"totalCost"_qs, u"--output"_qs, out}
                               << u"--order-by takes FIELD.asc or FIELD.desc"_qs;
    QTest::newRow("unknown order field")
        << QStringList{u"--export"_qs,   u"users"_qs,    u"--order-by"_qs,
                       u"secret.asc"_qs, u"--output"_qs, out}
        << u"users cannot be ordered by \"secret\""_qs;
    QTest::newRow("unknown column")
        << QStringList{u"--export"_qs,    u"users"_qs,    u"--columns"_qs,
                       u"userId,nope"_qs, u"--output"_qs, out}
        << u"unknown column \"nope\" for users"_qs;
    QTest::newRow("bom with json")
        << QStringList{u"--export"_qs, u"users"_qs, u"--bom"_qs, u"--output"_qs, u"/tmp/x.json"_qs}
        << u"--bom applies to csv and tsv only"_qs;
    QTest::newRow("unknown flag") << QStringList{u"--export"_qs, u"users"_qs, u"--outptu"_qs, out}
                                  << u"Unknown option 'outptu'"_qs;
    QTest::newRow("base url without key")
        << QStringList{u"--export"_qs,          u"users"_qs, u"--output"_qs, out, u"--base-url"_qs,
                       u"http://127.0.0.1:9"_qs}
        << u"--base-url and --public-key go together"_qs;
    QTest::newRow("no secret in the environment")
        << QStringList{u"--export"_qs,     u"users"_qs,
                       u"--output"_qs,     out,
                       u"--base-url"_qs,   u"http://127.0.0.1:9"_qs,
                       u"--public-key"_qs, u"pk"_qs}
        << u"XEROML_SECRET_KEY"_qs;
    QTest::newRow("unknown saved connection")
        << QStringList{u"--export"_qs,     u"users"_qs,  u"--output"_qs, out,
                       u"--connection"_qs, u"Nowhere"_qs}
        << u"no saved connection is named \"Nowhere\""_qs;
}

void TestHeadlessExport::badFlags()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result r = run(arguments, QString());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("xeroml-dashboard: ") && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(!QFile::exists(u"/tmp/never-written.csv"_qs));
}

void TestHeadlessExport::failuresLeaveNoFile_data()
{
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("message");
    QTest::newRow("wrong secret") << u"401"_qs << u"The server rejected the API keys"_qs;
    QTest::newRow("unreachable") << u"down"_qs << u"Export failed: "_qs;
    QTest::newRow("unwritable") << u"path"_qs << u"Cannot write "_qs;
}

void TestHeadlessExport::failuresLeaveNoFile()
{
    QFETCH(QString, problem);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QString output = dir.filePath(u"users.csv"_qs);
    QStringList server = connectionArguments();
    QString secret = m_server.credentials().secretKey;
    if (problem == u"401"_qs) {
        secret = u"sk-not-the-key"_qs;
    } else if (problem == u"down"_qs) {
        QTcpServer closed; // a port nobody listens on once it is closed again
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        server[1] = u"http://127.0.0.1:%1"_qs.arg(port);
    } else {
        output = dir.filePath(u"no-such-folder/users.csv"_qs);
    }
    const Result r =
        run(QStringList{u"--export"_qs, u"users"_qs, u"--output"_qs, output} + server, secret);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.startsWith("xeroml-dashboard: ") && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    QVERIFY(!r.err.contains(secret.toUtf8()));
    QVERIFY(QDir(dir.path())
                .entryList(QDir::Files | QDir::Hidden | QDir::Dirs | QDir::NoDotAndDotDot)
                .isEmpty());
}

QTEST_GUILESS_MAIN(TestHeadlessExport)
#include "tst_headlessexport.moc"
