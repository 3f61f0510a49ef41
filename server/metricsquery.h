// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/readapi.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>
#include <QUrlQuery>
#include <QVariantList>

#include <optional>

namespace xeroml::server {

/// GET /api/public/metrics?query=<JSON> (Metrics API v1): parses the query against a fixed
/// description of each view, then compiles it to one SELECT made only of whitelisted fragments
/// with every value from the request bound as a parameter.
class MetricsQuery
{
public:
    static constexpr int DefaultRowLimit = 100;
    static constexpr int MaxRowLimit = 1000;

    /// The whole endpoint: validation (400 naming the problem) and execution.
    [[nodiscard]] static ApiReply run(const QSqlDatabase &db, const QUrlQuery &query);
    /// nullopt with *error naming the unknown view / field / measure / operator otherwise.
    [[nodiscard]] static std::optional<MetricsQuery> parse(const QJsonObject &query,
                                                           QString *error);
    /// The compiled statement (for tests and logging; values stay in binds()).
    [[nodiscard]] QString sql() const { return m_sql; }
    [[nodiscard]] const QVariantList &binds() const { return m_binds; }

private:
    struct Output
    {
        QString key;
        enum Kind { Text, Integer, Real, Time } kind = Text;
        double scale = 1; // integer storage → API unit (nano-USD → USD, ms → s)
    };

    [[nodiscard]] ApiReply execute(const QSqlDatabase &db) const;

    QString m_sql;
    QVariantList m_binds;
    QList<Output> m_outputs;
};

} // namespace xeroml::server
