// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timerange.h"

namespace {

struct Preset
{
    const char *key;
    const char *label;
    qint64 seconds; // 0 = all time
};

constexpr Preset kPresets[] = {
    {"24h", "Last 24 hours", 86400},
    {"7d", "Last 7 days", 7 * 86400},
    {"30d", "Last 30 days", 30 * 86400},
    {"90d", "Last 90 days", 90 * 86400},
    {"all", "All time", 0},
    {"custom", "Custom dates…", 0},
};

QDate parseDay(const QString &text)
{
    return QDate::fromString(text.trimmed(), Qt::ISODate);
}

} // namespace

TimeRange::TimeRange(QObject *parent)
    : QObject(parent)
{}

QStringList TimeRange::presetKeys()
{
    QStringList keys;
    for (const Preset &p : kPresets)
        keys.append(QLatin1String(p.key));
    return keys;
}

QStringList TimeRange::presetLabels()
{
    QStringList labels;
    for (const Preset &p : kPresets)
        labels.append(QLatin1String(p.label));
    return labels;
}

void TimeRange::setPreset(const QString &preset)
{
    if (preset == m_preset || !presetKeys().contains(preset))
        return;
    m_preset = preset;
    Q_EMIT changed();
}

QString TimeRange::setCustom(const QString &from, const QString &to)
{
    const QDate fromDay = parseDay(from);
    const QDate toDay = parseDay(to);
    if (!from.trimmed().isEmpty() && !fromDay.isValid())
        return tr("The start date \"%1\" is not a date like 2026-11-30.").arg(from.trimmed());
    if (!to.trimmed().isEmpty() && !toDay.isValid())
        return tr("The end date \"%1\" is not a date like 2026-11-30.").arg(to.trimmed());
    if (fromDay.isValid() && toDay.isValid() && fromDay > toDay)
        return tr("The start date is after the end date.");
    m_preset = QStringLiteral("custom");
    m_customFrom = fromDay.isValid() ? fromDay.toString(Qt::ISODate) : QString();
    m_customTo = toDay.isValid() ? toDay.toString(Qt::ISODate) : QString();
    Q_EMIT changed();
    return {};
}

QString TimeRange::label() const
{
    if (m_preset == QLatin1String("custom")) {
        if (m_customFrom.isEmpty() && m_customTo.isEmpty())
            return tr("All time");
        return QStringLiteral("%1 – %2").arg(m_customFrom.isEmpty() ? tr("start") : m_customFrom,
                                             m_customTo.isEmpty() ? tr("now") : m_customTo);
    }
    for (const Preset &p : kPresets) {
        if (m_preset == QLatin1String(p.key))
            return QLatin1String(p.label);
    }
    return {};
}

QDateTime TimeRange::from(const QDateTime &now) const
{
    if (m_preset == QLatin1String("custom")) {
        const QDate day = parseDay(m_customFrom);
        return day.isValid() ? QDateTime(day, QTime(0, 0), Qt::UTC) : QDateTime();
    }
    for (const Preset &p : kPresets) {
        if (m_preset == QLatin1String(p.key) && p.seconds > 0)
            return now.toUTC().addSecs(-p.seconds);
    }
    return {};
}

QDateTime TimeRange::to() const
{
    if (m_preset != QLatin1String("custom"))
        return {};
    // The end date is inclusive for people: the window ends at the next midnight (UTC).
    const QDate day = parseDay(m_customTo);
    return day.isValid() ? QDateTime(day.addDays(1), QTime(0, 0), Qt::UTC) : QDateTime();
}
