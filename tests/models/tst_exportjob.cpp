// SPDX-License-Identifier: GPL-3.0-or-later
// The export engine against the real local server: every format read back and compared with
// /users field by field, formula neutralisation, the selection, the other tables, progress,
// and that Cancel, a network failure or an unwritable path leave no file behind.
#include "models/exportjob.h"
#include "models/exportwriter.h"
#include "models/scorelistmodel.h"
#include "models/tracelistmodel.h"
#include "models/userlistmodel.h"
#include "tests/models/modeltestsupport.h"
#include "tests/support/faultserver.h"
#include "tests/support/xlsxreader.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <ranges>

using namespace ModelTestSupport;

namespace {

constexpr int kUsers = 1200; // more than one 1000-row page of /users

// RFC 4180 reader: quoted fields with doubled quotes, CRLF between records.
std::optional<QList<QStringList>> parseCsv(const QByteArray &bytes, QString *problem)
{
    QList<QStringList> records;
    QStringList record;
    QString field;
    const QString text = QString::fromUtf8(bytes);
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
            quoted = wasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            record.append(std::exchange(field, {}));
            wasQuoted = false;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= text.size() || text.at(i + 1) != QLatin1Char('\n')) {
                *problem = QStringLiteral("bare CR outside quotes at %1").arg(i);
                return std::nullopt;
            }
            ++i;
            record.append(std::exchange(field, {}));
            records.append(std::exchange(record, {}));
            wasQuoted = false;
        } else if (c == QLatin1Char('\n')) {
            *problem = QStringLiteral("bare LF outside quotes at %1").arg(i);
            return std::nullopt;
        } else {
            field += c;
        }
    }
    if (quoted || !field.isEmpty() || !record.isEmpty()) {
        *problem = QStringLiteral("the last record does not end with CRLF");
        return std::nullopt;
    }
    return records;
}

QList<QStringList> parseTsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    QList<QByteArray> lines = bytes.split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    for (const QByteArray &line : lines)
        rows.append(QString::fromUtf8(line).split(QLatin1Char('\t')));
    return rows;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// Excel serial date (days since 1899-12-30) → ms since the epoch.
qint64 serialToMs(double serial)
{
    return qRound64((serial - 25569.0) * 86400000.0);
}

bool sameDouble(double a, double b, bool fifteenDigits)
{
    if (!fifteenDigits)
        return a == b;
    return std::abs(a - b) <= 1e-14 * std::max(std::abs(a), std::abs(b));
}

} // namespace

class TestExportJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void columns();
    void roundTripsUsers_data();
    void roundTripsUsers();
    void xlsxLayout();
    void neutralisesFormulas_data();
    void neutralisesFormulas();
    void exportsTheSelection();
    void exportsAUsersTables_data();
    void exportsAUsersTables();
    void reportsProgress();
    void cancelLeavesNoFile_data();
    void cancelLeavesNoFile();
    void cancelFromAProgressSlot_data();
    void cancelFromAProgressSlot();
    void networkFailureLeavesNoFile_data();
    void networkFailureLeavesNoFile();
    void badRequestsFailClearly();

private:
    [[nodiscard]] QList<UserSummary> fetchUsers(const UsersQuery &query) const;
    template<typename T, typename Q>
    [[nodiscard]] QList<T>
    fetchAll(const Q &query, RequestHandle (ApiClient::*call)(const Q &, QObject *,
                                                              ApiClient::Callback<Page<T>>)) const;
    static bool run(ExportJob &job, QString *message);

    TestServer m_server;
};

void TestExportJob::initTestCase()
{
    QString error;
    QVERIFY2(startServer(m_server, &error, kUsers, 3600), qPrintable(error));
}

QList<UserSummary> TestExportJob::fetchUsers(const UsersQuery &query) const
{
    ApiClient client;
    client.setConnection(connection(m_server));
    QList<UserSummary> users;
    for (int page = 1;; ++page) {
        UsersQuery q = query;
        q.page = page;
        q.limit = 1000;
        Waiter<Page<UserSummary>> waiter;
        client.users(q, &client, waiter.callback());
        if (!waiter.wait() || !waiter.ok())
            return {};
        const Page<UserSummary> &p = waiter.result->value();
        users += p.items;
        if (p.items.isEmpty() || users.size() >= p.meta.totalItems)
            return users;
    }
}

template<typename T, typename Q>
QList<T> TestExportJob::fetchAll(
    const Q &query,
    RequestHandle (ApiClient::*call)(const Q &, QObject *, ApiClient::Callback<Page<T>>)) const
{
    ApiClient client;
    client.setConnection(connection(m_server));
    QList<T> items;
    for (int page = 1;; ++page) {
        Q q = query;
        q.page = page;
        q.limit = 100;
        Waiter<Page<T>> waiter;
        (client.*call)(q, &client, waiter.callback());
        if (!waiter.wait() || !waiter.ok())
            return {};
        const Page<T> &p = waiter.result->value();
        items += p.items;
        if (p.items.isEmpty() || items.size() >= p.meta.totalItems)
            return items;
    }
}

bool TestExportJob::run(ExportJob &job, QString *message)
{
    QSignalSpy finished(&job, &ExportJob::finished);
    job.start();
    if (!finished.isEmpty()) // never from inside start()
        return false;
    if (!finished.wait(30000))
        return false;
    *message = finished.constFirst().at(1).toString();
    return finished.size() == 1 && finished.constFirst().at(0).toBool();
}

void TestExportJob::columns()
{
    // The default export is the users table as shown: every column in the model's order.
    QList<int> all;
    for (int c = 0; c < UserListModel::ColumnCount; ++c)
        all.append(c);
    QCOMPARE(ExportColumns::idsForModelColumns(ExportTable::Users, all),
             ExportColumns::defaultIds(ExportTable::Users));
    QString error;
    const auto users = ExportColumns::select(ExportTable::Users, {}, &error);
    QVERIFY(users);
    UserListModel model;
    QCOMPARE(users->size(), int(UserListModel::ColumnCount));
    for (int c = 0; c < UserListModel::ColumnCount; ++c) {
        QCOMPARE(users->at(c).title, model.headerData(c, Qt::Horizontal, Qt::DisplayRole));
        QCOMPARE(users->at(c).id, UserListModel::orderField(c)); // ids = the API's fields
    }
    // A view's column order is kept; traces and scores lead with their full id.
    QCOMPARE(ExportColumns::idsForModelColumns(
                 ExportTable::Traces, {TraceListModel::CostColumn, TraceListModel::TimeColumn}),
             (QStringList{u"id"_qs, u"totalCost"_qs, u"timestamp"_qs}));
    QCOMPARE(ExportColumns::defaultIds(ExportTable::Scores).constFirst(), u"id"_qs);
    QCOMPARE(ExportColumns::defaultIds(ExportTable::Scores).size(),
             1 + int(ScoreListModel::ColumnCount));
    QVERIFY(ExportColumns::all(ExportTable::Users).size() > int(UserListModel::ColumnCount));

    QVERIFY(!ExportColumns::select(ExportTable::Users, {u"userId"_qs, u"secretKey"_qs}, &error));
    QVERIFY2(error.contains(u"secretKey"_qs) && error.contains(u"totalCost"_qs), qPrintable(error));
    QVERIFY(!ExportColumns::select(ExportTable::Users, {u"userId"_qs, u"userId"_qs}, &error));
    QVERIFY2(error.contains(u"twice"_qs), qPrintable(error));

    for (const QString &name : {u"users"_qs, u"traces"_qs, u"sessions"_qs, u"scores"_qs})
        QCOMPARE(ExportColumns::tableName(*ExportColumns::tableFromName(name)), name);
    for (const QString &name : {u"csv"_qs, u"tsv"_qs, u"json"_qs, u"jsonl"_qs, u"xlsx"_qs})
        QCOMPARE(ExportColumns::formatName(*ExportColumns::formatFromName(name)), name);
    QVERIFY(!ExportColumns::formatFromName(u"xls"_qs));
}

void TestExportJob::roundTripsUsers_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::addColumn<bool>("bom");
    QTest::newRow("csv") << ExportFormat::Csv << false;
    QTest::newRow("csv with BOM") << ExportFormat::Csv << true;
    QTest::newRow("tsv") << ExportFormat::Tsv << false;
    QTest::newRow("json") << ExportFormat::Json << false;
    QTest::newRow("jsonl") << ExportFormat::Jsonl << false;
    QTest::newRow("xlsx") << ExportFormat::Xlsx << false;
}

void TestExportJob::roundTripsUsers()
{
    QFETCH(ExportFormat, format);
    QFETCH(bool, bom);
    UsersQuery query;
    query.orderField = u"totalCost"_qs;
    query.descending = false;
    query.to = anchor(); // (a range, so averages come from the same window as the list)
    const QList<UserSummary> expected = fetchUsers(query);
    QVERIFY(expected.size() > 1000);

    QTemporaryDir dir;
    ApiClient client;
    client.setConnection(connection(m_server));
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.format = format;
    options.bom = bom;
    options.path = dir.filePath(u"users."_qs + ExportColumns::formatName(format));
    job.setOptions(options);
    job.setQuery(query);
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));
    QVERIFY2(message.contains(u"Exported 1,"_qs) && message.contains(options.path),
             qPrintable(message));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no leftovers

    const QStringList titles = [] {
        QStringList t;
        for (const ExportColumn &c : ExportColumns::all(ExportTable::Users)) {
            if (c.byDefault)
                t.append(c.title);
        }
        return t;
    }();
    const QByteArray bytes = readFile(options.path);
    QCOMPARE(bytes.startsWith("\xEF\xBB\xBF"), bom);
    // Nothing of the connection goes into a file.
    const auto keys = m_server.credentials();
    for (const QString &secret : {keys.secretKey, keys.publicKey, m_server.baseUrl().toString()}) {
        QVERIFY(!bytes.contains(secret.toUtf8()));
        if (format == ExportFormat::Xlsx) {
            for (const QByteArray &part : XlsxReader::unzip(options.path))
                QVERIFY(!part.contains(secret.toUtf8()));
        }
    }

    // Every format becomes rows of strings; numbers and times are checked by value below.
    QList<QStringList> rows;
    bool xlsx = false;
    switch (format) {
    case ExportFormat::Csv: {
        QString problem;
        const auto csv = parseCsv(bom ? bytes.mid(3) : bytes, &problem);
        QVERIFY2(csv, qPrintable(problem));
        rows = *csv;
        break;
    }
    case ExportFormat::Tsv:
        rows = parseTsv(bytes);
        break;
    case ExportFormat::Json:
    case ExportFormat::Jsonl: {
        QList<QJsonObject> objects;
        if (format == ExportFormat::Json) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
            QVERIFY2(doc.isArray(), qPrintable(error.errorString()));
            for (const QJsonValue &v : doc.array())
                objects.append(v.toObject());
        } else {
            QVERIFY(bytes.endsWith('\n'));
            for (const QByteArray &line : bytes.trimmed().split('\n')) {
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
                QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
                objects.append(doc.object());
            }
        }
        // Keys in column order (QJsonObject sorts them, so look at the text).
        const qsizetype firstLine = bytes.indexOf('{');
        const QByteArray first = bytes.mid(firstLine, bytes.indexOf('}', firstLine) - firstLine);
        qsizetype at = 0;
        for (const QString &t : titles) {
            const qsizetype next = first.indexOf('"' + t.toUtf8() + "\":", at);
            QVERIFY2(next >= at, qPrintable(t));
            at = next;
        }
        rows.append(titles);
        for (const QJsonObject &o : objects) {
            QCOMPARE(o.size(), titles.size());
            QStringList row;
            for (const QString &t : titles) {
                const QJsonValue v = o.value(t);
                if (t == titles.constFirst())
                    QVERIFY(v.isString());
                else if (t.contains(u"trace"_qs))
                    QVERIFY(v.isString()); // ISO 8601
                else
                    QVERIFY2(v.isDouble() || v.isNull(), qPrintable(t)); // numbers stay numbers
                row.append(v.isString() ? v.toString()
                           : v.isNull() ? QString()
                                        : QString::number(v.toDouble(), 'g', 17));
            }
            rows.append(row);
        }
        break;
    }
    case ExportFormat::Xlsx: {
        xlsx = true;
        const auto sheet = XlsxReader::sheet(XlsxReader::unzip(options.path));
        QVERIFY(sheet);
        for (int r = 0; r < sheet->size(); ++r) {
            QStringList row;
            for (int c = 0; c < sheet->at(r).size(); ++c) {
                const XlsxReader::Cell &cell = sheet->at(r).at(c);
                const bool time = c >= 9;
                if (r == 0 || c == 0) {
                    QCOMPARE(cell.type, u"inlineStr"_qs);
                    row.append(cell.text);
                } else if (time) {
                    QVERIFY(cell.type.isEmpty());
                    QVERIFY(cell.style > 0); // the date format
                    row.append(iso(
                        QDateTime::fromMSecsSinceEpoch(serialToMs(cell.text.toDouble()), Qt::UTC)));
                } else {
                    QVERIFY2(cell.type.isEmpty(), qPrintable(cell.text)); // a number cell
                    row.append(cell.text);
                }
            }
            while (row.size() < titles.size())
                row.append(QString()); // a blank cell (no average score)
            rows.append(row);
        }
        break;
    }
    }

    QCOMPARE(rows.constFirst(), titles);
    QCOMPARE(rows.size(), expected.size() + 1);
    for (int i = 0; i < expected.size(); ++i) {
        const UserSummary &u = expected.at(i);
        const QStringList &row = rows.at(i + 1);
        QCOMPARE(row.size(), titles.size());
        QCOMPARE(row.at(0), u.userId);
        QCOMPARE(row.at(1).toLongLong(), u.totalTraces);
        QCOMPARE(row.at(2).toLongLong(), u.totalSessions);
        QCOMPARE(row.at(3).toLongLong(), u.totalObservations);
        QCOMPARE(row.at(4).toLongLong(), u.inputTokens);
        QCOMPARE(row.at(5).toLongLong(), u.outputTokens);
        QCOMPARE(row.at(6).toLongLong(), u.totalTokens);
        // Full precision: the text reads back to the very same double (XLSX keeps 15 digits,
        // as Excel does).
        QVERIFY2(sameDouble(row.at(7).toDouble(), u.totalCost, xlsx),
                 qPrintable(row.at(7) + u" != "_qs + QString::number(u.totalCost, 'g', 17)));
        if (u.averageScore)
            QVERIFY2(sameDouble(row.at(8).toDouble(), *u.averageScore, xlsx),
                     qPrintable(row.at(8)));
        else
            QVERIFY(row.at(8).isEmpty());
        QCOMPARE(row.at(9), iso(u.firstTraceAt));
        QCOMPARE(row.at(10), iso(u.lastTraceAt));
    }
}

void TestExportJob::xlsxLayout()
{
    QTemporaryDir dir;
    ExportJob job;
    ExportOptions options;
    options.format = ExportFormat::Xlsx;
    options.path = dir.filePath(u"layout.xlsx"_qs);
    options.columns = {u"userId"_qs, u"totalCost"_qs, u"lastTraceAt"_qs, u"environments"_qs};
    job.setOptions(options);
    UserSummary u;
    u.userId = u"a-rather-long-user-id@example.com"_qs;
    u.totalCost = 0.125;
    u.lastTraceAt = QDateTime(QDate(2026, 11, 30), QTime(12, 34, 56, 789), Qt::UTC);
    u.environments = {u"production"_qs, u"staging"_qs};
    job.setRows({u});
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));

    const QHash<QString, QByteArray> entries = XlsxReader::unzip(options.path);
    const QByteArray sheetXml = entries.value(u"xl/worksheets/sheet1.xml"_qs);
    // Header row frozen, bold, sensible widths; the time is a date cell with milliseconds.
    QVERIFY(sheetXml.contains(
        R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>)"));
    QVERIFY(sheetXml.contains("<cols>"));
    const QByteArray styles = entries.value(u"xl/styles.xml"_qs);
    QVERIFY(styles.contains("<b/>"));
    QVERIFY(styles.contains(R"(formatCode="yyyy-mm-dd hh:mm:ss.000")"));
    const auto sheet = XlsxReader::sheet(entries);
    QVERIFY(sheet);
    QCOMPARE(sheet->size(), 2);
    QCOMPARE(sheet->at(0).at(0).text, u"User ID"_qs);
    QVERIFY(sheet->at(0).at(0).style > 0);
    QCOMPARE(sheet->at(1).at(1).text, u"0.125"_qs);
    QCOMPARE(serialToMs(sheet->at(1).at(2).text.toDouble()), u.lastTraceAt.toMSecsSinceEpoch());
    QCOMPARE(sheet->at(1).at(3).text, u"production, staging"_qs);
    // The first column fits the id (about one unit per character), within bounds.
    const qsizetype col = sheetXml.indexOf(R"(<col min="1" max="1" width=")");
    QVERIFY(col > 0);
    const double width = sheetXml.mid(col + 28, 6).toDouble();
    QVERIFY2(width >= u.userId.size() && width <= 60, qPrintable(QString::number(width)));
    // Same permissions as a text export (not the private mode of a temporary file).
    QVERIFY(QFile::permissions(options.path) & QFile::ReadOwner);
    QVERIFY(QFile::permissions(options.path) & QFile::WriteOwner);
}

void TestExportJob::neutralisesFormulas_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::newRow("csv") << ExportFormat::Csv;
    QTest::newRow("tsv") << ExportFormat::Tsv;
    QTest::newRow("xlsx") << ExportFormat::Xlsx;
    QTest::newRow("json") << ExportFormat::Json;
}

void TestExportJob::neutralisesFormulas()
{
    QFETCH(ExportFormat, format);
    const QStringList ids{
        u"=HYPERLINK(\"http://evil\",\"x\")"_qs,
        u"+1+2"_qs,
        u"-alice"_qs,
        u"@SUM(A1:A9)"_qs,
        u"\tcmd"_qs,
        u"\rcmd"_qs,
        u"plain, \"quoted\"\nnext line"_qs,
        u"ok=1"_qs,
    };
    QList<UserSummary> users;
    for (const QString &id : ids) {
        UserSummary u;
        u.userId = id;
        u.totalCost = -1.5; // a number, however it starts, stays a number
        u.firstTraceAt = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
        u.lastTraceAt = u.firstTraceAt;
        users.append(u);
    }
    QTemporaryDir dir;
    ExportJob job;
    ExportOptions options;
    options.format = format;
    options.path = dir.filePath(u"f"_qs);
    options.columns = {u"userId"_qs, u"totalCost"_qs};
    job.setOptions(options);
    job.setRows(users);
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));

    QStringList cells;
    QStringList costs;
    const QByteArray bytes = readFile(options.path);
    if (format == ExportFormat::Csv) {
        QString problem;
        const auto rows = parseCsv(bytes, &problem);
        QVERIFY2(rows, qPrintable(problem));
        for (const QStringList &r : rows->mid(1)) {
            cells.append(r.at(0));
            costs.append(r.at(1));
        }
    } else if (format == ExportFormat::Tsv) {
        for (const QStringList &r : parseTsv(bytes).mid(1)) {
            QCOMPARE(r.size(), 2);
            cells.append(r.at(0));
            costs.append(r.at(1));
        }
    } else if (format == ExportFormat::Xlsx) {
        const auto sheet = XlsxReader::sheet(XlsxReader::unzip(options.path));
        QVERIFY(sheet);
        for (const auto &r : sheet->mid(1)) {
            QCOMPARE(r.at(0).type, u"inlineStr"_qs);
            QVERIFY(r.at(1).type.isEmpty());
            cells.append(r.at(0).text);
            costs.append(r.at(1).text);
        }
    } else {
        for (const QJsonValue &v : QJsonDocument::fromJson(bytes).array()) {
            cells.append(v[u"User ID"_qs].toString());
            QVERIFY(v[u"Cost (USD)"_qs].isDouble());
            costs.append(QString::number(v[u"Cost (USD)"_qs].toDouble()));
        }
    }
    QCOMPARE(cells.size(), ids.size());
    for (const QString &cost : costs)
        QCOMPARE(cost, u"-1.5"_qs);
    for (int i = 0; i < ids.size(); ++i) {
        QString expected = ids.at(i);
        if (format != ExportFormat::Json && i < 6)
            expected.prepend(QLatin1Char('\''));
        if (format == ExportFormat::Tsv)
            expected.replace(QRegularExpression(u"[\t\r\n]"_qs), u" "_qs);
        QCOMPARE(cells.at(i), expected);
    }
    QCOMPARE(ExportWriter::neutralised(u"-alice"_qs), u"'-alice"_qs);
    QCOMPARE(ExportWriter::neutralised(u"alice-"_qs), u"alice-"_qs);
    QCOMPARE(ExportWriter::neutralised(QString()), QString());
}

void TestExportJob::exportsTheSelection()
{
    UsersQuery query;
    query.limit = 20;
    QList<UserSummary> users = fetchUsers(query).mid(0, 7);
    QVERIFY(users.size() == 7);
    std::reverse(users.begin(), users.end()); // the table's order, whatever it is
    QTemporaryDir dir;
    ExportJob job; // no client: the selection needs no server
    ExportOptions options;
    options.format = ExportFormat::Jsonl;
    options.path = dir.filePath(u"selection.jsonl"_qs);
    options.columns = {u"totalTokens"_qs, u"userId"_qs};
    job.setOptions(options);
    job.setRows(users);
    QSignalSpy progress(&job, &ExportJob::progressChanged);
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));
    QVERIFY2(message.startsWith(u"Exported 7 users to "_qs), qPrintable(message));
    const QList<QByteArray> lines = readFile(options.path).trimmed().split('\n');
    QCOMPARE(lines.size(), users.size());
    for (int i = 0; i < users.size(); ++i) {
        QCOMPARE(lines.at(i),
                 QByteArray(R"({"Total tokens":)" + QByteArray::number(users.at(i).totalTokens) +
                            R"(,"User ID":")" + users.at(i).userId.toUtf8() + "\"}"));
    }
    QCOMPARE(job.totalRows(), 7);
    QCOMPARE(job.rowsWritten(), 7);
    QCOMPARE(job.progress(), 1.0);
}

void TestExportJob::exportsAUsersTables_data()
{
    QTest::addColumn<ExportTable>("table");
    QTest::newRow("traces") << ExportTable::Traces;
    QTest::newRow("sessions") << ExportTable::Sessions;
    QTest::newRow("scores") << ExportTable::Scores;
}

void TestExportJob::exportsAUsersTables()
{
    QFETCH(ExportTable, table);
    const QList<UserSummary> heaviest = heaviestUsers(m_server, 1);
    QVERIFY(!heaviest.isEmpty());
    const QString userId = heaviest.constFirst().userId;

    QTemporaryDir dir;
    ApiClient client;
    client.setConnection(connection(m_server));
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.format = ExportFormat::Csv;
    options.path = dir.filePath(u"table.csv"_qs);
    job.setOptions(options);

    // What the tab lists, page by page, in its order: the ids the file must hold in order.
    QStringList expected;
    if (table == ExportTable::Traces) {
        TracesQuery q;
        q.userId = userId;
        q.orderField = u"totalCost"_qs;
        q.descending = true;
        q.fields = {u"core"_qs};
        job.setQuery(q);
        for (const TraceSummary &t : fetchAll<TraceSummary>(q, &ApiClient::traces))
            expected.append(t.id);
    } else if (table == ExportTable::Sessions) {
        SessionsQuery q;
        q.userId = userId;
        q.orderField = u"firstTraceAt"_qs;
        job.setQuery(q);
        for (const SessionSummary &s : fetchAll<SessionSummary>(q, &ApiClient::sessions))
            expected.append(s.id);
    } else {
        ScoresQuery q;
        q.userId = userId;
        job.setQuery(q);
        for (const Score &s : fetchAll<Score>(q, &ApiClient::scores))
            expected.append(s.id);
    }
    QVERIFY(expected.size() > 100); // more than one page
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));
    QString problem;
    const auto rows = parseCsv(readFile(options.path), &problem);
    QVERIFY2(rows, qPrintable(problem));
    QStringList titles;
    const QList<ExportColumn> columns = ExportColumns::all(table);
    for (const ExportColumn &c : columns | std::views::filter(&ExportColumn::byDefault))
        titles.append(c.title);
    QCOMPARE(rows->constFirst(), titles);
    QStringList ids;
    for (const QStringList &r : rows->mid(1))
        ids.append(r.at(0));
    QCOMPARE(ids, expected);
}

void TestExportJob::reportsProgress()
{
    QTemporaryDir dir;
    FaultServer slow;
    QVERIFY(slow.start());
    slow.setUpstream(m_server.baseUrl());
    slow.setForwardDelay(150);
    ApiClient client;
    Connection c = connection(m_server);
    c.baseUrl = slow.baseUrl();
    client.setConnection(c);
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.path = dir.filePath(u"p.csv"_qs);
    job.setOptions(options);
    job.setQuery(UsersQuery{});
    QList<std::tuple<qint64, qint64, double, int>> seen;
    connect(&job, &ExportJob::progressChanged, &job, [&] {
        seen.append({job.rowsWritten(), job.totalRows(), job.progress(), job.secondsLeft()});
    });
    QSignalSpy running(&job, &ExportJob::runningChanged);
    QString message;
    QVERIFY2(run(job, &message), qPrintable(message));
    QCOMPARE(running.size(), 2);
    QVERIFY(!job.running());
    // Unknown first, then the total; rows grow page by page with an estimate of time left.
    QCOMPARE(std::get<1>(seen.constFirst()), -1);
    QCOMPARE(std::get<2>(seen.constFirst()), -1.0);
    bool midway = false;
    for (const auto &[written, total, fraction, left] : seen) {
        if (written > 0 && written < total) {
            midway = true;
            QCOMPARE(total, qint64(kUsers));
            QVERIFY(fraction > 0 && fraction < 1);
            QVERIFY(left >= 0);
        }
    }
    QVERIFY(midway);
    QCOMPARE(job.rowsWritten(), qint64(kUsers));
    QCOMPARE(job.progress(), 1.0);
    QCOMPARE(job.secondsLeft(), -1);
}

void TestExportJob::cancelLeavesNoFile_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::addColumn<bool>("destroy");
    QTest::newRow("csv cancel") << ExportFormat::Csv << false;
    QTest::newRow("xlsx cancel") << ExportFormat::Xlsx << false;
    QTest::newRow("json destroyed") << ExportFormat::Json << true;
    QTest::newRow("xlsx destroyed") << ExportFormat::Xlsx << true;
}

void TestExportJob::cancelLeavesNoFile()
{
    QFETCH(ExportFormat, format);
    QFETCH(bool, destroy);
    QTemporaryDir dir;
    // An older export at the target stays as it was.
    const QString path = dir.filePath(u"users.out"_qs);
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("previous export\n");
    }
    FaultServer slow;
    QVERIFY(slow.start());
    slow.setUpstream(m_server.baseUrl());
    slow.setForwardDelay(400); // the second page is still on its way when Cancel comes
    ApiClient client;
    Connection c = connection(m_server);
    c.baseUrl = slow.baseUrl();
    client.setConnection(c);
    auto job = std::make_unique<ExportJob>();
    job->setClient(&client);
    ExportOptions options;
    options.format = format;
    options.path = path;
    job->setOptions(options);
    job->setQuery(UsersQuery{});
    QSignalSpy finished(job.get(), &ExportJob::finished);
    job->start();
    QVERIFY(QTest::qWaitFor([&] { return job->rowsWritten() >= 1000; }, 20000));
    QVERIFY(job->running());
    // Half-way the rows so far are in a temporary file (QSaveFile's may have no name yet);
    // the target is untouched.
    QCOMPARE(readFile(path), QByteArray("previous export\n"));
    if (format == ExportFormat::Xlsx)
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
    if (destroy) {
        job.reset();
    } else {
        job->cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.constFirst().at(0).toBool(), false);
        QVERIFY(finished.constFirst().at(1).toString().contains(u"cancelled"_qs));
        QVERIFY(!job->running());
    }
    QTest::qWait(600); // the late page must not bring anything back
    QCOMPARE(readFile(path), QByteArray("previous export\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"users.out"_qs});
    if (!destroy)
        QCOMPARE(finished.size(), 1);
}

void TestExportJob::cancelFromAProgressSlot_data()
{
    QTest::addColumn<bool>("paged");
    QTest::newRow("all matching users") << true;
    QTest::newRow("selection") << false;
}

void TestExportJob::cancelFromAProgressSlot()
{
    // A Cancel button reacting to progress: cancel() runs inside progressChanged.
    QFETCH(bool, paged);
    QTemporaryDir dir;
    ApiClient client;
    client.setConnection(connection(m_server));
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.path = dir.filePath(u"users.csv"_qs);
    job.setOptions(options);
    if (paged) {
        job.setQuery(UsersQuery{});
    } else {
        QList<UserSummary> users(5000);
        for (qsizetype i = 0; i < users.size(); ++i)
            users[i].userId = QString::number(i);
        job.setRows(users);
    }
    for (const qint64 after : {qint64(-1), qint64(1)}) {
        // First as soon as the total is known, then once rows are written.
        auto connection = connect(&job, &ExportJob::progressChanged, &job, [&job, after] {
            if (job.totalRows() >= 0 && job.rowsWritten() >= std::max<qint64>(0, after))
                job.cancel();
        });
        QSignalSpy finished(&job, &ExportJob::finished);
        job.start();
        QVERIFY(finished.wait(15000));
        QTest::qWait(50); // nothing else may arrive
        disconnect(connection);
        QCOMPARE(finished.size(), 1);
        QVERIFY(finished.constFirst().at(1).toString().contains(u"cancelled"_qs));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }
}

void TestExportJob::networkFailureLeavesNoFile_data()
{
    QTest::addColumn<ExportFormat>("format");
    QTest::addColumn<int>("fault");
    QTest::newRow("csv, 500") << ExportFormat::Csv << int(FaultServer::Fault::None);
    QTest::newRow("xlsx, reset") << ExportFormat::Xlsx << int(FaultServer::Fault::Reset);
    QTest::newRow("jsonl, truncated") << ExportFormat::Jsonl << int(FaultServer::Fault::Truncate);
}

void TestExportJob::networkFailureLeavesNoFile()
{
    QFETCH(ExportFormat, format);
    QFETCH(int, fault);
    // Page 1 is a real answer; every later request fails.
    QNetworkAccessManager network;
    QUrl url = m_server.baseUrl();
    url.setPath(u"/api/public/users"_qs);
    url.setQuery(u"page=1&limit=1000&orderBy=lastTraceAt.desc"_qs);
    QNetworkRequest request(url);
    const auto keys = m_server.credentials();
    request.setRawHeader("Authorization",
                         "Basic " + (keys.publicKey + u':' + keys.secretKey).toUtf8().toBase64());
    QNetworkReply *reply = network.get(request);
    QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000));
    const QByteArray page1 = reply->readAll();
    reply->deleteLater();
    QVERIFY(page1.contains("\"totalItems\":1200"));

    FaultServer server;
    QVERIFY(server.start());
    FaultServer::Reply broken = FaultServer::json(R"({"message":"internal error"})", 500);
    broken.fault = FaultServer::Fault(fault);
    if (broken.fault != FaultServer::Fault::None)
        broken.status = 200;
    server.setReplies(u"/api/public/users"_qs, {FaultServer::json(page1), broken});

    QTemporaryDir dir;
    ApiClient client;
    Connection c = connection(m_server);
    c.baseUrl = server.baseUrl();
    client.setConnection(c);
    RetryPolicy once;
    once.maxAttempts = 1;
    client.setRetryPolicy(once);
    ExportJob job;
    job.setClient(&client);
    ExportOptions options;
    options.format = format;
    options.path = dir.filePath(u"users.out"_qs);
    job.setOptions(options);
    job.setQuery(UsersQuery{});
    QSignalSpy finished(&job, &ExportJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.constFirst().at(0).toBool(), false);
    const QString message = finished.constFirst().at(1).toString();
    QVERIFY2(message.contains(u"after 1,000 of 1,200 rows"_qs) &&
                 message.contains(u"No file was written"_qs),
             qPrintable(message));
    QCOMPARE(job.errorString(), message);
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void TestExportJob::badRequestsFailClearly()
{
    QTemporaryDir dir;
    ApiClient client;
    client.setConnection(connection(m_server));
    const auto fails = [&](ExportOptions options, bool withClient, const QString &expected) {
        ExportJob job;
        if (withClient)
            job.setClient(&client);
        job.setOptions(options);
        job.setQuery(UsersQuery{});
        QString message;
        if (run(job, &message))
            return false;
        if (!message.contains(expected)) {
            qWarning() << "message:" << message;
            return false;
        }
        return QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty();
    };
    ExportOptions o;
    o.path = dir.filePath(u"missing-folder/users.csv"_qs);
    QVERIFY(fails(o, true, u"Cannot write "_qs + QDir::toNativeSeparators(o.path)));
    o.format = ExportFormat::Xlsx;
    o.path = dir.filePath(u"missing-folder/users.xlsx"_qs);
    QVERIFY(fails(o, true, u"Cannot write "_qs));
    o.path = dir.path(); // a folder
    QVERIFY(fails(o, true, u"Cannot write "_qs));
    o.path = dir.filePath(u"users.csv"_qs);
    o.columns = {u"userId"_qs, u"nope"_qs};
    QVERIFY(fails(o, true, u"unknown column \"nope\""_qs));
    o.columns.clear();
    QVERIFY(fails(o, false, u"Not connected"_qs));
    o.path.clear();
    QVERIFY(fails(o, true, u"No file"_qs));

    // Wrong keys: the server's refusal, and no file.
    ApiClient wrong;
    Connection c = connection(m_server);
    c.secretKey = u"sk-wrong"_qs;
    wrong.setConnection(c);
    ExportJob job;
    job.setClient(&wrong);
    ExportOptions options;
    options.path = dir.filePath(u"users.csv"_qs);
    job.setOptions(options);
    job.setQuery(UsersQuery{});
    QString message;
    QVERIFY(!run(job, &message));
    QVERIFY2(message.startsWith(u"Export failed: "_qs) && message.contains(u"API keys"_qs),
             qPrintable(message));
    QVERIFY(!message.contains(u"sk-wrong"_qs));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

QTEST_GUILESS_MAIN(TestExportJob)
#include "tst_exportjob.moc"
