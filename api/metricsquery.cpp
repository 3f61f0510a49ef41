// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/metricsquery.h"

#include "api/decode.h"
#include "api/jsonreader.h"

#include <QJsonArray>

QString MetricsQuery::addMetric(const QString &measure, const QString &aggregation)
{
    metrics.append({measure, aggregation});
    return metrics.constLast().key();
}

void MetricsQuery::filterEnvironments(const QStringList &environments)
{
    if (environments.isEmpty())
        return;
    filters.append({QStringLiteral("environment"), QStringLiteral("any of"),
                    QJsonArray::fromStringList(environments), QStringLiteral("stringOptions")});
}

void MetricsQuery::filterEquals(const QString &column, const QString &value)
{
    filters.append({column, QStringLiteral("="), value, QStringLiteral("string")});
}

QJsonObject MetricsQuery::toJson() const
{
    QJsonObject json;
    json.insert(QLatin1String("view"), view);
    QJsonArray dims;
    for (const QString &d : dimensions)
        dims.append(QJsonObject{{QLatin1String("field"), d}});
    json.insert(QLatin1String("dimensions"), dims);
    QJsonArray ms;
    for (const Metric &m : metrics)
        ms.append(QJsonObject{{QLatin1String("measure"), m.measure},
                              {QLatin1String("aggregation"), m.aggregation}});
    json.insert(QLatin1String("metrics"), ms);
    QJsonArray fs;
    for (const Filter &f : filters)
        fs.append(QJsonObject{{QLatin1String("column"), f.column},
                              {QLatin1String("operator"), f.op},
                              {QLatin1String("value"), f.value},
                              {QLatin1String("type"), f.type}});
    json.insert(QLatin1String("filters"), fs);
    json.insert(QLatin1String("timeDimension"),
                granularity.isEmpty()
                    ? QJsonValue(QJsonValue::Null)
                    : QJsonValue(QJsonObject{{QLatin1String("granularity"), granularity}}));
    if (from.isValid())
        json.insert(QLatin1String("fromTimestamp"), toIsoTime(from));
    if (to.isValid())
        json.insert(QLatin1String("toTimestamp"), toIsoTime(to));
    QJsonArray order;
    for (const Order &o : orderBy)
        order.append(QJsonObject{{QLatin1String("field"), o.field},
                                 {QLatin1String("direction"),
                                  o.descending ? QStringLiteral("desc") : QStringLiteral("asc")}});
    json.insert(QLatin1String("orderBy"), order);
    if (rowLimit > 0)
        json.insert(QLatin1String("config"), QJsonObject{{QLatin1String("row_limit"), rowLimit}});
    return json;
}

std::optional<MetricsRow> MetricsRow::fromJson(const QJsonObject &json, const MetricsQuery &query,
                                               QString *error)
{
    MetricsRow row;
    auto fail = [error](const QString &key, const QString &what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(key, what);
        return std::nullopt;
    };
    row.dimensions.reserve(query.dimensions.size());
    for (const QString &field : query.dimensions) {
        const auto it = json.constFind(field);
        if (it == json.constEnd())
            return fail(field, QStringLiteral("missing"));
        if (it->isNull())
            row.dimensions.insert(field, QString());
        else if (it->isString())
            row.dimensions.insert(field, it->toString());
        else
            return fail(field, QStringLiteral("expected a string or null"));
    }
    row.metrics.reserve(query.metrics.size());
    for (const MetricsQuery::Metric &m : query.metrics) {
        const QString key = m.key();
        const auto it = json.constFind(key);
        if (it == json.constEnd())
            return fail(key, QStringLiteral("missing"));
        if (it->isNull()) {
            row.metrics.insert(key, std::nullopt);
        } else if (it->isDouble()) {
            row.metrics.insert(key, it->toDouble());
        } else if (it->isString()) {
            bool ok = false;
            const double v = it->toString().toDouble(&ok);
            if (!ok)
                return fail(
                    key,
                    QStringLiteral("expected a number, got \"%1\"").arg(it->toString().left(40)));
            row.metrics.insert(key, v);
        } else {
            return fail(key, QStringLiteral("expected a number or null"));
        }
    }
    if (!query.granularity.isEmpty()) {
        JsonReader r(json, QString());
        r.dateTime(QLatin1String("time_dimension"), &row.timeDimension);
        if (!r.finish(error))
            return std::nullopt;
    }
    return row;
}

std::optional<QList<MetricsRow>> decodeMetricsRows(const QJsonDocument &doc,
                                                   const MetricsQuery &query, QString *error)
{
    const QJsonValue data = doc.object().value(QLatin1String("data"));
    if (!doc.isObject() || !data.isArray()) {
        *error = QStringLiteral("data: expected an array");
        return std::nullopt;
    }
    const QJsonArray rows = data.toArray();
    QList<MetricsRow> out;
    out.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (!rows.at(i).isObject()) {
            *error = QStringLiteral("data[%1]: expected an object").arg(i);
            return std::nullopt;
        }
        QString inner;
        auto row = MetricsRow::fromJson(rows.at(i).toObject(), query, &inner);
        if (!row) {
            *error = QStringLiteral("data[%1].%2").arg(i).arg(inner);
            return std::nullopt;
        }
        out.append(std::move(*row));
    }
    return out;
}
