// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QVariantMap>

#include <optional>

namespace {

QString compact(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

QString toolCallText(const QJsonObject &call)
{
    // OpenAI: {type:"function", function:{name, arguments}}; older: {name, arguments}.
    const QJsonObject function = call.contains(QLatin1String("function"))
                                     ? call.value(QLatin1String("function")).toObject()
                                     : call;
    return QStringLiteral("[tool call: %1(%2)]")
        .arg(function.value(QLatin1String("name")).toString(),
             compact(function.value(QLatin1String("arguments"))));
}

bool isRole(const QJsonValue &role)
{
    static const QStringList kRoles{QStringLiteral("system"),    QStringLiteral("user"),
                                    QStringLiteral("assistant"), QStringLiteral("tool"),
                                    QStringLiteral("function"),  QStringLiteral("developer"),
                                    QStringLiteral("model")};
    return role.isString() && kRoles.contains(role.toString().toLower());
}

/// One message, or nothing when the object is not one.
std::optional<QVariantMap> message(const QJsonObject &object)
{
    if (!isRole(object.value(QLatin1String("role"))))
        return std::nullopt;
    const QJsonValue content = object.value(QLatin1String("content"));
    const QJsonValue toolCalls = object.value(QLatin1String("tool_calls"));
    const QJsonValue functionCall = object.value(QLatin1String("function_call"));
    if (!content.isString() && !content.isArray() && !content.isNull() && !content.isUndefined())
        return std::nullopt;
    QStringList parts;
    const QString text = JsonText::contentText(content);
    if (!text.isEmpty())
        parts.append(text);
    for (const QJsonValue &call : toolCalls.toArray())
        parts.append(toolCallText(call.toObject()));
    if (functionCall.isObject())
        parts.append(toolCallText(functionCall.toObject()));
    if (content.isUndefined() && parts.isEmpty())
        return std::nullopt; // {role} alone is not a message
    QVariantMap m;
    m.insert(QStringLiteral("role"), object.value(QLatin1String("role")).toString());
    m.insert(QStringLiteral("content"), parts.join(QLatin1Char('\n')));
    return m;
}

QVariantList messageList(const QJsonArray &array)
{
    if (array.isEmpty())
        return {};
    QVariantList list;
    list.reserve(array.size());
    for (const QJsonValue &v : array) {
        const auto m = message(v.toObject());
        if (!m)
            return {}; // all or nothing: a half-recognised list reads as a wrong conversation
        list.append(*m);
    }
    return list;
}

QJsonValue parsedString(const QJsonValue &value)
{
    // SDKs often send JSON as a string; only objects and arrays are worth reparsing.
    if (!value.isString())
        return value;
    const QString text = value.toString().trimmed();
    if (!text.startsWith(QLatin1Char('{')) && !text.startsWith(QLatin1Char('[')))
        return value;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return value;
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

} // namespace

namespace JsonText {

QString prettyJson(const QJsonValue &value)
{
    const QJsonValue v = parsedString(value);
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented))
            .trimmed();
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented))
            .trimmed();
    return compact(v);
}

QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return compact(content);
    QStringList parts;
    for (const QJsonValue &part : content.toArray()) {
        if (part.isString()) {
            parts.append(part.toString());
            continue;
        }
        const QJsonObject p = part.toObject();
        const QString type = p.value(QLatin1String("type")).toString();
        if (type == QLatin1String("text") || type == QLatin1String("input_text") ||
            type == QLatin1String("output_text")) {
            parts.append(p.value(QLatin1String("text")).toString());
        } else if (type == QLatin1String("image") || type == QLatin1String("image_url") ||
                   type == QLatin1String("input_image")) {
            parts.append(QStringLiteral("[image]"));
        } else if (type == QLatin1String("tool_use")) {
            parts.append(QStringLiteral("[tool call: %1(%2)]")
                             .arg(p.value(QLatin1String("name")).toString(),
                                  compact(p.value(QLatin1String("input")))));
        } else if (type == QLatin1String("tool_result")) {
            parts.append(QStringLiteral("[tool result] ") +
                         contentText(p.value(QLatin1String("content"))));
        } else if (p.contains(QLatin1String("text"))) {
            parts.append(p.value(QLatin1String("text")).toString());
        } else {
            parts.append(compact(part));
        }
    }
    return parts.join(QLatin1Char('\n'));
}

QVariantList chatMessages(const QJsonValue &input)
{
    const QJsonValue value = parsedString(input);
    if (value.isArray())
        return messageList(value.toArray());
    if (!value.isObject())
        return {};
    const QJsonObject object = value.toObject();
    if (object.value(QLatin1String("messages")).isArray()) {
        QVariantList list = messageList(object.value(QLatin1String("messages")).toArray());
        // Anthropic keeps the system prompt beside the messages.
        const QJsonValue system = object.value(QLatin1String("system"));
        if (!list.isEmpty() && (system.isString() || system.isArray())) {
            const QString text = contentText(system);
            if (!text.isEmpty())
                list.prepend(QVariantMap{{QStringLiteral("role"), QStringLiteral("system")},
                                         {QStringLiteral("content"), text}});
        }
        return list;
    }
    if (object.value(QLatin1String("choices")).isArray()) {
        // An OpenAI chat completion: each choice's message (or streamed delta).
        QVariantList list;
        for (const QJsonValue &choice : object.value(QLatin1String("choices")).toArray()) {
            const QJsonObject c = choice.toObject();
            const QJsonObject m = c.contains(QLatin1String("message"))
                                      ? c.value(QLatin1String("message")).toObject()
                                      : c.value(QLatin1String("delta")).toObject();
            const auto parsed = message(m);
            if (!parsed)
                return {};
            list.append(*parsed);
        }
        return list;
    }
    if (const auto m = message(object))
        return {*m};
    return {};
}

} // namespace JsonText
