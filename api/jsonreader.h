// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

/// Strict reading of one JSON object: a missing required field or a wrong type records
/// an error naming the JSON path ("data[3].totalCost"); unknown fields are ignored.
/// After the first error every further read is a no-op, so decoders read on and check once.
class JsonReader
{
public:
    JsonReader(const QJsonObject &object, QString path)
        : m_object(object)
        , m_path(std::move(path))
    {}

    void string(QLatin1String key, QString *out);
    void optionalString(QLatin1String key, QString *out); ///< null or absent → empty
    void integer(QLatin1String key, qint64 *out);
    void integer(QLatin1String key, int *out);
    void number(QLatin1String key, double *out);
    void optionalNumber(QLatin1String key, std::optional<double> *out); ///< null → empty
    void dateTime(QLatin1String key, QDateTime *out);
    void optionalStringList(QLatin1String key, QStringList *out);

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    /// Copies the error (if any) to *error and returns ok().
    bool finish(QString *error) const;

private:
    [[nodiscard]] std::optional<QJsonValue> field(QLatin1String key, bool required);
    void fail(QLatin1String key, const QString &what);

    QJsonObject m_object;
    QString m_path;
    QString m_error;
};

/// ISO 8601 with or without milliseconds, UTC ("2026-12-04T15:05:01.123Z").
[[nodiscard]] QDateTime parseIsoTime(const QString &text);
[[nodiscard]] QString toIsoTime(const QDateTime &time);
