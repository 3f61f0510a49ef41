// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QString>

#include <optional>
#include <vector>

namespace xeroml::server {

/// Token counts of one observation per usage type ("input", "output", "total",
/// "input_cached_tokens", …), as normalised by the ingestion.
using UsageDetails = QMap<QString, qint64>;

/// Cost of one observation in integer nano-USD.
struct CostNanos
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 total = 0;
};

/// The model price table (resources/model-prices.json, compiled in as :/xeroml/model-prices.json):
/// per model a name pattern, the date from which the prices hold and a price per usage type
/// in USD per 1M tokens. Not thread-safe (it caches pattern matches): one per server thread.
class PriceTable
{
public:
    /// One price entry.
    struct Entry
    {
        QString model;
        QRegularExpression pattern;
        qint64 validFromMs = 0;
        QHash<QString, double> usdPerMillion;
    };

    /// Parses the JSON text of a price table; false (with a message) on any malformed entry.
    [[nodiscard]] bool load(const QByteArray &json, QString *error);
    /// The table compiled into the server.
    [[nodiscard]] static PriceTable builtIn();

    /// The entry that prices `model` at `atMs` (latest validFrom not after it), or nullptr.
    [[nodiscard]] const Entry *find(const QString &model, qint64 atMs) const;
    /// The cost of `usage` with `model` at `atMs`; nullopt when no entry prices the model.
    /// A usage type without its own price takes the input or output price its name starts with.
    [[nodiscard]] std::optional<CostNanos> cost(const QString &model, qint64 atMs,
                                                const UsageDetails &usage) const;
    [[nodiscard]] int size() const { return static_cast<int>(m_entries.size()); }

private:
    std::vector<Entry> m_entries;
    mutable QHash<QString, std::vector<int>> m_matches; // model name → matching entries
};

} // namespace xeroml::server
