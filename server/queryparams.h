// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace xeroml::server {

/// Strict reader of a request's query string: every accessor validates, and the first problem
/// is kept in error() with the parameter's name, ready for a 400 invalid_request.
class QueryParams
{
public:
    static constexpr int MaxValueLength = 2048;

    explicit QueryParams(const QUrlQuery &query);

    /// Rejects keys outside `single` ∪ `repeatable`, a single-valued key given twice and
    /// values longer than MaxValueLength.
    [[nodiscard]] bool checkKeys(const QStringList &single, const QStringList &repeatable);
    [[nodiscard]] bool has(const QString &key) const;
    [[nodiscard]] QString value(const QString &key) const;
    /// Every non-empty value of a repeatable key, duplicates removed.
    [[nodiscard]] QStringList values(const QString &key) const;

    [[nodiscard]] bool paging(int defaultLimit, int maxLimit, int *page, int *limit);
    /// orderBy=<field>.asc|desc with field one of `fields`; leaves the defaults when absent.
    [[nodiscard]] bool orderBy(const QStringList &fields, QString *field, bool *descending);
    /// fromTimestamp (inclusive) / toTimestamp (exclusive) in ms; from ≤ to.
    [[nodiscard]] bool timeRange(std::optional<qint64> *from, std::optional<qint64> *to);
    /// A value that must be one of `allowed` (when present).
    [[nodiscard]] bool oneOf(const QString &key, const QStringList &allowed, QString *result);

    [[nodiscard]] const QString &error() const { return m_error; }
    [[nodiscard]] bool fail(const QString &message);

private:
    QUrlQuery m_query;
    QString m_error;
};

} // namespace xeroml::server
