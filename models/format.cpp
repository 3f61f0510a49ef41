// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/format.h"

#include <QLocale>

#include <cmath>

namespace {

QLocale numberLocale()
{
    // The C locale (common in CI and containers) omits group separators; people expect them.
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}

} // namespace

namespace Format {

QString count(qint64 value)
{
    return numberLocale().toString(value);
}

QString compactCount(qint64 value)
{
    const double magnitude = std::abs(double(value));
    if (magnitude < 1000)
        return QString::number(value);
    static constexpr struct
    {
        double scale;
        char suffix;
    } units[] = {{1e12, 'T'}, {1e9, 'B'}, {1e6, 'M'}, {1e3, 'K'}};
    for (const auto &unit : units) {
        if (magnitude >= unit.scale) {
            const double scaled = double(value) / unit.scale;
            // Three significant digits: 1.23M, 12.3M, 123M.
            const int decimals = std::abs(scaled) >= 100 ? 0 : (std::abs(scaled) >= 10 ? 1 : 2);
            return numberLocale().toString(scaled, 'f', decimals) + QLatin1Char(unit.suffix);
        }
    }
    return QString::number(value);
}

QString cost(double usd)
{
    const QLocale locale = numberLocale();
    const double magnitude = std::abs(usd);
    if (magnitude == 0)
        return QStringLiteral("$0");
    if (magnitude < 0.01) // tiny per-request costs: two significant digits
        return QStringLiteral("$") + locale.toString(usd, 'g', 2);
    if (magnitude < 1000)
        return QStringLiteral("$") + locale.toString(usd, 'f', 2);
    return QStringLiteral("$") + locale.toString(usd, 'f', 0);
}

QString score(std::optional<double> value)
{
    if (!value)
        return QStringLiteral("–");
    return numberLocale().toString(*value, 'f', 2);
}

QString latency(std::optional<double> seconds)
{
    if (!seconds || !std::isfinite(*seconds))
        return QStringLiteral("–");
    const double s = *seconds;
    if (std::abs(s) < 1)
        return QStringLiteral("%1 ms").arg(qRound64(s * 1000));
    if (std::abs(s) < 60)
        return numberLocale().toString(s, 'f', 2) + QStringLiteral(" s");
    const qint64 whole = qRound64(s);
    return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60);
}

QString relativeTime(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return QStringLiteral("–");
    const qint64 seconds = time.secsTo(now);
    if (seconds < 60)
        return seconds < -60 ? exactTime(time) : QStringLiteral("just now");
    if (seconds < 3600)
        return QStringLiteral("%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h ago").arg(seconds / 3600);
    const qint64 days = seconds / 86400;
    if (days < 30)
        return days == 1 ? QStringLiteral("yesterday") : QStringLiteral("%1 days ago").arg(days);
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

QString exactTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

} // namespace Format
