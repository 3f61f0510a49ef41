// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/otlpdecoder.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <utility>
#include <vector>

namespace xeroml::server {

namespace {

// A span's attributes: a dozen or so, so a flat list scanned with Latin-1 keys (no QString
// built per lookup, no hashing); a key sent twice takes its last value.
class Attributes
{
public:
    using Entry = std::pair<QString, QJsonValue>;
    void append(QString key, QJsonValue value)
    {
        m_entries.emplace_back(std::move(key), std::move(value));
    }
    template<typename Key> [[nodiscard]] const QJsonValue *find(const Key &key) const
    {
        for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
            if (it->first == key)
                return &it->second;
        }
        return nullptr;
    }
    template<typename Key> [[nodiscard]] QJsonValue value(const Key &key) const
    {
        const QJsonValue *found = find(key);
        return found ? *found : QJsonValue(QJsonValue::Undefined);
    }
    template<typename Key> [[nodiscard]] bool contains(const Key &key) const
    {
        return find(key) != nullptr;
    }
    [[nodiscard]] const std::vector<Entry> &entries() const { return m_entries; }

private:
    std::vector<Entry> m_entries;
};

Attributes attributes(const QJsonValue &list)
{
    Attributes map;
    for (const QJsonValue &entry : list.toArray()) {
        const QJsonObject kv = entry.toObject();
        QString key = kv.value(QLatin1String("key")).toString();
        if (!key.isEmpty())
            map.append(std::move(key),
                       OtlpDecoder::anyValue(kv.value(QLatin1String("value")).toObject()));
    }
    return map;
}

// The first of the keys that holds a value, as text.
std::optional<QString> text(const Attributes &a, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = a.value(QLatin1String(key));
        if (value.isString() && !value.toString().isEmpty())
            return value.toString();
        if (value.isDouble())
            return QString::number(value.toDouble(), 'g', 17);
        if (value.isBool())
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    }
    return std::nullopt;
}

// A value the SDK serialised (JSON text, or a plain string) as stored JSON text.
std::optional<QString> json(const Attributes &a, const char *key)
{
    const QJsonValue value = a.value(QLatin1String(key));
    if (value.isString())
        return ingest::jsonTextFromString(value.toString());
    return ingest::jsonText(value);
}

// A JSON object sent as text or as a kvlist.
std::optional<QJsonObject> object(const Attributes &a, const char *key)
{
    const QJsonValue value = a.value(QLatin1String(key));
    if (value.isObject())
        return value.toObject();
    if (value.isString()) {
        const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8());
        if (doc.isObject())
            return doc.object();
    }
    return std::nullopt;
}

// "<prefix>" (a JSON object) plus every "<prefix>.<key>" attribute.
std::optional<QString> metadata(const Attributes &a, const QString &prefix)
{
    QJsonObject merged;
    bool any = false;
    if (a.contains(prefix)) {
        const QJsonValue whole = a.value(prefix);
        const QJsonDocument doc = QJsonDocument::fromJson(whole.toString().toUtf8());
        if (whole.isString() && doc.isObject())
            merged = doc.object();
        else
            merged.insert(QStringLiteral("metadata"), whole);
        any = true;
    }
    const QString dotted = prefix + QLatin1Char('.');
    // In order, so that a key sent twice keeps its last value.
    for (const auto &[key, sent] : a.entries()) {
        if (!key.startsWith(dotted))
            continue;
        QJsonValue value = sent;
        const QString s = value.toString();
        if (value.isString() &&
            (s.startsWith(QLatin1Char('{')) || s.startsWith(QLatin1Char('[')))) {
            const QJsonDocument doc = QJsonDocument::fromJson(s.toUtf8());
            if (doc.isObject())
                value = doc.object();
            else if (doc.isArray())
                value = doc.array();
        }
        merged.insert(key.mid(dotted.size()), value);
        any = true;
    }
    if (!any)
        return std::nullopt;
    return QString::fromUtf8(QJsonDocument(merged).toJson(QJsonDocument::Compact));
}

std::optional<QString> tags(const Attributes &a)
{
    const QJsonValue value = a.value(QLatin1String("langfuse.trace.tags"));
    QJsonArray list;
    if (value.isArray()) {
        list = value.toArray();
    } else if (value.isString()) {
        const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8());
        if (doc.isArray())
            list = doc.array();
        else
            for (const QString &tag : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                list.append(tag.trimmed());
    } else {
        return std::nullopt;
    }
    QJsonArray strings;
    for (const QJsonValue &tag : std::as_const(list)) {
        if (tag.isString() && !strings.contains(tag))
            strings.append(tag);
    }
    return ingest::jsonText(strings);
}

// One span → its observation and its trace's patch; false with a message when unusable.
bool decodeSpan(const QJsonObject &span, const Attributes &resource, IngestBatch *batch,
                QString *error)
{
    const QString traceId = OtlpDecoder::hexId(span.value(QLatin1String("traceId")), 16);
    const QString spanId = OtlpDecoder::hexId(span.value(QLatin1String("spanId")), 8);
    if (traceId.isEmpty() || spanId.isEmpty()) {
        *error = QStringLiteral("span without a valid traceId / spanId");
        return false;
    }
    const auto start = OtlpDecoder::unixNanoToMs(span.value(QLatin1String("startTimeUnixNano")));
    if (!start) {
        *error =
            QStringLiteral("span %1: startTimeUnixNano is missing or not a number").arg(spanId);
        return false;
    }
    const Attributes a = attributes(span.value(QLatin1String("attributes")));
    const auto attr = [&](const char *key) { return a.value(QLatin1String(key)); };
    const QString parentId = OtlpDecoder::hexId(span.value(QLatin1String("parentSpanId")), 8);
    const bool root = parentId.isEmpty() || attr("langfuse.internal.as_root").toBool();

    ObservationPatch o;
    o.id = spanId;
    o.traceId = traceId;
    if (!parentId.isEmpty())
        o.parentId = parentId;
    o.name = span.value(QLatin1String("name")).toString();
    o.startMs = start;
    o.fallbackMs = *start;
    o.endMs = OtlpDecoder::unixNanoToMs(span.value(QLatin1String("endTimeUnixNano")));
    o.model = text(
        a, {"langfuse.observation.model.name", "gen_ai.response.model", "gen_ai.request.model"});
    o.input = json(a, "langfuse.observation.input");
    o.output = json(a, "langfuse.observation.output");
    o.metadata = metadata(a, QStringLiteral("langfuse.observation.metadata"));
    o.environment = text(a, {"langfuse.environment"});
    if (!o.environment)
        o.environment = text(resource, {"langfuse.environment", "deployment.environment.name",
                                        "deployment.environment"});
    if (const auto completion = text(a, {"langfuse.observation.completion_start_time"})) {
        QString iso = *completion;
        if (iso.startsWith(QLatin1Char('"')) && iso.endsWith(QLatin1Char('"')) && iso.size() > 1)
            iso = iso.mid(1, iso.size() - 2);
        o.completionStartMs = ingest::parseTime(iso);
    }

    if (const auto usage = object(a, "langfuse.observation.usage_details")) {
        UsageDetails details;
        if (!ingest::normaliseUsage(*usage, &details, error)) {
            error->prepend(
                QStringLiteral("span %1: langfuse.observation.usage_details: ").arg(spanId));
            return false;
        }
        o.usage = details;
    } else {
        QJsonObject genAi;
        for (const char *key : {"input_tokens", "output_tokens", "prompt_tokens",
                                "completion_tokens", "total_tokens"}) {
            const QJsonValue value = a.value(QStringLiteral("gen_ai.usage.") + QLatin1String(key));
            if (value.isDouble())
                genAi.insert(QLatin1String(key), value);
        }
        if (!genAi.isEmpty()) {
            UsageDetails details;
            if (!ingest::normaliseUsage(genAi, &details, error)) {
                error->prepend(QStringLiteral("span %1: gen_ai.usage: ").arg(spanId));
                return false;
            }
            o.usage = details;
        }
    }
    if (const auto cost = object(a, "langfuse.observation.cost_details")) {
        if (!ingest::normaliseCost(*cost, &o.cost, error)) {
            error->prepend(
                QStringLiteral("span %1: langfuse.observation.cost_details: ").arg(spanId));
            return false;
        }
    } else if (attr("gen_ai.usage.cost").isDouble()) {
        if (!ingest::normaliseCost(QJsonObject{{QLatin1String("total"), attr("gen_ai.usage.cost")}},
                                   &o.cost, error))
            return false;
    }

    const QString type = attr("langfuse.observation.type").toString().toLower();
    if (type == QLatin1String("generation") || type == QLatin1String("embedding") ||
        (type.isEmpty() && (o.model || o.usage)))
        o.type = QStringLiteral("GENERATION");
    else if (type == QLatin1String("event"))
        o.type = QStringLiteral("EVENT");
    else
        o.type = QStringLiteral("SPAN");

    const QJsonObject status = span.value(QLatin1String("status")).toObject();
    const QJsonValue code = status.value(QLatin1String("code"));
    const bool failed = code.toInt() == 2 || code.toString() == QLatin1String("STATUS_CODE_ERROR");
    o.level = text(a, {"langfuse.observation.level"});
    if (!o.level && failed)
        o.level = QStringLiteral("ERROR");
    o.statusMessage = text(a, {"langfuse.observation.status_message"});
    if (!o.statusMessage && !status.value(QLatin1String("message")).toString().isEmpty())
        o.statusMessage = status.value(QLatin1String("message")).toString();

    TracePatch t;
    t.id = traceId;
    t.ts = *start;
    t.earliestTs = true;
    t.userId = text(a, {"langfuse.user.id", "user.id"});
    t.sessionId = text(a, {"langfuse.session.id", "session.id"});
    t.environment = o.environment;
    t.release = text(a, {"langfuse.release"});
    if (!t.release)
        t.release = text(resource, {"langfuse.release"});
    t.version = text(a, {"langfuse.version"});
    t.tags = tags(a);
    t.metadata = metadata(a, QStringLiteral("langfuse.trace.metadata"));
    t.name = text(a, {"langfuse.trace.name"});
    t.input = json(a, "langfuse.trace.input");
    t.output = json(a, "langfuse.trace.output");
    if (root) {
        if (!t.name)
            t.name = o.name;
        if (!t.input)
            t.input = o.input;
        if (!t.output)
            t.output = o.output;
    }
    batch->add(std::move(t));
    batch->add(std::move(o));
    return true;
}

} // namespace

QJsonValue OtlpDecoder::anyValue(const QJsonObject &value)
{
    if (value.contains(QLatin1String("stringValue")))
        return value.value(QLatin1String("stringValue")).toString();
    if (value.contains(QLatin1String("boolValue")))
        return value.value(QLatin1String("boolValue")).toBool();
    if (value.contains(QLatin1String("intValue"))) {
        const QJsonValue v = value.value(QLatin1String("intValue"));
        if (v.isString()) {
            bool ok = false;
            const qint64 n = v.toString().toLongLong(&ok);
            return ok ? QJsonValue(n) : QJsonValue(QJsonValue::Null);
        }
        return v.isDouble() ? v : QJsonValue(QJsonValue::Null);
    }
    if (value.contains(QLatin1String("doubleValue"))) {
        const QJsonValue v = value.value(QLatin1String("doubleValue"));
        if (v.isString()) {
            bool ok = false;
            const double d = v.toString().toDouble(&ok);
            return ok ? QJsonValue(d) : QJsonValue(QJsonValue::Null);
        }
        return v.isDouble() ? v : QJsonValue(QJsonValue::Null);
    }
    if (value.contains(QLatin1String("arrayValue"))) {
        QJsonArray array;
        const QJsonArray values = value.value(QLatin1String("arrayValue"))
                                      .toObject()
                                      .value(QLatin1String("values"))
                                      .toArray();
        for (const QJsonValue &v : values)
            array.append(anyValue(v.toObject()));
        return array;
    }
    if (value.contains(QLatin1String("kvlistValue"))) {
        QJsonObject object;
        const QJsonArray values = value.value(QLatin1String("kvlistValue"))
                                      .toObject()
                                      .value(QLatin1String("values"))
                                      .toArray();
        for (const QJsonValue &v : values) {
            const QJsonObject kv = v.toObject();
            object.insert(kv.value(QLatin1String("key")).toString(),
                          anyValue(kv.value(QLatin1String("value")).toObject()));
        }
        return object;
    }
    if (value.contains(QLatin1String("bytesValue")))
        return value.value(QLatin1String("bytesValue")).toString();
    return QJsonValue(QJsonValue::Null);
}

QString OtlpDecoder::hexId(const QJsonValue &id, int bytes)
{
    const QString text = id.toString();
    if (text.size() == bytes * 2) {
        bool hex = true;
        for (const QChar c : text)
            hex = hex && ((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                          (c >= QLatin1Char('a') && c <= QLatin1Char('f')) ||
                          (c >= QLatin1Char('A') && c <= QLatin1Char('F')));
        if (hex) {
            // All zeros is OTel's "invalid id" (and the empty parent of a root).
            if (text.count(QLatin1Char('0')) == text.size())
                return {};
            return text.toLower();
        }
    }
    const auto raw =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!text.isEmpty() && raw && raw.decoded.size() == bytes && raw.decoded.count('\0') != bytes)
        return QString::fromLatin1(raw.decoded.toHex());
    return {};
}

std::optional<qint64> OtlpDecoder::unixNanoToMs(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const qint64 nanos = value.toString().toLongLong(&ok);
        if (ok && nanos > 0)
            return nanos / 1000000;
        return std::nullopt;
    }
    if (value.isDouble() && value.toDouble() > 0)
        return static_cast<qint64>(value.toDouble() / 1e6);
    return std::nullopt;
}

bool OtlpDecoder::decode(const QJsonObject &request, IngestBatch *batch, int *rejected,
                         QString *rejectMessage, QString *error)
{
    const QJsonValue resourceSpans = request.value(QLatin1String("resourceSpans"));
    if (!resourceSpans.isArray() && !resourceSpans.isUndefined()) {
        *error = QStringLiteral("resourceSpans must be an array");
        return false;
    }
    for (const QJsonValue &rs : resourceSpans.toArray()) {
        const QJsonObject resourceObject = rs.toObject();
        const Attributes resource = attributes(resourceObject.value(QLatin1String("resource"))
                                                   .toObject()
                                                   .value(QLatin1String("attributes")));
        for (const QJsonValue &ss : resourceObject.value(QLatin1String("scopeSpans")).toArray()) {
            for (const QJsonValue &span : ss.toObject().value(QLatin1String("spans")).toArray()) {
                QString message;
                if (!decodeSpan(span.toObject(), resource, batch, &message)) {
                    ++*rejected;
                    if (rejectMessage->isEmpty())
                        *rejectMessage = message;
                }
            }
        }
    }
    return true;
}

} // namespace xeroml::server
