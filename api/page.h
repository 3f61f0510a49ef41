// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// The `meta` object of a paged response.
struct PageMeta
{
    int page = 1;
    int limit = 0;
    qint64 totalItems = 0;
    int totalPages = 0;
    /// True when the server could not list everything and the client built a capped list
    /// instead (the Metrics fallback of /users: the top 1000 by orderedBy).
    bool capped = false;
    /// When capped: the field whose measure chose and ordered the rows (e.g. "totalCost").
    QString orderedBy;
    /// When capped: fields the fallback cannot know and left at their defaults.
    QStringList unavailableFields;

    [[nodiscard]] static std::optional<PageMeta> fromJson(const QJsonObject &json, QString *error);
};

/// One page of a paged endpoint.
template<typename T> struct Page
{
    QList<T> items;
    PageMeta meta;
};
