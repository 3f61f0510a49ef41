// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/costhistogram.h"

#include "server/logging.h"
#include "server/queryparams.h"
#include "server/store.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

namespace xeroml::server {

namespace {

// Nano-USD per USD: a cost of 10^(k+9) nano-USD opens decade k.
constexpr int kNanoDigits = 9;

} // namespace

int CostHistogram::decadeOf(qint64 costNanos)
{
    int digits = 0;
    for (qint64 rest = costNanos; rest > 0; rest /= 10)
        ++digits;
    return digits - 1 - kNanoDigits;
}

double CostHistogram::powerOfTen(int k)
{
    // 10^n is exact in a double for n ≤ 22, so one correctly rounded division (or none)
    // gives the double nearest to 10^k — the same double nano-USD / 1e9 gives at a boundary.
    double p = 1;
    for (int i = 0; i < (k < 0 ? -k : k); ++i)
        p *= 10;
    return k < 0 ? 1 / p : p;
}

void CostHistogram::add(qint64 costNanos)
{
    if (costNanos <= 0)
        ++zeroCostUsers;
    else
        ++decades[decadeOf(costNanos)];
}

qint64 CostHistogram::totalUsers() const
{
    qint64 total = zeroCostUsers;
    for (const auto &[k, users] : decades)
        total += users;
    return total;
}

QJsonObject CostHistogram::toJson() const
{
    QJsonArray buckets;
    if (!decades.empty()) {
        // Contiguous from the lowest to the highest decade: empty decades in between show.
        for (int k = decades.begin()->first; k <= decades.rbegin()->first; ++k) {
            const auto it = decades.find(k);
            buckets.append(
                QJsonObject{{QLatin1String("lowerUsd"), powerOfTen(k)},
                            {QLatin1String("upperUsd"), powerOfTen(k + 1)},
                            {QLatin1String("users"), it == decades.end() ? 0 : it->second}});
        }
    }
    return QJsonObject{{QLatin1String("buckets"), buckets},
                       {QLatin1String("zeroCostUsers"), zeroCostUsers},
                       {QLatin1String("totalUsers"), totalUsers()}};
}

CostHistogram CostHistogram::fromColumns(const TraceColumns &columns, const UsersRequest &request)
{
    TraceColumns::Filter filter;
    filter.fromMs = request.fromMs;
    filter.toMs = request.toMs;
    filter.environments = request.environments;
    filter.search = request.search;
    std::vector<TraceColumns::Totals> totals;
    columns.scan(filter, &totals, nullptr);
    CostHistogram histogram;
    for (const TraceColumns::Totals &t : totals) {
        if (t.traces > 0)
            histogram.add(t.costNanos);
    }
    return histogram;
}

std::optional<CostHistogram> CostHistogram::fromSql(const QSqlDatabase &db,
                                                    const UsersRequest &request, QString *error)
{
    // The same selection as /users' SQL.
    QVariantList binds;
    const QString where = request.sqlWhere(&binds);
    // Integer sums, bucketed by their number of digits: exact, and only a few rows come back.
    const QString sql =
        QStringLiteral("SELECT CASE WHEN cost > 0 THEN length(cost) ELSE 0 END AS digits,"
                       " COUNT(*) FROM (SELECT SUM(total_cost_nanos) AS cost FROM traces"
                       " WHERE %1 GROUP BY user_id) GROUP BY digits")
            .arg(where);
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    for (const QVariant &value : binds)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    CostHistogram histogram;
    while (query.next()) {
        const int digits = query.value(0).toInt();
        const qint64 users = query.value(1).toLongLong();
        if (digits == 0)
            histogram.zeroCostUsers += users;
        else
            histogram.decades[digits - 1 - kNanoDigits] += users;
    }
    if (query.lastError().isValid()) {
        *error = query.lastError().text();
        return std::nullopt;
    }
    return histogram;
}

ApiReply CostHistogram::reply(const Store &store, const QUrlQuery &query)
{
    QueryParams params(query);
    if (!params.checkKeys({QStringLiteral("search"), QStringLiteral("fromTimestamp"),
                           QStringLiteral("toTimestamp")},
                          {QStringLiteral("environment")}))
        return ApiReply::invalid(params.error());
    QString error;
    const auto request = UsersRequest::fromQuery(query, false, &error);
    if (!request)
        return ApiReply::invalid(error);
    if (const TraceColumns *columns = store.columns())
        return ApiReply::ok(fromColumns(*columns, *request).toJson());
    const auto histogram = fromSql(store.database(), *request, &error);
    if (!histogram)
        return ApiReply::internal(QStringLiteral("user cost histogram"), error);
    return ApiReply::ok(histogram->toJson());
}

} // namespace xeroml::server
