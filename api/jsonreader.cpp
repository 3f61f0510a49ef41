// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/jsonreader.h"

#include <QJsonArray>

#include <cmath>

namespace {

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

} // namespace

void JsonReader::fail(QLatin1String key, const QString &what)
{
    if (m_error.isEmpty())
        m_error = QStringLiteral("%1%2%3: %4")
                      .arg(m_path, m_path.isEmpty() ? QString() : QStringLiteral("."), key, what);
}

void JsonReader::failNested(QLatin1String key, const QString &rest)
{
    if (m_error.isEmpty())
        m_error = QStringLiteral("%1%2%3%4")
                      .arg(m_path, m_path.isEmpty() ? QString() : QStringLiteral("."), key, rest);
}

JsonReader::Field JsonReader::field(QLatin1String key, bool required)
{
    if (!m_error.isEmpty())
        return {};
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd()) {
        if (required)
            fail(key, QStringLiteral("missing"));
        return {};
    }
    return Field(it);
}

void JsonReader::string(QLatin1String key, QString *out)
{
    const auto value = field(key, true);
    if (!value)
        return;
    if (!value->isString())
        return fail(key, QStringLiteral("expected a string, got %1").arg(typeName(*value)));
    *out = value->toString();
}

void JsonReader::optionalString(QLatin1String key, QString *out)
{
    const auto value = field(key, false);
    if (!value || value->isNull())
        return out->clear();
    if (!value->isString())
        return fail(key, QStringLiteral("expected a string, got %1").arg(typeName(*value)));
    *out = value->toString();
}

void JsonReader::integer(QLatin1String key, qint64 *out)
{
    const auto value = field(key, true);
    if (!value)
        return;
    if (value->type() != QJsonValue::Double)
        return fail(key, QStringLiteral("expected an integer, got %1").arg(typeName(*value)));
    const double d = value->toDouble();
    if (d != std::floor(d) || std::abs(d) > 9.007199254740992e15)
        return fail(key, QStringLiteral("expected an integer, got %1").arg(d));
    *out = static_cast<qint64>(d);
}

void JsonReader::integer(QLatin1String key, int *out)
{
    qint64 wide = 0;
    integer(key, &wide);
    if (ok() && (wide < INT_MIN || wide > INT_MAX))
        return fail(key, QStringLiteral("integer out of range"));
    *out = static_cast<int>(wide);
}

void JsonReader::number(QLatin1String key, double *out)
{
    const auto value = field(key, true);
    if (!value)
        return;
    if (!value->isDouble())
        return fail(key, QStringLiteral("expected a number, got %1").arg(typeName(*value)));
    *out = value->toDouble();
}

void JsonReader::optionalNumber(QLatin1String key, std::optional<double> *out)
{
    const auto value = field(key, false);
    if (!value || value->isNull())
        return out->reset();
    if (!value->isDouble())
        return fail(key, QStringLiteral("expected a number or null, got %1").arg(typeName(*value)));
    *out = value->toDouble();
}

void JsonReader::dateTime(QLatin1String key, QDateTime *out)
{
    QString text;
    string(key, &text);
    if (!ok())
        return;
    *out = parseIsoTime(text);
    if (!out->isValid())
        fail(key, QStringLiteral("not an ISO 8601 time: \"%1\"").arg(text.left(40)));
}

void JsonReader::optionalStringList(QLatin1String key, QStringList *out)
{
    const auto value = field(key, false);
    out->clear();
    if (!value || value->isNull())
        return;
    if (!value->isArray())
        return fail(key, QStringLiteral("expected an array, got %1").arg(typeName(*value)));
    const QJsonArray array = value->toArray();
    out->reserve(array.size());
    qsizetype i = 0;
    for (auto it = array.constBegin(); it != array.constEnd(); ++it, ++i) {
        if (it->type() != QJsonValue::String)
            return failNested(
                key, QStringLiteral("[%1]: expected a string, got %2").arg(i).arg(typeName(*it)));
        out->append(it->toString());
    }
}

void JsonReader::optionalInteger(QLatin1String key, std::optional<qint64> *out)
{
    const auto value = field(key, false);
    if (!value || value->isNull())
        return out->reset();
    qint64 v = 0;
    integer(key, &v);
    if (ok())
        *out = v;
}

void JsonReader::optionalDateTime(QLatin1String key, QDateTime *out)
{
    const auto value = field(key, false);
    if (!value || value->isNull()) {
        *out = QDateTime();
        return;
    }
    dateTime(key, out);
}

void JsonReader::anyValue(QLatin1String key, QJsonValue *out)
{
    const auto value = field(key, false);
    *out = value ? QJsonValue(*value) : QJsonValue(QJsonValue::Undefined);
}

void JsonReader::optionalObject(QLatin1String key, QJsonObject *out)
{
    const auto value = field(key, false);
    if (!value || value->isNull()) {
        *out = QJsonObject();
        return;
    }
    if (!value->isObject())
        return fail(key, QStringLiteral("expected an object, got %1").arg(typeName(*value)));
    *out = value->toObject();
}

void JsonReader::numberMap(QLatin1String key, QHash<QString, double> *out)
{
    out->clear();
    QJsonObject object;
    optionalObject(key, &object);
    if (!ok())
        return;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it->isNull())
            continue;
        if (!it->isDouble()) {
            const QString name = it.key();
            if (name != QLatin1String("input") && name != QLatin1String("output") &&
                name != QLatin1String("total"))
                continue;
            return failNested(
                key,
                QStringLiteral(".%1: expected a number, got %2").arg(name, typeName(it.value())));
        }
        out->insert(it.key(), it->toDouble());
    }
}

bool JsonReader::finish(QString *error) const
{
    if (!ok() && error)
        *error = m_error;
    return ok();
}

namespace {

// The contract's form, "2026-12-04T15:05:01.123Z" (milliseconds optional), read without
// QDateTime::fromString: a 1000-row page holds 2000 of them. Anything else returns nullopt.
std::optional<qint64> fastUtcMsecs(const QString &text)
{
    const qsizetype n = text.size();
    if ((n != 20 && n != 24) || text.at(n - 1) != QLatin1Char('Z'))
        return std::nullopt;
    const QChar *c = text.constData();
    auto digits = [c](qsizetype at, qsizetype count, int *out) {
        int v = 0;
        for (qsizetype i = at; i < at + count; ++i) {
            const char16_t d = c[i].unicode();
            if (d < u'0' || d > u'9')
                return false;
            v = v * 10 + (d - u'0');
        }
        *out = v;
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
    if (c[4] != u'-' || c[7] != u'-' || c[10] != u'T' || c[13] != u':' || c[16] != u':')
        return std::nullopt;
    if (!digits(0, 4, &y) || !digits(5, 2, &mo) || !digits(8, 2, &d) || !digits(11, 2, &h) ||
        !digits(14, 2, &mi) || !digits(17, 2, &s))
        return std::nullopt;
    if (n == 24 && (c[19] != u'.' || !digits(20, 3, &ms)))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59)
        return std::nullopt;
    const QDate date(y, mo, d);
    if (!date.isValid())
        return std::nullopt;
    return (date.toJulianDay() - 2440588) * 86400000LL + h * 3600000LL + mi * 60000LL + s * 1000LL +
           ms;
}

} // namespace

QDateTime parseIsoTime(const QString &text)
{
    if (const auto msecs = fastUtcMsecs(text))
        return QDateTime::fromMSecsSinceEpoch(*msecs, Qt::UTC);
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QString toIsoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}
