// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/metricsquery.h"

#include "server/usersrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <array>

namespace xeroml::server {

namespace {

struct Dimension
{
    const char *name;
    const char *sql;
};

struct Measure
{
    const char *name;
    const char *sql; // per-row value
    bool integer;    // stored as an integer (tokens, nanos, ms, counts)
    double scale;    // stored unit → API unit
};

struct View
{
    const char *name;
    const char *from; // FROM … [WHERE fixed condition]
    const char *fixedWhere;
    const char *time; // ms since the epoch that ranges and time buckets apply to
    std::vector<Dimension> dimensions;
    std::vector<Measure> measures;
};

// The whitelist: nothing else from a query can reach SQL.
// Observations are placed in time by their trace's timestamp, like /users, so that per-user
// figures from this view equal the users page's over any window.
const std::array<View, 3> &views()
{
    static const std::array<View, 3> kViews{{
        {"traces",
         "traces t",
         nullptr,
         "t.ts",
         {{"userId", "t.user_id"},
          {"name", "t.name"},
          {"environment", "t.environment"},
          {"sessionId", "t.session_id"},
          {"release", "t.release"},
          {"version", "t.version"}},
         {{"count", "1", true, 1},
          {"totalTokens", "t.total_tokens", true, 1},
          {"inputTokens", "t.input_tokens", true, 1},
          {"outputTokens", "t.output_tokens", true, 1},
          {"totalCost", "t.total_cost_nanos", true, 1e9},
          {"latency", "t.latency_ms", true, 1000},
          {"observationsCount", "t.observation_count", true, 1},
          {"scoresCount", "(SELECT COUNT(*) FROM scores sc WHERE sc.trace_id = t.id)", true, 1}}},
        {"observations",
         "observations o JOIN traces t ON t.id = o.trace_id",
         nullptr,
         "t.ts",
         {{"userId", "t.user_id"},
          {"name", "o.name"},
          {"type", "o.type"},
          {"providedModelName", "o.model"},
          {"environment", "o.environment"},
          {"traceName", "t.name"},
          {"traceId", "o.trace_id"}},
         {{"count", "1", true, 1},
          {"inputTokens", "o.input_tokens", true, 1},
          {"outputTokens", "o.output_tokens", true, 1},
          {"totalTokens", "o.total_tokens", true, 1},
          {"inputCost", "o.input_cost_nanos", true, 1e9},
          {"outputCost", "o.output_cost_nanos", true, 1e9},
          {"totalCost", "o.total_cost_nanos", true, 1e9},
          {"latency", "(o.end_time - o.start_time)", true, 1000}}},
        {"scores-numeric",
         "scores s LEFT JOIN traces t ON t.id = s.trace_id",
         "s.data_type = 'NUMERIC'",
         "s.ts",
         {{"userId", "t.user_id"},
          {"name", "s.name"},
          {"source", "s.source"},
          {"environment", "s.environment"},
          {"traceId", "s.trace_id"}},
         {{"count", "1", true, 1}, {"value", "s.value", false, 1}}},
    }};
    return kViews;
}

const QStringList kAggregations{QStringLiteral("sum"), QStringLiteral("avg"),
                                QStringLiteral("count"), QStringLiteral("min"),
                                QStringLiteral("max")};
const QStringList kPercentiles{QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p95"),
                               QStringLiteral("p99")};
const QStringList kGranularities{QStringLiteral("hour"), QStringLiteral("day"),
                                 QStringLiteral("week"), QStringLiteral("month")};
const QStringList kOperators{QStringLiteral("="),        QStringLiteral("!="),
                             QStringLiteral(">"),        QStringLiteral(">="),
                             QStringLiteral("<"),        QStringLiteral("<="),
                             QStringLiteral("contains"), QStringLiteral("any of")};

QString shown(const QJsonValue &value)
{
    QString text =
        value.isString()
            ? value.toString()
            : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                  .mid(1)
                  .chopped(1);
    if (text.size() > 60)
        text = text.left(60) + QStringLiteral("…");
    for (QChar &c : text) {
        if (!c.isPrint())
            c = QChar(0xfffd);
    }
    return QLatin1Char('"') + text + QLatin1Char('"');
}

bool onlyKeys(const QJsonObject &object, const QStringList &allowed, const QString &where,
              QString *error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = QStringLiteral("unknown field %1 in %2; allowed: %3")
                         .arg(shown(it.key()), where, allowed.join(QLatin1String(", ")));
            return false;
        }
    }
    return true;
}

QStringList dimensionNames(const View &view)
{
    QStringList names;
    for (const Dimension &d : view.dimensions)
        names.append(QLatin1String(d.name));
    return names;
}

QStringList measureNames(const View &view)
{
    QStringList names;
    for (const Measure &m : view.measures)
        names.append(QLatin1String(m.name));
    return names;
}

const Dimension *findDimension(const View &view, const QString &name)
{
    for (const Dimension &d : view.dimensions) {
        if (name == QLatin1String(d.name))
            return &d;
    }
    return nullptr;
}

const Measure *findMeasure(const View &view, const QString &name)
{
    for (const Measure &m : view.measures) {
        if (name == QLatin1String(m.name))
            return &m;
    }
    return nullptr;
}

std::optional<qint64> timeField(const QJsonObject &query, const char *key, QString *error)
{
    const QJsonValue value = query.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const auto ms =
        value.isString() ? UsersRequest::parseTimestamp(value.toString()) : std::optional<qint64>();
    if (!ms) {
        *error = QStringLiteral("%1 must be an ISO 8601 time with a zone; got %2")
                     .arg(QLatin1String(key), shown(value));
    }
    return ms;
}

QString bucketSql(const QString &granularity, const QString &column)
{
    if (granularity == QLatin1String("hour"))
        return QStringLiteral("((%1) / 3600000) * 3600000").arg(column);
    if (granularity == QLatin1String("day"))
        return QStringLiteral("((%1) / 86400000) * 86400000").arg(column);
    if (granularity == QLatin1String("week")) // weeks start on Monday; 1970-01-01 was a Thursday
        return QStringLiteral("(((%1) / 86400000) - (((%1) / 86400000 + 3) % 7)) * 86400000")
            .arg(column);
    return QStringLiteral(
               "CAST(strftime('%s', (%1) / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000")
        .arg(column);
}

} // namespace

ApiReply MetricsQuery::run(const QSqlDatabase &db, const TraceColumns *columns,
                           const QUrlQuery &query)
{
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key != QLatin1String("query"))
            return ApiReply::invalid(
                QStringLiteral("unknown parameter %1; the only parameter is query")
                    .arg(shown(key)));
    }
    if (items.size() != 1)
        return ApiReply::invalid(QStringLiteral("query is required, once: a JSON object"));
    const QString text = items.first().second;
    if (text.size() > 64 * 1024)
        return ApiReply::invalid(QStringLiteral("query is longer than 65536 characters"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        return ApiReply::invalid(QStringLiteral("query is not a JSON object: %1")
                                     .arg(parseError.error != QJsonParseError::NoError
                                              ? parseError.errorString()
                                              : QStringLiteral("not an object")));
    }
    QString error;
    const auto parsed = parse(doc.object(), &error);
    if (!parsed)
        return ApiReply::invalid(error);
    if (parsed->m_fast && columns)
        return parsed->executeFast(*columns);
    return parsed->execute(db);
}

std::optional<MetricsQuery> MetricsQuery::parse(const QJsonObject &query, QString *error)
{
    if (!onlyKeys(query,
                  {QStringLiteral("view"), QStringLiteral("dimensions"), QStringLiteral("metrics"),
                   QStringLiteral("filters"), QStringLiteral("timeDimension"),
                   QStringLiteral("fromTimestamp"), QStringLiteral("toTimestamp"),
                   QStringLiteral("orderBy"), QStringLiteral("config")},
                  QStringLiteral("the query"), error))
        return std::nullopt;

    const QString viewName = query.value(QLatin1String("view")).toString();
    const View *view = nullptr;
    QStringList viewNames;
    for (const View &v : views()) {
        viewNames.append(QLatin1String(v.name));
        if (viewName == QLatin1String(v.name))
            view = &v;
    }
    if (!view) {
        *error = QStringLiteral("unknown view %1; views: %2")
                     .arg(shown(query.value(QLatin1String("view"))),
                          viewNames.join(QLatin1String(", ")));
        return std::nullopt;
    }

    const auto arrayField = [&](const char *key, QJsonArray *out) {
        const QJsonValue value = query.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            return true;
        if (!value.isArray()) {
            *error = QStringLiteral("%1 must be an array").arg(QLatin1String(key));
            return false;
        }
        *out = value.toArray();
        return true;
    };
    QJsonArray dimensions, metrics, filters, orderBy;
    if (!arrayField("dimensions", &dimensions) || !arrayField("metrics", &metrics) ||
        !arrayField("filters", &filters) || !arrayField("orderBy", &orderBy))
        return std::nullopt;

    MetricsQuery result;
    FastPlan fast;
    bool fastPossible =
        (viewName == QLatin1String("traces") || viewName == QLatin1String("observations"));
    fast.observations = viewName == QLatin1String("observations");
    QStringList selects;
    QStringList groupBy;
    QStringList orderable; // output keys
    QHash<QString, QString> orderSql;

    for (const QJsonValue &value : std::as_const(dimensions)) {
        const QJsonObject object = value.toObject();
        if (!value.isObject() ||
            !onlyKeys(object, {QStringLiteral("field")}, QStringLiteral("a dimension"), error)) {
            if (error->isEmpty())
                *error = QStringLiteral("each dimension must be an object {\"field\": …}");
            return std::nullopt;
        }
        const QString field = object.value(QLatin1String("field")).toString();
        const Dimension *d = findDimension(*view, field);
        if (!d) {
            *error = QStringLiteral("unknown dimension %1 for view %2; dimensions: %3")
                         .arg(shown(object.value(QLatin1String("field"))), viewName,
                              dimensionNames(*view).join(QLatin1String(", ")));
            return std::nullopt;
        }
        if (orderable.contains(field)) {
            *error = QStringLiteral("dimension %1 is given twice").arg(field);
            return std::nullopt;
        }
        const QString alias = QStringLiteral("d%1").arg(selects.size());
        selects.append(QLatin1String(d->sql) + QStringLiteral(" AS ") + alias);
        groupBy.append(alias);
        orderable.append(field);
        orderSql.insert(field, alias);
        result.m_outputs.append({field, Output::Text, 1});
        if (field == QLatin1String("userId"))
            fast.byUser = true;
        else
            fastPossible = false;
    }

    const QJsonValue timeDimension = query.value(QLatin1String("timeDimension"));
    QString timeAlias;
    if (!timeDimension.isUndefined() && !timeDimension.isNull()) {
        const QJsonObject object = timeDimension.toObject();
        if (!timeDimension.isObject() || !onlyKeys(object, {QStringLiteral("granularity")},
                                                   QStringLiteral("timeDimension"), error)) {
            if (error->isEmpty())
                *error = QStringLiteral("timeDimension must be an object {\"granularity\": …}");
            return std::nullopt;
        }
        const QString granularity = object.value(QLatin1String("granularity")).toString();
        if (!kGranularities.contains(granularity)) {
            *error = QStringLiteral("unknown granularity %1; granularities: %2")
                         .arg(shown(object.value(QLatin1String("granularity"))),
                              kGranularities.join(QLatin1String(", ")));
            return std::nullopt;
        }
        fastPossible = false;
        timeAlias = QStringLiteral("tb");
        selects.append(bucketSql(granularity, QLatin1String(view->time)) +
                       QStringLiteral(" AS tb"));
        groupBy.append(timeAlias);
        orderable.append(QStringLiteral("time_dimension"));
        orderSql.insert(QStringLiteral("time_dimension"), timeAlias);
        result.m_outputs.append({QStringLiteral("time_dimension"), Output::Time, 1});
    }

    QStringList metricKeys;
    for (const QJsonValue &value : std::as_const(metrics)) {
        const QJsonObject object = value.toObject();
        if (!value.isObject() ||
            !onlyKeys(object, {QStringLiteral("measure"), QStringLiteral("aggregation")},
                      QStringLiteral("a metric"), error)) {
            if (error->isEmpty())
                *error =
                    QStringLiteral("each metric must be an object {\"measure\", \"aggregation\"}");
            return std::nullopt;
        }
        const QString measureName = object.value(QLatin1String("measure")).toString();
        const Measure *m = findMeasure(*view, measureName);
        if (!m) {
            *error = QStringLiteral("unknown measure %1 for view %2; measures: %3")
                         .arg(shown(object.value(QLatin1String("measure"))), viewName,
                              measureNames(*view).join(QLatin1String(", ")));
            return std::nullopt;
        }
        const QString aggregation = object.value(QLatin1String("aggregation")).toString();
        if (kPercentiles.contains(aggregation)) {
            *error = QStringLiteral("aggregation %1 is not supported by this server; use one of %2")
                         .arg(aggregation, kAggregations.join(QLatin1String(", ")));
            return std::nullopt;
        }
        if (!kAggregations.contains(aggregation)) {
            *error = QStringLiteral("unknown aggregation %1; aggregations: %2")
                         .arg(shown(object.value(QLatin1String("aggregation"))),
                              kAggregations.join(QLatin1String(", ")));
            return std::nullopt;
        }
        const QString key = aggregation + QLatin1Char('_') + measureName;
        if (metricKeys.contains(key))
            continue;
        metricKeys.append(key);
        const QString expression = QLatin1String(m->sql);
        QString sql;
        Output output{key, m->integer ? Output::Integer : Output::Real, m->scale};
        if (aggregation == QLatin1String("count")) {
            // Rows with a value; for the count measure that is every row.
            sql = measureName == QLatin1String("count")
                      ? QStringLiteral("COUNT(*)")
                      : QStringLiteral("COUNT(%1)").arg(expression);
            output = {key, Output::Integer, 1};
        } else if (measureName == QLatin1String("count") && aggregation == QLatin1String("sum")) {
            sql = QStringLiteral("COUNT(*)");
        } else if (aggregation == QLatin1String("sum")) {
            sql = QStringLiteral("TOTAL(%1)").arg(expression);
            if (m->integer)
                sql = QStringLiteral("COALESCE(SUM(%1), 0)").arg(expression);
        } else if (aggregation == QLatin1String("avg")) {
            sql = QStringLiteral("AVG(%1)").arg(expression);
            output.kind = Output::Real;
        } else {
            sql = QStringLiteral("%1(%2)").arg(aggregation.toUpper(), expression);
        }
        if (output.kind == Output::Integer && output.scale != 1)
            output.kind = Output::Real;
        const bool summable =
            (aggregation == QLatin1String("sum") ||
             (aggregation == QLatin1String("count") && measureName == QLatin1String("count"))) &&
            QStringList{QStringLiteral("count"),       QStringLiteral("totalTokens"),
                        QStringLiteral("inputTokens"), QStringLiteral("outputTokens"),
                        QStringLiteral("totalCost"),   QStringLiteral("observationsCount")}
                .contains(measureName);
        if (summable)
            fast.metrics.append({key, measureName});
        else
            fastPossible = false;
        const QString alias = QStringLiteral("m%1").arg(metricKeys.size() - 1);
        selects.append(sql + QStringLiteral(" AS ") + alias);
        orderable.append(key);
        orderSql.insert(key, alias);
        result.m_outputs.append(output);
    }
    if (metricKeys.isEmpty() && groupBy.isEmpty()) {
        *error = QStringLiteral("the query needs at least one dimension or metric");
        return std::nullopt;
    }

    QStringList where;
    if (view->fixedWhere)
        where.append(QLatin1String(view->fixedWhere));
    error->clear();
    const auto from = timeField(query, "fromTimestamp", error);
    if (!error->isEmpty())
        return std::nullopt;
    const auto to = timeField(query, "toTimestamp", error);
    if (!error->isEmpty())
        return std::nullopt;
    if (from && to && *from > *to) {
        *error = QStringLiteral("fromTimestamp must not be after toTimestamp");
        return std::nullopt;
    }
    fast.filter.fromMs = from;
    fast.filter.toMs = to;
    if (from) {
        where.append(QLatin1String(view->time) + QStringLiteral(" >= ?"));
        result.m_binds.append(*from);
    }
    if (to) {
        where.append(QLatin1String(view->time) + QStringLiteral(" < ?"));
        result.m_binds.append(*to);
    }

    for (const QJsonValue &value : std::as_const(filters)) {
        const QJsonObject object = value.toObject();
        if (!value.isObject() || !onlyKeys(object,
                                           {QStringLiteral("column"), QStringLiteral("operator"),
                                            QStringLiteral("value"), QStringLiteral("type")},
                                           QStringLiteral("a filter"), error)) {
            if (error->isEmpty())
                *error = QStringLiteral("each filter must be an object {column, operator, value}");
            return std::nullopt;
        }
        const QString column = object.value(QLatin1String("column")).toString();
        const QString op = object.value(QLatin1String("operator")).toString();
        const QJsonValue operand = object.value(QLatin1String("value"));
        const Dimension *d = findDimension(*view, column);
        const Measure *m = d ? nullptr : findMeasure(*view, column);
        if (!d && (!m || column == QLatin1String("count"))) {
            *error = QStringLiteral("unknown filter column %1 for view %2; columns: %3")
                         .arg(shown(object.value(QLatin1String("column"))), viewName,
                              (dimensionNames(*view) + measureNames(*view).mid(1))
                                  .join(QLatin1String(", ")));
            return std::nullopt;
        }
        if (!kOperators.contains(op)) {
            *error = QStringLiteral("unknown filter operator %1; operators: %2")
                         .arg(shown(object.value(QLatin1String("operator"))),
                              kOperators.join(QLatin1String(", ")));
            return std::nullopt;
        }
        if (object.contains(QLatin1String("type")) &&
            !object.value(QLatin1String("type")).isString()) {
            *error = QStringLiteral("filter type must be a string");
            return std::nullopt;
        }
        if (d) {
            const QString sql = QLatin1String(d->sql);
            if (op == QLatin1String("any of")) {
                const QJsonArray list = operand.toArray();
                if (!operand.isArray() || list.isEmpty() ||
                    std::any_of(list.begin(), list.end(),
                                [](const QJsonValue &v) { return !v.isString(); })) {
                    *error = QStringLiteral("filter %1 \"any of\" needs a non-empty array of "
                                            "strings")
                                 .arg(column);
                    return std::nullopt;
                }
                QStringList marks;
                for (const QJsonValue &v : list) {
                    marks.append(QStringLiteral("?"));
                    result.m_binds.append(v.toString());
                }
                where.append(sql + QStringLiteral(" IN (") + marks.join(QLatin1Char(',')) +
                             QLatin1Char(')'));
                if (column == QLatin1String("environment") && !fast.observations &&
                    fast.filter.environments.isEmpty()) {
                    for (const QJsonValue &v : list)
                        fast.filter.environments.append(v.toString());
                } else {
                    fastPossible = false;
                }
                continue;
            }
            if (!operand.isString()) {
                *error = QStringLiteral("filter %1 needs a string value").arg(column);
                return std::nullopt;
            }
            if (column == QLatin1String("environment") && op == QLatin1String("=") &&
                !fast.observations && fast.filter.environments.isEmpty())
                fast.filter.environments.append(operand.toString());
            else
                fastPossible = false;
            if (op == QLatin1String("contains"))
                where.append(QStringLiteral("instr(%1, ?) > 0").arg(sql));
            else if (op == QLatin1String("!="))
                where.append(QStringLiteral("(%1 IS NULL OR %1 != ?)").arg(sql));
            else
                where.append(sql + QLatin1Char(' ') + op + QStringLiteral(" ?"));
            result.m_binds.append(operand.toString());
        } else {
            if (op == QLatin1String("contains") || op == QLatin1String("any of")) {
                *error = QStringLiteral("filter operator %1 does not apply to the number %2")
                             .arg(op, column);
                return std::nullopt;
            }
            if (!operand.isDouble()) {
                *error = QStringLiteral("filter %1 needs a number value").arg(column);
                return std::nullopt;
            }
            fastPossible = false;
            const QString sql = QStringLiteral("(%1)").arg(QLatin1String(m->sql));
            if (op == QLatin1String("!="))
                where.append(QStringLiteral("(%1 IS NULL OR %1 != ?)").arg(sql));
            else
                where.append(sql + QLatin1Char(' ') + op + QStringLiteral(" ?"));
            result.m_binds.append(operand.toDouble() * m->scale);
        }
    }

    QStringList order;
    QStringList ordered;
    for (const QJsonValue &value : std::as_const(orderBy)) {
        const QJsonObject object = value.toObject();
        if (!value.isObject() ||
            !onlyKeys(object, {QStringLiteral("field"), QStringLiteral("direction")},
                      QStringLiteral("orderBy"), error)) {
            if (error->isEmpty())
                *error = QStringLiteral("each orderBy entry must be {field, direction}");
            return std::nullopt;
        }
        const QString field = object.value(QLatin1String("field")).toString();
        if (!orderable.contains(field)) {
            *error = QStringLiteral("orderBy field %1 is not in the query; use one of %2")
                         .arg(shown(object.value(QLatin1String("field"))),
                              orderable.join(QLatin1String(", ")));
            return std::nullopt;
        }
        const QString direction =
            object.value(QLatin1String("direction")).toString(QStringLiteral("asc")).toLower();
        if (direction != QLatin1String("asc") && direction != QLatin1String("desc")) {
            *error = QStringLiteral("orderBy direction must be asc or desc; got %1")
                         .arg(shown(object.value(QLatin1String("direction"))));
            return std::nullopt;
        }
        order.append(orderSql.value(field) + QLatin1Char(' ') + direction.toUpper());
        ordered.append(field);
        fast.order.append({field, direction == QLatin1String("desc")});
    }
    // The rest of the grouping keys, ascending, make the row order total and stable.
    if (!timeAlias.isEmpty() && !ordered.contains(QStringLiteral("time_dimension")))
        order.append(timeAlias + QStringLiteral(" ASC"));
    for (qsizetype i = 0; i < groupBy.size(); ++i) {
        const QString &alias = groupBy[i];
        if (alias != timeAlias && !order.contains(alias + QStringLiteral(" ASC")) &&
            !order.contains(alias + QStringLiteral(" DESC")))
            order.append(alias + QStringLiteral(" ASC"));
    }

    int rowLimit = DefaultRowLimit;
    const QJsonValue config = query.value(QLatin1String("config"));
    if (!config.isUndefined() && !config.isNull()) {
        if (!config.isObject() || !onlyKeys(config.toObject(), {QStringLiteral("row_limit")},
                                            QStringLiteral("config"), error)) {
            if (error->isEmpty())
                *error = QStringLiteral("config must be an object");
            return std::nullopt;
        }
        const QJsonValue limit = config.toObject().value(QLatin1String("row_limit"));
        if (!limit.isUndefined()) {
            const double number = limit.toDouble(-1);
            if (!limit.isDouble() || number != static_cast<double>(static_cast<int>(number)) ||
                number < 1 || number > MaxRowLimit) {
                *error = QStringLiteral("config.row_limit must be an integer from 1 to %1")
                             .arg(MaxRowLimit);
                return std::nullopt;
            }
            rowLimit = static_cast<int>(number);
        }
    }

    result.m_sql = QStringLiteral("SELECT ") + selects.join(QStringLiteral(", ")) +
                   QStringLiteral(" FROM ") + QLatin1String(view->from);
    if (!where.isEmpty())
        result.m_sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    if (!groupBy.isEmpty())
        result.m_sql += QStringLiteral(" GROUP BY ") + groupBy.join(QStringLiteral(", "));
    if (!order.isEmpty())
        result.m_sql += QStringLiteral(" ORDER BY ") + order.join(QStringLiteral(", "));
    result.m_sql += QStringLiteral(" LIMIT ?");
    result.m_binds.append(rowLimit);
    if (fastPossible && !fast.metrics.isEmpty()) {
        fast.rowLimit = rowLimit;
        fast.filter.withoutUser = true;
        fast.filter.onlyWithObservations = fast.observations;
        result.m_fast = fast;
    }
    return result;
}

ApiReply MetricsQuery::executeFast(const TraceColumns &columns) const
{
    const FastPlan &plan = *m_fast;
    std::vector<TraceColumns::Totals> users;
    TraceColumns::Totals noUser;
    columns.scan(plan.filter, &users, &noUser);
    const auto total = [&](int group) -> const TraceColumns::Totals & {
        return group < 0 ? noUser : users[static_cast<size_t>(group)];
    };
    // The integer behind each output (tokens, counts, nano-USD).
    const auto value = [&](int group, const QString &measure) -> qint64 {
        const TraceColumns::Totals &t = total(group);
        if (measure == QLatin1String("count"))
            return plan.observations ? t.observations : t.traces;
        if (measure == QLatin1String("observationsCount"))
            return t.observations;
        if (measure == QLatin1String("inputTokens"))
            return t.inputTokens;
        if (measure == QLatin1String("outputTokens"))
            return t.outputTokens;
        if (measure == QLatin1String("totalTokens"))
            return t.totalTokens;
        return t.costNanos;
    };

    std::vector<int> groups;
    if (plan.byUser) {
        if (noUser.traces > 0)
            groups.push_back(-1);
        for (size_t u = 0; u < users.size(); ++u) {
            if (users[u].traces > 0)
                groups.push_back(static_cast<int>(u));
        }
    } else {
        // No dimension: one row of totals over every selected trace.
        TraceColumns::Totals sum = noUser;
        for (const TraceColumns::Totals &t : users) {
            sum.traces += t.traces;
            sum.observations += t.observations;
            sum.inputTokens += t.inputTokens;
            sum.outputTokens += t.outputTokens;
            sum.totalTokens += t.totalTokens;
            sum.costNanos += t.costNanos;
        }
        noUser = sum;
        groups.push_back(-1);
    }
    (void)(columns.userCount() > 0 && columns.userRank(0) >= 0);
    // SQL's order: the orderBy keys, then the user id ascending (NULL first).
    const auto userLess = [&](int a, int b) {
        if (a == b)
            return false;
        if (a < 0 || b < 0)
            return a < 0;
        return columns.userRank(a) < columns.userRank(b);
    };
    const auto less = [&](int a, int b) {
        for (const auto &[key, descending] : plan.order) {
            if (key == QLatin1String("userId")) {
                if (a != b)
                    return descending ? userLess(b, a) : userLess(a, b);
                continue;
            }
            QString measure;
            for (const auto &[metricKey, metricMeasure] : plan.metrics) {
                if (metricKey == key)
                    measure = metricMeasure;
            }
            const qint64 va = value(a, measure);
            const qint64 vb = value(b, measure);
            if (va != vb)
                return descending ? va > vb : va < vb;
        }
        return userLess(a, b);
    };
    const size_t count = std::min(groups.size(), static_cast<size_t>(plan.rowLimit));
    std::partial_sort(groups.begin(), groups.begin() + static_cast<qsizetype>(count), groups.end(),
                      less);

    QJsonArray rows;
    for (size_t i = 0; i < count; ++i) {
        const int group = groups[i];
        QJsonObject row;
        if (plan.byUser) {
            row.insert(QLatin1String("userId"), group < 0 ? QJsonValue(QJsonValue::Null)
                                                          : QJsonValue(columns.userId(group)));
        }
        for (const auto &[key, measure] : plan.metrics) {
            const qint64 v = value(group, measure);
            if (measure == QLatin1String("totalCost"))
                row.insert(key, static_cast<double>(v) / 1e9);
            else
                row.insert(key, v);
        }
        rows.append(row);
    }
    return ApiReply::ok(QJsonObject{{QLatin1String("data"), rows}});
}

ApiReply MetricsQuery::execute(const QSqlDatabase &db) const
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(m_sql))
        return ApiReply::internal(QStringLiteral("metrics"), q.lastError().text());
    for (const QVariant &value : m_binds)
        q.addBindValue(value);
    if (!q.exec())
        return ApiReply::internal(QStringLiteral("metrics"), q.lastError().text());
    QJsonArray rows;
    while (q.next()) {
        QJsonObject row;
        for (qsizetype i = 0; i < m_outputs.size(); ++i) {
            const Output &output = m_outputs[i];
            const QVariant value = q.value(static_cast<int>(i));
            QJsonValue json(QJsonValue::Null);
            if (!value.isNull()) {
                switch (output.kind) {
                case Output::Text:
                    json = value.toString();
                    break;
                case Output::Integer:
                    json = value.toLongLong();
                    break;
                case Output::Real:
                    json = value.toDouble() / output.scale;
                    break;
                case Output::Time:
                    json = UsersRequest::formatTimestamp(value.toLongLong());
                    break;
                }
            }
            row.insert(output.key, json);
        }
        rows.append(row);
    }
    if (q.lastError().isValid())
        return ApiReply::internal(QStringLiteral("metrics"), q.lastError().text());
    return ApiReply::ok(QJsonObject{{QLatin1String("data"), rows}});
}

} // namespace xeroml::server
