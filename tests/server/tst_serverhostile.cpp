// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and malformed input on every parameter of every read endpoint: each answer is a 400
// invalid_request naming the problem or a well-formed (usually empty) result — never a 500 —
// and the database is intact afterwards.
#include "tests/server/serverfixture.h"

namespace {

struct Endpoint
{
    const char *path;
    QList<const char *> params;
};

const QList<Endpoint> &endpoints()
{
    static const QList<Endpoint> list{
        {"/api/public/users",
         {"page", "limit", "orderBy", "search", "fromTimestamp", "toTimestamp", "environment"}},
        {"/api/public/users/alice%40example.com", {"fromTimestamp", "toTimestamp", "environment"}},
        {"/api/public/traces",
         {"page", "limit", "userId", "sessionId", "name", "tags", "environment", "fromTimestamp",
          "toTimestamp", "orderBy", "fields"}},
        {"/api/public/sessions",
         {"page", "limit", "userId", "fromTimestamp", "toTimestamp", "environment", "orderBy"}},
        {"/api/public/v2/scores",
         {"page", "limit", "userId", "traceId", "sessionId", "name", "source", "dataType",
          "fromTimestamp", "toTimestamp", "environment"}},
        {"/api/public/metrics/daily",
         {"page", "limit", "userId", "traceName", "tags", "environment", "fromTimestamp",
          "toTimestamp"}},
        {"/api/public/metrics/user-cost-histogram",
         {"search", "environment", "fromTimestamp", "toTimestamp"}},
    };
    return list;
}

QStringList hostileStrings()
{
    return {QStringLiteral("'"),
            QStringLiteral("\""),
            QStringLiteral("'; DROP TABLE traces; --"),
            QStringLiteral("\"; DELETE FROM scores WHERE 1=1; --"),
            QStringLiteral("1 OR 1=1"),
            QStringLiteral("x') OR ('1'='1"),
            QString(QChar(0)),
            QStringLiteral("a") + QChar(0) + QStringLiteral("b"),
            QStringLiteral("\\"),
            QStringLiteral("%"),
            QStringLiteral("%25%00"),
            QStringLiteral("_"),
            QString(5000, QLatin1Char('a')),
            QStringLiteral("Ω😀 ユーザー"),
            QStringLiteral("../../etc/passwd"),
            QStringLiteral("<script>alert(1)</script>"),
            QStringLiteral("-1"),
            QStringLiteral("0"),
            QStringLiteral("99999999999999999999"),
            QStringLiteral(" "),
            QStringLiteral("NULL"),
            QStringLiteral("user_id"),
            QStringLiteral("timestamp.asc; DROP TABLE traces"),
            QStringLiteral("2026-11-01T00:00:00Z' OR '1'='1"),
            QStringLiteral("1e309")};
}

QString encodeValue(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

} // namespace

class TstServerHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyParameter_data();
    void everyParameter();
    void hostilePathIds();
    void invalid_data();
    void invalid();
    void hostileMetricsJson();
    void databaseIntact();

private:
    void checkAnswer(const Reply &reply, const QString &what);
    [[nodiscard]] QList<qint64> counts();

    ServerFixture m_fx;
    QList<qint64> m_countsBefore;
};

void TstServerHostile::initTestCase()
{
    QString error;
    QVERIFY2(m_fx.start(40, 600, 9, &error), qPrintable(error));
    m_countsBefore = counts();
    QVERIFY(m_countsBefore.at(0) == 600);
}

QList<qint64> TstServerHostile::counts()
{
    return {m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM traces")),
            m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM observations")),
            m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM scores")),
            m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM meta")),
            m_fx.scalar(QStringLiteral("SELECT COUNT(*) FROM sqlite_master"))};
}

void TstServerHostile::checkAnswer(const Reply &reply, const QString &what)
{
    QVERIFY2(reply.status == 200 || reply.status == 400 || reply.status == 404,
             qPrintable(what + QStringLiteral(" → %1 %2")
                                   .arg(reply.status)
                                   .arg(QString::fromUtf8(reply.body.left(300)))));
    if (reply.status == 400) {
        QCOMPARE(reply.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("invalid_request"));
        QVERIFY(!reply.json.value(QLatin1String("message")).toString().isEmpty());
    } else if (reply.status == 200) {
        QVERIFY2(!reply.json.isEmpty(), qPrintable(what));
    }
}

void TstServerHostile::everyParameter_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("param");
    for (const Endpoint &endpoint : endpoints()) {
        for (const char *param : endpoint.params) {
            QTest::addRow("%s %s", endpoint.path, param)
                << QString::fromLatin1(endpoint.path) << QString::fromLatin1(param);
        }
    }
}

void TstServerHostile::everyParameter()
{
    QFETCH(QString, path);
    QFETCH(QString, param);
    for (const QString &value : hostileStrings()) {
        // Built by hand so that the value arrives exactly as written (%00 included).
        QUrlQuery query;
        query.setQuery(param + QLatin1Char('=') + encodeValue(value));
        const Reply reply = m_fx.get(path, query);
        checkAnswer(reply, path + QLatin1Char(' ') + param + QLatin1Char('=') + value.left(40));
        if (QTest::currentTestFailed())
            return;
        // Free-text filters answer with a correct (here: empty) result, never with rows that
        // do not match.
        if (reply.status == 200 &&
            (param == QLatin1String("userId") || param == QLatin1String("sessionId") ||
             param == QLatin1String("traceId"))) {
            QCOMPARE(reply.json.value(QLatin1String("data")).toArray().size(), 0);
        }
        if (reply.status == 200 && param == QLatin1String("search") &&
            value != QLatin1String("_") && value != QLatin1String("0") &&
            value != QLatin1String("-1") && value != QLatin1String(" ")) {
            for (const QJsonValue &user : reply.json.value(QLatin1String("data")).toArray()) {
                QVERIFY(user.toObject()
                            .value(QLatin1String("userId"))
                            .toString()
                            .contains(value, Qt::CaseInsensitive));
            }
        }
    }
}

void TstServerHostile::hostilePathIds()
{
    for (const char *prefix :
         {"/api/public/users/", "/api/public/traces/", "/api/public/sessions/"}) {
        for (const QString &value : hostileStrings()) {
            const Reply reply = m_fx.get(QLatin1String(prefix) + encodeValue(value));
            checkAnswer(reply, QLatin1String(prefix) + value.left(40));
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void TstServerHostile::invalid_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("named");
    for (const char *path : {"/api/public/traces", "/api/public/sessions", "/api/public/v2/scores",
                             "/api/public/metrics/daily"}) {
        const QString p = QString::fromLatin1(path);
        QTest::addRow("%s limit 0", path)
            << p << QStringLiteral("limit=0") << QStringLiteral("limit");
        QTest::addRow("%s limit 101", path)
            << p << QStringLiteral("limit=101") << QStringLiteral("limit");
        QTest::addRow("%s page 0", path) << p << QStringLiteral("page=0") << QStringLiteral("page");
        QTest::addRow("%s page -1", path)
            << p << QStringLiteral("page=-1") << QStringLiteral("page");
        QTest::addRow("%s from after to", path)
            << p
            << QStringLiteral(
                   "fromTimestamp=2026-11-02T00:00:00.000Z&toTimestamp=2026-11-01T00:00:00.000Z")
            << QStringLiteral("fromTimestamp");
        QTest::addRow("%s invalid date", path)
            << p << QStringLiteral("toTimestamp=2026-02-30T00:00:00.000Z")
            << QStringLiteral("toTimestamp");
        QTest::addRow("%s unknown parameter", path)
            << p << QStringLiteral("userid=x") << QStringLiteral("userid");
        QTest::addRow("%s twice", path)
            << p << QStringLiteral("page=1&page=2") << QStringLiteral("page");
    }
    QTest::newRow("users unknown parameter") << QStringLiteral("/api/public/users")
                                             << QStringLiteral("sort=x") << QStringLiteral("sort");
    QTest::newRow("users limit 1001") << QStringLiteral("/api/public/users")
                                      << QStringLiteral("limit=1001") << QStringLiteral("limit");
    QTest::newRow("traces orderBy unknown")
        << QStringLiteral("/api/public/traces") << QStringLiteral("orderBy=userId.asc")
        << QStringLiteral("orderBy");
    QTest::newRow("traces orderBy SQL")
        << QStringLiteral("/api/public/traces")
        << QStringLiteral("orderBy=timestamp%3B%20DROP%20TABLE%20traces.desc")
        << QStringLiteral("orderBy");
    QTest::newRow("traces fields unknown")
        << QStringLiteral("/api/public/traces") << QStringLiteral("fields=core,secrets")
        << QStringLiteral("fields");
    QTest::newRow("sessions orderBy unknown")
        << QStringLiteral("/api/public/sessions") << QStringLiteral("orderBy=name.asc")
        << QStringLiteral("orderBy");
    QTest::newRow("scores source") << QStringLiteral("/api/public/v2/scores")
                                   << QStringLiteral("source=api") << QStringLiteral("source");
    QTest::newRow("scores dataType")
        << QStringLiteral("/api/public/v2/scores") << QStringLiteral("dataType=NUMBER")
        << QStringLiteral("dataType");
    QTest::newRow("user unknown parameter")
        << QStringLiteral("/api/public/users/alice%40example.com") << QStringLiteral("page=1")
        << QStringLiteral("page");
    QTest::newRow("metrics without query")
        << QStringLiteral("/api/public/metrics") << QString() << QStringLiteral("query");
    QTest::newRow("metrics malformed JSON")
        << QStringLiteral("/api/public/metrics") << QStringLiteral("query=%7B%22view%22%3A")
        << QStringLiteral("JSON");
    QTest::newRow("metrics JSON array")
        << QStringLiteral("/api/public/metrics") << QStringLiteral("query=%5B%5D")
        << QStringLiteral("JSON object");
    QTest::newRow("metrics extra parameter")
        << QStringLiteral("/api/public/metrics") << QStringLiteral("query=%7B%7D&view=traces")
        << QStringLiteral("view");
}

void TstServerHostile::invalid()
{
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(QString, named);
    QUrlQuery q;
    q.setQuery(query);
    const Reply reply = m_fx.get(path, q);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.json.value(QLatin1String("code")).toString(), QStringLiteral("invalid_request"));
    QVERIFY2(reply.json.value(QLatin1String("message")).toString().contains(named),
             reply.body.constData());
}

void TstServerHostile::hostileMetricsJson()
{
    const QJsonObject base{
        {QStringLiteral("view"), QStringLiteral("traces")},
        {QStringLiteral("dimensions"),
         QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("userId")}}}},
        {QStringLiteral("metrics"),
         QJsonArray{QJsonObject{{QStringLiteral("measure"), QStringLiteral("count")},
                                {QStringLiteral("aggregation"), QStringLiteral("count")}}}},
    };
    // Each place a string can go, with each hostile string in it.
    const QList<std::function<QJsonObject(const QString &)>> placements{
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("view")] = v;
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("dimensions")] = QJsonArray{QJsonObject{{QStringLiteral("field"), v}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("metrics")] =
                QJsonArray{QJsonObject{{QStringLiteral("measure"), v},
                                       {QStringLiteral("aggregation"), QStringLiteral("sum")}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("metrics")] =
                QJsonArray{QJsonObject{{QStringLiteral("measure"), QStringLiteral("totalCost")},
                                       {QStringLiteral("aggregation"), v}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("filters")] =
                QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("userId")},
                                       {QStringLiteral("operator"), QStringLiteral("=")},
                                       {QStringLiteral("value"), v},
                                       {QStringLiteral("type"), QStringLiteral("string")}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("filters")] =
                QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("name")},
                                       {QStringLiteral("operator"), QStringLiteral("contains")},
                                       {QStringLiteral("value"), v}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("filters")] =
                QJsonArray{QJsonObject{{QStringLiteral("column"), v},
                                       {QStringLiteral("operator"), QStringLiteral("=")},
                                       {QStringLiteral("value"), QStringLiteral("x")}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("filters")] =
                QJsonArray{QJsonObject{{QStringLiteral("column"), QStringLiteral("userId")},
                                       {QStringLiteral("operator"), v},
                                       {QStringLiteral("value"), QStringLiteral("x")}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("orderBy")] =
                QJsonArray{QJsonObject{{QStringLiteral("field"), v},
                                       {QStringLiteral("direction"), QStringLiteral("asc")}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("orderBy")] =
                QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("userId")},
                                       {QStringLiteral("direction"), v}}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("fromTimestamp")] = v;
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("timeDimension")] = QJsonObject{{QStringLiteral("granularity"), v}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[QStringLiteral("config")] = QJsonObject{{QStringLiteral("row_limit"), v}};
            return q;
        },
        [&](const QString &v) {
            QJsonObject q = base;
            q[v] = 1;
            return q;
        },
    };
    for (qsizetype i = 0; i < placements.size(); ++i) {
        for (const QString &value : hostileStrings()) {
            const QJsonObject query = placements[i](value);
            QUrlQuery q;
            q.setQuery(QStringLiteral("query=") +
                       encodeValue(
                           QString::fromUtf8(QJsonDocument(query).toJson(QJsonDocument::Compact))));
            const Reply reply = m_fx.get(QStringLiteral("/api/public/metrics"), q);
            checkAnswer(reply,
                        QStringLiteral("metrics placement %1: %2").arg(i).arg(value.left(40)));
            if (QTest::currentTestFailed())
                return;
            if (reply.status == 200 && i == 4) // userId = <hostile>: no such user
                QCOMPARE(reply.json.value(QLatin1String("data")).toArray().size(), 0);
        }
    }
    // Wrong JSON types instead of strings.
    for (const QJsonValue &odd :
         {QJsonValue(1), QJsonValue(true), QJsonValue(QJsonArray{1, 2}),
          QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}), QJsonValue()}) {
        for (const QString &key :
             {QStringLiteral("view"), QStringLiteral("dimensions"), QStringLiteral("metrics"),
              QStringLiteral("filters"), QStringLiteral("orderBy"), QStringLiteral("config"),
              QStringLiteral("timeDimension"), QStringLiteral("toTimestamp")}) {
            QJsonObject query = base;
            query[key] = odd;
            QUrlQuery q;
            q.setQuery(QStringLiteral("query=") +
                       encodeValue(
                           QString::fromUtf8(QJsonDocument(query).toJson(QJsonDocument::Compact))));
            checkAnswer(m_fx.get(QStringLiteral("/api/public/metrics"), q), key);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void TstServerHostile::databaseIntact()
{
    QCOMPARE(counts(), m_countsBefore);
    QSqlQuery check = m_fx.sql(QStringLiteral("PRAGMA integrity_check"));
    QVERIFY(check.next());
    QCOMPARE(check.value(0).toString(), QStringLiteral("ok"));
    const Reply users =
        m_fx.get(QStringLiteral("/api/public/users"), QUrlQuery(QStringLiteral("limit=1000")));
    QCOMPARE(users.status, 200);
    QCOMPARE(users.json.value(QLatin1String("meta"))
                 .toObject()
                 .value(QLatin1String("totalItems"))
                 .toInt(),
             40);
}

QTEST_GUILESS_MAIN(TstServerHostile)
#include "tst_serverhostile.moc"
