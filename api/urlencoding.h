// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

/// One path segment percent-encoded (RFC 3986 unreserved characters stay), so an id holding
/// '/', '%', '?', '#', spaces or any Unicode reaches the server as one segment.
[[nodiscard]] QString encodePathSegment(const QString &segment);

/// Adds key=value so that the server decodes exactly value: QUrlQuery would read a literal
/// '%' as the start of an escape, and most servers read '+' as a space.
void addQueryValue(QUrlQuery &query, const QString &key, const QString &value);
/// Adds the item only when value is not empty.
void addOptionalQueryValue(QUrlQuery &query, const QString &key, const QString &value);
/// Adds one item per value (a repeatable parameter such as environment or tags).
void addQueryValues(QUrlQuery &query, const QString &key, const QStringList &values);
/// Adds fromTimestamp / toTimestamp for the valid ends of a range.
void addTimeRange(QUrlQuery &query, const QDateTime &from, const QDateTime &to);
