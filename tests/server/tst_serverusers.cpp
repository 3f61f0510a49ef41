// SPDX-License-Identifier: GPL-3.0-or-later
// GET /api/public/users of the local server over real HTTP, checked against aggregates that
// the test computes itself from the raw traces/observations/scores rows of the same file.
#include "server/localserver.h"
#include "tests/support/testserver.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUrlQuery>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <optional>

namespace {

constexpr int kUsers = 300;
constexpr int kTraces = 4000;

struct Reply
{
    int status = -1;
    QJsonObject json;
    QByteArray body;
};

enum class Auth { Valid, None, WrongSecret, WrongPublicKey, Malformed, Bearer };

/// One user's figures, computed from the raw rows (joins, not the trace aggregates).
struct Expected
{
    QString userId;
    qint64 traces = 0;
    qint64 sessions = 0;
    qint64 observations = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    qint64 costNanos = 0;
    qint64 scoreCount = 0;
    std::optional<double> averageScore;
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    QStringList environments;
};

struct Filter
{
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs;
    QStringList environments;
    QString search;
};

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// Sort key of one orderBy field; averageScore is compared at 1e-9 like the API promises.
struct Key
{
    bool isNull = false;
    qint64 number = 0;
    QByteArray text;
};

Key keyOf(const Expected &e, const QString &field)
{
    if (field == QLatin1String("userId"))
        return {false, 0, e.userId.toUtf8()};
    if (field == QLatin1String("totalTraces"))
        return {false, e.traces, {}};
    if (field == QLatin1String("totalSessions"))
        return {false, e.sessions, {}};
    if (field == QLatin1String("totalObservations"))
        return {false, e.observations, {}};
    if (field == QLatin1String("inputTokens"))
        return {false, e.inputTokens, {}};
    if (field == QLatin1String("outputTokens"))
        return {false, e.outputTokens, {}};
    if (field == QLatin1String("totalTokens"))
        return {false, e.totalTokens, {}};
    if (field == QLatin1String("totalCost"))
        return {false, e.costNanos, {}};
    if (field == QLatin1String("averageScore")) {
        if (!e.averageScore)
            return {true, 0, {}};
        return {false, qRound64(*e.averageScore * 1e9), {}};
    }
    if (field == QLatin1String("firstTraceAt"))
        return {false, e.firstMs, {}};
    return {false, e.lastMs, {}};
}

void sortExpected(QList<Expected> &list, const QString &field, bool descending)
{
    std::sort(list.begin(), list.end(), [&](const Expected &a, const Expected &b) {
        const Key ka = keyOf(a, field);
        const Key kb = keyOf(b, field);
        if (ka.isNull != kb.isNull)
            return kb.isNull; // users without a score last, in both directions
        if (!ka.isNull && (ka.number != kb.number || ka.text != kb.text)) {
            const bool less = ka.text == kb.text ? ka.number < kb.number : ka.text < kb.text;
            return descending ? !less : less;
        }
        return a.userId.toUtf8() < b.userId.toUtf8();
    });
}

} // namespace

class TstServerUsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void healthIsOpen();
    void projects();
    void unauthorized_data();
    void unauthorized();
    void unknownRouteIs404();
    void orderings_data();
    void orderings();
    void defaultOrderIsLastTraceDesc();
    void pastTheLastPage();
    void search_data();
    void search();
    void timeRange();
    void environments_data();
    void environments();
    void singleUserWithEncodedId_data();
    void singleUserWithEncodedId();
    void badRequests_data();
    void badRequests();
    void demoDataIsDeterministic();
    void commandLineServer();

private:
    [[nodiscard]] Reply get(const QUrl &url, Auth auth = Auth::Valid,
                            const xeroml::server::Credentials *credentials = nullptr);
    [[nodiscard]] Reply getUsers(const QUrlQuery &query, Auth auth = Auth::Valid);
    [[nodiscard]] static QList<Expected> expected(const QSqlDatabase &db, const Filter &filter);
    /// Pages through /users with the given query; fails the test on any inconsistency.
    void fetchAll(QUrlQuery query, int limit, qint64 expectedTotal, QList<QJsonObject> *users);
    static void compareUser(const QJsonObject &actual, const Expected &expected);
    void compareWithExpected(const QUrlQuery &query, const Filter &filter, const QString &field,
                             bool descending, int limit);

    TestServer m_server;
    QNetworkAccessManager m_nam;
    QString m_connection;
    QSqlDatabase m_db;
    QDateTime m_anchor = QDateTime(QDate(2026, 11, 30), QTime(12, 0), Qt::UTC);
};

void TstServerUsers::initTestCase()
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
    xeroml::server::DemoOptions options;
    options.users = kUsers;
    options.traces = kTraces;
    options.seed = 11;
    options.anchor = m_anchor;
    QString error;
    QVERIFY2(m_server.start(options, &error), qPrintable(error));

    m_connection = QStringLiteral("expected-") + QUuid::createUuid().toString();
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(m_server.dbPath());
    m_db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    QVERIFY2(m_db.open(), qPrintable(m_db.lastError().text()));
}

void TstServerUsers::cleanupTestCase()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

Reply TstServerUsers::get(const QUrl &url, Auth auth,
                          const xeroml::server::Credentials *credentials)
{
    const xeroml::server::Credentials keys = credentials ? *credentials : m_server.credentials();
    QNetworkRequest request(url);
    QByteArray pair;
    switch (auth) {
    case Auth::Valid:
        pair = keys.publicKey.toUtf8() + ':' + keys.secretKey.toUtf8();
        break;
    case Auth::WrongSecret:
        pair = keys.publicKey.toUtf8() + ':' + keys.secretKey.toUtf8() + 'x';
        break;
    case Auth::WrongPublicKey:
        pair = "pk-xr-nobody:" + keys.secretKey.toUtf8();
        break;
    case Auth::None:
    case Auth::Malformed:
    case Auth::Bearer:
        break;
    }
    if (!pair.isEmpty())
        request.setRawHeader("Authorization", "Basic " + pair.toBase64());
    if (auth == Auth::Malformed)
        request.setRawHeader("Authorization", "Basic !!not-base64!!");
    if (auth == Auth::Bearer)
        request.setRawHeader("Authorization", "Bearer " + keys.secretKey.toUtf8());

    QNetworkReply *reply = m_nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Reply result;
    if (finished.wait(30000)) {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.json = QJsonDocument::fromJson(result.body).object();
    }
    reply->deleteLater();
    return result;
}

Reply TstServerUsers::getUsers(const QUrlQuery &query, Auth auth)
{
    QUrl url = m_server.baseUrl();
    url.setPath(QStringLiteral("/api/public/users"));
    url.setQuery(query);
    return get(url, auth);
}

QList<Expected> TstServerUsers::expected(const QSqlDatabase &db, const Filter &filter)
{
    QString where = QStringLiteral("t.user_id IS NOT NULL");
    QVariantList binds;
    if (filter.fromMs) {
        where += QStringLiteral(" AND t.ts >= ?");
        binds.append(*filter.fromMs);
    }
    if (filter.toMs) {
        where += QStringLiteral(" AND t.ts < ?");
        binds.append(*filter.toMs);
    }
    if (!filter.environments.isEmpty()) {
        QStringList marks;
        for (const QString &environment : filter.environments) {
            marks.append(QStringLiteral("?"));
            binds.append(environment);
        }
        where += QStringLiteral(" AND t.environment IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    const auto run = [&](const QString &sql) {
        QSqlQuery query(db);
        if (!query.prepare(sql.arg(where)))
            qFatal("prepare failed: %s", qPrintable(query.lastError().text()));
        for (const QVariant &value : std::as_const(binds))
            query.addBindValue(value);
        if (!query.exec())
            qFatal("query failed: %s", qPrintable(query.lastError().text()));
        return query;
    };

    QMap<QString, Expected> users;
    QSqlQuery traces = run(QStringLiteral(
        "SELECT t.user_id, COUNT(*), COUNT(DISTINCT t.session_id), MIN(t.ts), MAX(t.ts),"
        " GROUP_CONCAT(DISTINCT t.environment) FROM traces t WHERE %1 GROUP BY t.user_id"));
    while (traces.next()) {
        Expected e;
        e.userId = traces.value(0).toString();
        e.traces = traces.value(1).toLongLong();
        e.sessions = traces.value(2).toLongLong();
        e.firstMs = traces.value(3).toLongLong();
        e.lastMs = traces.value(4).toLongLong();
        e.environments = traces.value(5).toString().split(QLatin1Char(','));
        e.environments.sort();
        users.insert(e.userId, e);
    }
    QSqlQuery observations = run(
        QStringLiteral("SELECT t.user_id, COUNT(o.id), SUM(o.input_tokens), SUM(o.output_tokens),"
                       " SUM(o.total_tokens), SUM(o.total_cost_nanos) FROM traces t"
                       " JOIN observations o ON o.trace_id = t.id WHERE %1 GROUP BY t.user_id"));
    while (observations.next()) {
        Expected &e = users[observations.value(0).toString()];
        e.observations = observations.value(1).toLongLong();
        e.inputTokens = observations.value(2).toLongLong();
        e.outputTokens = observations.value(3).toLongLong();
        e.totalTokens = observations.value(4).toLongLong();
        e.costNanos = observations.value(5).toLongLong();
    }
    QSqlQuery scores =
        run(QStringLiteral("SELECT t.user_id, COUNT(s.id), AVG(s.value) FROM traces t"
                           " JOIN scores s ON s.trace_id = t.id AND s.data_type = 'NUMERIC'"
                           " WHERE %1 GROUP BY t.user_id"));
    while (scores.next()) {
        Expected &e = users[scores.value(0).toString()];
        e.scoreCount = scores.value(1).toLongLong();
        e.averageScore = scores.value(2).toDouble();
    }

    QList<Expected> result;
    for (const Expected &e : std::as_const(users)) {
        if (filter.search.isEmpty() || e.userId.contains(filter.search, Qt::CaseInsensitive))
            result.append(e);
    }
    return result;
}

void TstServerUsers::fetchAll(QUrlQuery query, int limit, qint64 expectedTotal,
                              QList<QJsonObject> *users)
{
    const qint64 totalPages = (expectedTotal + limit - 1) / limit;
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    QSet<QString> seen;
    for (int page = 1; page <= std::max<qint64>(totalPages, 1); ++page) {
        QUrlQuery paged = query;
        paged.addQueryItem(QStringLiteral("page"), QString::number(page));
        const Reply reply = getUsers(paged);
        QCOMPARE(reply.status, 200);
        const QJsonObject meta = reply.json.value(QLatin1String("meta")).toObject();
        QCOMPARE(meta.value(QLatin1String("page")).toInteger(), page);
        QCOMPARE(meta.value(QLatin1String("limit")).toInteger(), limit);
        QCOMPARE(meta.value(QLatin1String("totalItems")).toInteger(), expectedTotal);
        QCOMPARE(meta.value(QLatin1String("totalPages")).toInteger(), totalPages);
        const QJsonArray data = reply.json.value(QLatin1String("data")).toArray();
        const qint64 expectedSize = totalPages == 0     ? 0
                                    : page < totalPages ? limit
                                                        : expectedTotal - (totalPages - 1) * limit;
        QCOMPARE(data.size(), expectedSize);
        for (const QJsonValue &value : data) {
            const QJsonObject user = value.toObject();
            const QString id = user.value(QLatin1String("userId")).toString();
            QVERIFY2(!seen.contains(id), qPrintable(QStringLiteral("%1 on two pages").arg(id)));
            seen.insert(id);
            users->append(user);
        }
    }
}

void TstServerUsers::compareUser(const QJsonObject &actual, const Expected &e)
{
    QCOMPARE(actual.value(QLatin1String("userId")).toString(), e.userId);
    QCOMPARE(actual.value(QLatin1String("totalTraces")).toInteger(), e.traces);
    QCOMPARE(actual.value(QLatin1String("totalSessions")).toInteger(), e.sessions);
    QCOMPARE(actual.value(QLatin1String("totalObservations")).toInteger(), e.observations);
    QCOMPARE(actual.value(QLatin1String("inputTokens")).toInteger(), e.inputTokens);
    QCOMPARE(actual.value(QLatin1String("outputTokens")).toInteger(), e.outputTokens);
    QCOMPARE(actual.value(QLatin1String("totalTokens")).toInteger(), e.totalTokens);
    QCOMPARE(actual.value(QLatin1String("totalCost")).toDouble(),
             static_cast<double>(e.costNanos) / 1e9);
    QCOMPARE(actual.value(QLatin1String("scoreCount")).toInteger(), e.scoreCount);
    const QJsonValue average = actual.value(QLatin1String("averageScore"));
    if (e.averageScore) {
        QVERIFY(average.isDouble());
        QVERIFY2(
            std::abs(average.toDouble() - *e.averageScore) < 1e-9,
            qPrintable(QStringLiteral("%1 vs %2").arg(average.toDouble()).arg(*e.averageScore)));
    } else {
        QVERIFY2(average.isNull(), "a user without numeric scores must have averageScore null");
    }
    QCOMPARE(actual.value(QLatin1String("firstTraceAt")).toString(), iso(e.firstMs));
    QCOMPARE(actual.value(QLatin1String("lastTraceAt")).toString(), iso(e.lastMs));
    QStringList environments;
    for (const QJsonValue &value : actual.value(QLatin1String("environments")).toArray())
        environments.append(value.toString());
    QCOMPARE(environments, e.environments);
}

void TstServerUsers::compareWithExpected(const QUrlQuery &query, const Filter &filter,
                                         const QString &field, bool descending, int limit)
{
    QList<Expected> want = expected(m_db, filter);
    sortExpected(want, field, descending);
    QList<QJsonObject> got;
    fetchAll(query, limit, want.size(), &got);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(got.size(), want.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        compareUser(got[i], want[i]);
        if (QTest::currentTestFailed()) {
            qWarning() << "at position" << i << "of" << field << (descending ? "desc" : "asc");
            return;
        }
    }
}

void TstServerUsers::healthIsOpen()
{
    QUrl url = m_server.baseUrl();
    url.setPath(QStringLiteral("/api/public/health"));
    const Reply reply = get(url, Auth::None);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QLatin1String("status")).toString(), QStringLiteral("OK"));
    QVERIFY(!reply.json.value(QLatin1String("version")).toString().isEmpty());
}

void TstServerUsers::projects()
{
    QUrl url = m_server.baseUrl();
    url.setPath(QStringLiteral("/api/public/projects"));
    QCOMPARE(get(url, Auth::None).status, 401);
    const Reply reply = get(url);
    QCOMPARE(reply.status, 200);
    const QJsonObject project =
        reply.json.value(QLatin1String("data")).toArray().first().toObject();
    QCOMPARE(project.value(QLatin1String("id")).toString(), QStringLiteral("xeroml-local"));
    QCOMPARE(project.value(QLatin1String("name")).toString(), QStringLiteral("Local XeroML"));
    QVERIFY(project.value(QLatin1String("metadata")).isObject());
    const auto keys = m_server.credentials();
    QVERIFY(keys.publicKey.startsWith(QLatin1String("pk-xr-")));
    QVERIFY(keys.secretKey.startsWith(QLatin1String("sk-xr-")));
    QCOMPARE(keys.secretKey.size(), 6 + 64);
}

void TstServerUsers::unauthorized_data()
{
    QTest::addColumn<Auth>("auth");
    QTest::newRow("no header") << Auth::None;
    QTest::newRow("wrong secret") << Auth::WrongSecret;
    QTest::newRow("wrong public key") << Auth::WrongPublicKey;
    QTest::newRow("not base64") << Auth::Malformed;
    QTest::newRow("bearer") << Auth::Bearer;
}

void TstServerUsers::unauthorized()
{
    QFETCH(Auth, auth);
    const Reply reply = getUsers(QUrlQuery(), auth);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("unauthorized"));
    QVERIFY(!reply.json.value(QLatin1String("message")).toString().isEmpty());
    QVERIFY(!reply.body.contains("userId"));
}

void TstServerUsers::unknownRouteIs404()
{
    QUrl url = m_server.baseUrl();
    url.setPath(QStringLiteral("/api/public/nothing-here"));
    const Reply reply = get(url);
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("not_found"));
}

void TstServerUsers::orderings_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("descending");
    for (const char *field : {"userId", "totalTraces", "totalSessions", "totalObservations",
                              "inputTokens", "outputTokens", "totalTokens", "totalCost",
                              "averageScore", "firstTraceAt", "lastTraceAt"}) {
        QTest::addRow("%s.asc", field) << QString::fromLatin1(field) << false;
        QTest::addRow("%s.desc", field) << QString::fromLatin1(field) << true;
    }
}

void TstServerUsers::orderings()
{
    QFETCH(QString, field);
    QFETCH(bool, descending);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("orderBy"),
                       field + (descending ? QStringLiteral(".desc") : QStringLiteral(".asc")));
    // 37 does not divide 300: the last page is a partial one.
    compareWithExpected(query, Filter(), field, descending, 37);
    QCOMPARE(expected(m_db, Filter()).size(), kUsers);
}

void TstServerUsers::defaultOrderIsLastTraceDesc()
{
    compareWithExpected(QUrlQuery(), Filter(), QStringLiteral("lastTraceAt"), true, 50);
    const Reply reply = getUsers(QUrlQuery());
    QCOMPARE(
        reply.json.value(QLatin1String("meta")).toObject().value(QLatin1String("limit")).toInt(),
        50);
    QCOMPARE(
        reply.json.value(QLatin1String("meta")).toObject().value(QLatin1String("page")).toInt(), 1);
}

void TstServerUsers::pastTheLastPage()
{
    const Reply reply = getUsers(QUrlQuery(QStringLiteral("page=100&limit=50")));
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.json.value(QLatin1String("data")).toArray().isEmpty());
    const QJsonObject meta = reply.json.value(QLatin1String("meta")).toObject();
    QCOMPARE(meta.value(QLatin1String("totalItems")).toInt(), kUsers);
    QCOMPARE(meta.value(QLatin1String("totalPages")).toInt(), 6);
}

void TstServerUsers::search_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<int>("minimumMatches");
    QTest::newRow("at sign") << QStringLiteral("@") << 20;
    QTest::newRow("slash") << QStringLiteral("team/alpha/") << 1;
    QTest::newRow("upper-case non-ASCII") << QStringLiteral("ÅNGSTRÖM") << 1;
    QTest::newRow("lower-case Cyrillic") << QStringLiteral("анна") << 1;
    QTest::newRow("Japanese") << QStringLiteral("ユーザー") << 1;
    QTest::newRow("space and accent") << QStringLiteral("MARIA JOSÉ") << 1;
    QTest::newRow("plus") << QStringLiteral("+test@") << 1;
    QTest::newRow("percent is literal") << QStringLiteral("%") << 1;
    QTest::newRow("underscore is literal") << QStringLiteral("h_1") << 1;
    QTest::newRow("no match") << QStringLiteral("zz-no-such-user-zz") << 0;
}

void TstServerUsers::search()
{
    QFETCH(QString, search);
    QFETCH(int, minimumMatches);
    Filter filter;
    filter.search = search;
    const qsizetype matches = expected(m_db, filter).size();
    QVERIFY2(matches >= minimumMatches, qPrintable(QString::number(matches)));
    QVERIFY(matches < kUsers);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("search"), search);
    query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalTraces.desc"));
    compareWithExpected(query, filter, QStringLiteral("totalTraces"), true, 25);
}

void TstServerUsers::timeRange()
{
    // Boundaries on real trace times, so that >= vs > and < vs <= make a difference.
    QSqlQuery query(m_db);
    QVERIFY(
        query.exec(QStringLiteral("SELECT ts FROM traces WHERE user_id IS NOT NULL ORDER BY ts")));
    QList<qint64> times;
    while (query.next())
        times.append(query.value(0).toLongLong());
    QVERIFY(times.size() > 1000);
    Filter filter;
    filter.fromMs = times.at(times.size() / 3);
    filter.toMs = times.at(times.size() * 2 / 3);
    QUrlQuery params;
    params.addQueryItem(QStringLiteral("fromTimestamp"), iso(*filter.fromMs));
    params.addQueryItem(QStringLiteral("toTimestamp"), iso(*filter.toMs));
    params.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalCost.desc"));
    const qsizetype inRange = expected(m_db, filter).size();
    QVERIFY(inRange > 0 && inRange < kUsers);
    compareWithExpected(params, filter, QStringLiteral("totalCost"), true, 100);

    // The same instants written with an offset instead of Z.
    QUrlQuery offset;
    offset.addQueryItem(QStringLiteral("fromTimestamp"),
                        QDateTime::fromMSecsSinceEpoch(*filter.fromMs, QTimeZone(7200))
                            .toString(Qt::ISODateWithMs));
    offset.addQueryItem(QStringLiteral("toTimestamp"), iso(*filter.toMs));
    offset.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("averageScore.asc"));
    compareWithExpected(offset, filter, QStringLiteral("averageScore"), false, 100);

    // Only an upper bound, combined with search.
    Filter upper;
    upper.toMs = filter.toMs;
    upper.search = QStringLiteral("@");
    QUrlQuery upperQuery;
    upperQuery.addQueryItem(QStringLiteral("toTimestamp"), iso(*upper.toMs));
    upperQuery.addQueryItem(QStringLiteral("search"), upper.search);
    compareWithExpected(upperQuery, upper, QStringLiteral("lastTraceAt"), true, 40);

    // An empty range is not an error.
    QUrlQuery empty;
    empty.addQueryItem(QStringLiteral("fromTimestamp"), iso(*filter.fromMs));
    empty.addQueryItem(QStringLiteral("toTimestamp"), iso(*filter.fromMs));
    const Reply reply = getUsers(empty);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json.value(QLatin1String("meta"))
                 .toObject()
                 .value(QLatin1String("totalItems"))
                 .toInt(),
             0);
}

void TstServerUsers::environments_data()
{
    QTest::addColumn<QStringList>("environments");
    QTest::addColumn<QString>("search");
    QTest::newRow("staging") << QStringList{QStringLiteral("staging")} << QString();
    QTest::newRow("production") << QStringList{QStringLiteral("production")} << QString();
    QTest::newRow("both") << QStringList{QStringLiteral("production"), QStringLiteral("staging")}
                          << QString();
    QTest::newRow("unknown") << QStringList{QStringLiteral("nowhere")} << QString();
    QTest::newRow("staging + search")
        << QStringList{QStringLiteral("staging")} << QStringLiteral("team/");
}

void TstServerUsers::environments()
{
    QFETCH(QStringList, environments);
    QFETCH(QString, search);
    Filter filter;
    filter.environments = environments;
    filter.search = search;
    QUrlQuery query;
    for (const QString &environment : environments)
        query.addQueryItem(QStringLiteral("environment"), environment);
    if (!search.isEmpty())
        query.addQueryItem(QStringLiteral("search"), search);
    query.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("totalTokens.asc"));
    compareWithExpected(query, filter, QStringLiteral("totalTokens"), false, 1000);
    if (environments == QStringList{QStringLiteral("staging")})
        QVERIFY(expected(m_db, filter).size() < kUsers);
}

void TstServerUsers::singleUserWithEncodedId_data()
{
    QTest::addColumn<QString>("userId");
    QTest::newRow("slashes") << QStringLiteral("team/alpha/bob");
    QTest::newRow("non-ASCII and space") << QStringLiteral("Zoë Ångström");
    QTest::newRow("at sign") << QStringLiteral("alice@example.com");
    QTest::newRow("percent") << QStringLiteral("growth_100%");
}

void TstServerUsers::singleUserWithEncodedId()
{
    QFETCH(QString, userId);
    const QUrl url(m_server.baseUrl().toString() + QStringLiteral("/api/public/users/") +
                   QString::fromLatin1(QUrl::toPercentEncoding(userId)));
    const Reply reply = get(url);
    QCOMPARE(reply.status, 200);
    const QList<Expected> all = expected(m_db, Filter());
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const Expected &e) { return e.userId == userId; });
    QVERIFY(it != all.end());
    compareUser(reply.json, *it);

    const QUrl missing(m_server.baseUrl().toString() + QStringLiteral("/api/public/users/") +
                       QString::fromLatin1(QUrl::toPercentEncoding(userId + QStringLiteral("/x"))));
    QCOMPARE(get(missing).status, 404);
}

void TstServerUsers::badRequests_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("named");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("limit");
    QTest::newRow("limit 1001") << QStringLiteral("limit=1001") << QStringLiteral("limit");
    QTest::newRow("limit text") << QStringLiteral("limit=ten") << QStringLiteral("limit");
    QTest::newRow("page 0") << QStringLiteral("page=0") << QStringLiteral("page");
    QTest::newRow("page negative") << QStringLiteral("page=-2") << QStringLiteral("page");
    QTest::newRow("page fraction") << QStringLiteral("page=1.5") << QStringLiteral("page");
    QTest::newRow("unknown field")
        << QStringLiteral("orderBy=name.asc") << QStringLiteral("orderBy");
    QTest::newRow("no direction") << QStringLiteral("orderBy=totalCost")
                                  << QStringLiteral("orderBy");
    QTest::newRow("bad direction")
        << QStringLiteral("orderBy=totalCost.up") << QStringLiteral("orderBy");
    QTest::newRow("SQL in orderBy")
        << QStringLiteral("orderBy=user_id%3B%20DROP%20TABLE%20traces.asc")
        << QStringLiteral("orderBy");
    QTest::newRow("from not a date")
        << QStringLiteral("fromTimestamp=yesterday") << QStringLiteral("fromTimestamp");
    QTest::newRow("to month 13") << QStringLiteral("toTimestamp=2026-13-01T00:00:00.000Z")
                                 << QStringLiteral("toTimestamp");
    QTest::newRow("from without zone")
        << QStringLiteral("fromTimestamp=2026-11-01T00:00:00") << QStringLiteral("fromTimestamp");
    QTest::newRow("from after to")
        << QStringLiteral(
               "fromTimestamp=2026-11-02T00:00:00.000Z&toTimestamp=2026-11-01T00:00:00.000Z")
        << QStringLiteral("fromTimestamp");
}

void TstServerUsers::badRequests()
{
    QFETCH(QString, query);
    QFETCH(QString, named);
    const Reply reply = getUsers(QUrlQuery(query));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("invalid_request"));
    QVERIFY2(reply.json.value(QLatin1String("message")).toString().contains(named),
             reply.body.constData());
    // The store is intact.
    QCOMPARE(expected(m_db, Filter()).size(), kUsers);
}

void TstServerUsers::demoDataIsDeterministic()
{
    // The same options must give the same rows; another seed must not.
    const auto digest = [this](quint64 seed, QByteArray *out) {
        TestServer server;
        xeroml::server::DemoOptions options;
        options.users = 40;
        options.traces = 700;
        options.seed = seed;
        options.anchor = m_anchor;
        QString error;
        QVERIFY2(server.start(options, &error), qPrintable(error));
        const QString connection = QStringLiteral("digest-") + QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(server.dbPath());
            QVERIFY(db.open());
            QCryptographicHash hash(QCryptographicHash::Sha256);
            for (const char *sql :
                 {"SELECT * FROM traces ORDER BY id", "SELECT * FROM observations ORDER BY id",
                  "SELECT * FROM scores ORDER BY id"}) {
                QSqlQuery query(db);
                QVERIFY(query.exec(QLatin1String(sql)));
                while (query.next()) {
                    for (int i = 0; i < query.record().count(); ++i)
                        hash.addData(query.value(i).toString().toUtf8() + '\x1f');
                }
            }
            *out = hash.result();
        }
        QSqlDatabase::removeDatabase(connection);
    };
    QByteArray first;
    QByteArray second;
    QByteArray other;
    digest(5, &first);
    digest(5, &second);
    digest(6, &other);
    QVERIFY(!first.isEmpty());
    QCOMPARE(first, second);
    QVERIFY(first != other);
}

void TstServerUsers::commandLineServer()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const xeroml::server::Credentials keys{QStringLiteral("pk-xr-cli-test"),
                                           QStringLiteral("sk-xr-cli-test-secret")};
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XEROML_TEST_SECRET"), keys.secretKey);
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString db = dir.filePath(QStringLiteral("cli.db"));
    process.start(QStringLiteral(XEROML_SERVER_BINARY),
                  {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                   QStringLiteral("127.0.0.1:0"), QStringLiteral("--public-key"), keys.publicKey,
                   QStringLiteral("--secret-key-env"), QStringLiteral("XEROML_TEST_SECRET"),
                   QStringLiteral("--demo-users"), QStringLiteral("400"),
                   QStringLiteral("--demo-traces"), QStringLiteral("5000"),
                   QStringLiteral("--seed"), QStringLiteral("7")});
    QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
    QByteArray line;
    QTRY_VERIFY_WITH_TIMEOUT((line += process.readAllStandardOutput()).contains('\n'), 120000);
    const QByteArray prefix = "listening on http://127.0.0.1:";
    QVERIFY2(line.startsWith(prefix) && line.endsWith('\n'), line.constData());
    const int port = line.mid(prefix.size()).trimmed().toInt();
    QVERIFY(port > 0);

    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/public/users").arg(port));
    url.setQuery(QStringLiteral("orderBy=totalCost.desc&limit=5"));
    QCOMPARE(get(url, Auth::None, &keys).status, 401);
    const Reply reply = get(url, Auth::Valid, &keys);
    QCOMPARE(reply.status, 200);
    const QJsonArray data = reply.json.value(QLatin1String("data")).toArray();
    QCOMPARE(data.size(), 5);

    {
        const QString connection = QStringLiteral("cli-") + QUuid::createUuid().toString();
        {
            QSqlDatabase cliDb = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            cliDb.setDatabaseName(db);
            cliDb.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            QVERIFY(cliDb.open());
            QList<Expected> want = expected(cliDb, Filter());
            QCOMPARE(want.size(), 400);
            sortExpected(want, QStringLiteral("totalCost"), true);
            for (qsizetype i = 0; i < data.size(); ++i) {
                compareUser(data[i].toObject(), want[i]);
                if (QTest::currentTestFailed())
                    break;
            }
        }
        QSqlDatabase::removeDatabase(connection);
    }
    QVERIFY(QFileInfo(db).permissions() ==
            (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser));

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TstServerUsers)
#include "tst_serverusers.moc"
