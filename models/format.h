// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

/// Numbers and times formatted for people, in one place so every table and chart agrees.
namespace Format {

/// 1234567 → "1,234,567" (the locale's group separator; never the bare C locale).
[[nodiscard]] QString count(qint64 value);
/// Short form for tiles and axes: 950 → "950", 12,345 → "12.3K", 95,586,367 → "95.6M".
[[nodiscard]] QString compactCount(qint64 value);
/// USD with sensible decimals: "$0", "$0.0042", "$0.37", "$12.40", "$1,234".
[[nodiscard]] QString cost(double usd);
/// An average score with two decimals, or "–" when there is none.
[[nodiscard]] QString score(std::optional<double> value);
/// A duration in seconds for people: "850 ms", "1.24 s", "2 min 5 s"; "–" when unknown.
[[nodiscard]] QString latency(std::optional<double> seconds);
/// "just now", "5 min ago", "3 h ago", "2 days ago", then the date.
[[nodiscard]] QString relativeTime(const QDateTime &time, const QDateTime &now);
/// "2026-12-04 15:05:01 UTC": the exact time, shown on hover.
[[nodiscard]] QString exactTime(const QDateTime &time);

} // namespace Format
