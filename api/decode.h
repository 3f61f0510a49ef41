// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/jsonreader.h"
#include "api/metricsquery.h"
#include "api/page.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <optional>

// Decoders for whole response bodies; errors name the JSON path ("data[3].totalCost: missing").

/// {"data":[T…], "meta":{page, limit, totalItems, totalPages}}
template<typename T> std::optional<Page<T>> decodePage(const QJsonDocument &doc, QString *error)
{
    if (!doc.isObject()) {
        *error = QStringLiteral("expected an object");
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Page<T> page;
    JsonReader r(root, QString());
    r.objectList(QLatin1String("data"), &page.items);
    if (!r.finish(error))
        return std::nullopt;
    if (!root.value(QLatin1String("meta")).isObject()) {
        *error = QStringLiteral("meta: expected an object");
        return std::nullopt;
    }
    auto meta = PageMeta::fromJson(root.value(QLatin1String("meta")).toObject(), error);
    if (!meta)
        return std::nullopt;
    page.meta = *meta;
    return page;
}

/// {"data":[T…]} without paging.
template<typename T>
std::optional<QList<T>> decodeDataList(const QJsonDocument &doc, QString *error)
{
    if (!doc.isObject()) {
        *error = QStringLiteral("expected an object");
        return std::nullopt;
    }
    QList<T> items;
    JsonReader r(doc.object(), QString());
    r.objectList(QLatin1String("data"), &items);
    if (!r.finish(error))
        return std::nullopt;
    return items;
}

/// A single object T.
template<typename T> std::optional<T> decodeObject(const QJsonDocument &doc, QString *error)
{
    if (!doc.isObject()) {
        *error = QStringLiteral("expected an object");
        return std::nullopt;
    }
    return T::fromJson(doc.object(), error);
}

/// {"data":[row…]} of the Metrics API; each row must carry what the query asked for.
[[nodiscard]] std::optional<QList<MetricsRow>>
decodeMetricsRows(const QJsonDocument &doc, const MetricsQuery &query, QString *error);
