// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
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
    void optionalInteger(QLatin1String key, std::optional<qint64> *out); ///< null → empty
    void optionalDateTime(QLatin1String key, QDateTime *out); ///< null or absent → invalid
    void anyValue(QLatin1String key, QJsonValue *out);        ///< any JSON; absent → undefined
    void optionalObject(QLatin1String key, QJsonObject *out); ///< null or absent → empty
    /// An object of numbers (usageDetails, costDetails); null or absent → empty. Keys are
    /// open-ended: input, output and total must be numbers, other non-numbers are skipped.
    void numberMap(QLatin1String key, QHash<QString, double> *out);
    /// A required (or, if !required, null/absent → empty) array of objects, each decoded by
    /// T::fromJson; errors name the element ("observations[2].startTime: missing").
    template<typename T> void objectList(QLatin1String key, QList<T> *out, bool required = true)
    {
        const auto value = field(key, required);
        out->clear();
        if (!value || (!required && value->isNull()))
            return;
        if (!value->isArray())
            return fail(key, QStringLiteral("expected an array"));
        const QJsonArray array = value->toArray();
        out->reserve(array.size());
        qsizetype i = 0;
        // Iterators read elements in place; at(i) would copy each one into a QJsonValue.
        for (auto it = array.constBegin(); it != array.constEnd(); ++it, ++i) {
            if (it->type() != QJsonValue::Object)
                return failNested(key, QStringLiteral("[%1]: expected an object").arg(i));
            QString inner;
            auto item = T::fromJson(it->toObject(), &inner);
            if (!item)
                return failNested(key, QStringLiteral("[%1].%2").arg(i).arg(inner));
            out->append(std::move(*item));
        }
    }
    /// A required object decoded by T::fromJson.
    template<typename T> void object(QLatin1String key, T *out)
    {
        const auto value = field(key, true);
        if (!value)
            return;
        if (!value->isObject())
            return fail(key, QStringLiteral("expected an object"));
        QString inner;
        auto item = T::fromJson(value->toObject(), &inner);
        if (!item)
            return failNested(key, QLatin1Char('.') + inner);
        *out = std::move(*item);
    }

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    /// Copies the error (if any) to *error and returns ok().
    bool finish(QString *error) const;

private:
    // A found value, read in place (no QJsonValue copy per field).
    class Field
    {
    public:
        Field() = default;
        explicit Field(QJsonObject::const_iterator it)
            : m_it(it)
            , m_found(true)
        {}
        explicit operator bool() const { return m_found; }
        const QJsonValueConstRef *operator->() const { return m_it.operator->(); }
        QJsonValueConstRef operator*() const { return *m_it; }

    private:
        QJsonObject::const_iterator m_it;
        bool m_found = false;
    };
    [[nodiscard]] Field field(QLatin1String key, bool required);
    void fail(QLatin1String key, const QString &what);
    void failNested(QLatin1String key, const QString &rest);

    QJsonObject m_object;
    QString m_path;
    QString m_error;
};

/// ISO 8601 with or without milliseconds, UTC ("2026-12-04T15:05:01.123Z").
[[nodiscard]] QDateTime parseIsoTime(const QString &text);
[[nodiscard]] QString toIsoTime(const QDateTime &time);
