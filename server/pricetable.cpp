// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/pricetable.h"

#include "server/logging.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace xeroml::server {

bool PriceTable::load(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error =
            QStringLiteral("price table is not a JSON object: %1").arg(parseError.errorString());
        return false;
    }
    std::vector<Entry> entries;
    const QJsonArray models = doc.object().value(QLatin1String("models")).toArray();
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QJsonObject object = models.at(i).toObject();
        const auto fail = [&](const QString &what) {
            *error = QStringLiteral("price table entry %1: %2").arg(i).arg(what);
            return false;
        };
        Entry entry;
        entry.model = object.value(QLatin1String("model")).toString();
        const QString match = object.value(QLatin1String("match")).toString();
        if (entry.model.isEmpty() || match.isEmpty())
            return fail(QStringLiteral("model and match are required"));
        // Whole-name match; a provider prefix such as "openai/" or "anthropic." is allowed.
        entry.pattern =
            QRegularExpression(QStringLiteral("^(?:[A-Za-z0-9_-]+[/.:])?(?:%1)$").arg(match),
                               QRegularExpression::CaseInsensitiveOption);
        if (!entry.pattern.isValid())
            return fail(QStringLiteral("invalid pattern: %1").arg(entry.pattern.errorString()));
        const QString validFrom = object.value(QLatin1String("validFrom")).toString();
        if (!validFrom.isEmpty()) {
            const QDate date = QDate::fromString(validFrom, Qt::ISODate);
            if (!date.isValid())
                return fail(QStringLiteral("validFrom must be a YYYY-MM-DD date"));
            entry.validFromMs = QDateTime(date, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        }
        const QJsonObject prices = object.value(QLatin1String("prices")).toObject();
        if (prices.isEmpty())
            return fail(QStringLiteral("prices are required"));
        for (auto it = prices.begin(); it != prices.end(); ++it) {
            if (!it.value().isDouble() || it.value().toDouble() < 0)
                return fail(QStringLiteral("price %1 must be a non-negative number").arg(it.key()));
            entry.usdPerMillion.insert(it.key(), it.value().toDouble());
        }
        entry.pattern.optimize();
        entries.push_back(std::move(entry));
    }
    m_entries = std::move(entries);
    m_matches.clear();
    return true;
}

PriceTable PriceTable::builtIn()
{
    PriceTable table;
    QFile file(QStringLiteral(":/xeroml/model-prices.json"));
    QString error;
    if (!file.open(QIODevice::ReadOnly))
        error = file.errorString();
    else
        (void)table.load(file.readAll(), &error);
    if (!error.isEmpty())
        qCCritical(lcServer).noquote() << "built-in model price table unusable:" << error;
    return table;
}

const PriceTable::Entry *PriceTable::find(const QString &model, qint64 atMs) const
{
    if (model.isEmpty())
        return nullptr;
    auto it = m_matches.constFind(model);
    if (it == m_matches.cend()) {
        std::vector<int> matching;
        for (size_t i = 0; i < m_entries.size(); ++i) {
            if (m_entries[i].pattern.match(model).hasMatch())
                matching.push_back(static_cast<int>(i));
        }
        // Bounded: a client sending endless distinct model names cannot grow it without limit.
        if (m_matches.size() > 10000)
            m_matches.clear();
        it = m_matches.insert(model, std::move(matching));
    }
    const Entry *best = nullptr;
    for (const int index : *it) {
        const Entry &entry = m_entries[static_cast<size_t>(index)];
        if (entry.validFromMs <= atMs && (!best || entry.validFromMs > best->validFromMs))
            best = &entry;
    }
    return best;
}

std::optional<CostNanos> PriceTable::cost(const QString &model, qint64 atMs,
                                          const UsageDetails &usage) const
{
    const Entry *entry = find(model, atMs);
    if (!entry)
        return std::nullopt;
    CostNanos cost;
    for (auto it = usage.cbegin(); it != usage.cend(); ++it) {
        const QString &type = it.key();
        if (type == QLatin1String("total"))
            continue;
        const bool isInput = type.startsWith(QLatin1String("input"));
        const bool isOutput = type.startsWith(QLatin1String("output"));
        double perMillion = 0;
        if (const auto price = entry->usdPerMillion.constFind(type);
            price != entry->usdPerMillion.cend())
            perMillion = *price;
        else if (isInput)
            perMillion = entry->usdPerMillion.value(QStringLiteral("input"));
        else if (isOutput)
            perMillion = entry->usdPerMillion.value(QStringLiteral("output"));
        // USD per 1M tokens × 1e9 nano-USD / 1e6 tokens = × 1000 nano-USD per token.
        const auto nanos = static_cast<qint64>(
            std::llround(static_cast<double>(it.value()) * perMillion * 1000.0));
        if (isInput)
            cost.input += nanos;
        else if (isOutput)
            cost.output += nanos;
        cost.total += nanos;
    }
    return cost;
}

} // namespace xeroml::server
