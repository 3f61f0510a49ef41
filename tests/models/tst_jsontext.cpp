// SPDX-License-Identifier: GPL-3.0-or-later
// JsonText: pretty JSON and the conversation in OpenAI / Anthropic payloads.
#include "models/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QJsonValue json(const char *text)
{
    const QByteArray bytes(text);
    if (bytes.startsWith('"')) // a bare JSON string
        return QJsonDocument::fromJson("[" + bytes + "]").array().at(0);
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

/// "role: content | role: content"
QString conversation(const QVariantList &messages)
{
    QStringList parts;
    for (const QVariant &m : messages) {
        const QVariantMap map = m.toMap();
        parts.append(map.value(QStringLiteral("role")).toString() + QStringLiteral(": ") +
                     map.value(QStringLiteral("content")).toString());
    }
    return parts.join(QStringLiteral(" | "));
}

} // namespace

class TestJsonText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatMessages_data();
    void chatMessages();
    void prettyJson_data();
    void prettyJson();
};

void TestJsonText::chatMessages_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected"); // empty = not a conversation

    QTest::newRow("OpenAI message array")
        << json(R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}])")
        << "system: Be brief. | user: Hi";
    QTest::newRow("OpenAI request")
        << json(R"({"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]})") << "user: Hi";
    QTest::newRow("OpenAI content parts")
        << json(R"([{"role":"user","content":[{"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:..."}}]}])")
        << "user: What is this?\n[image]";
    QTest::newRow("OpenAI tool call")
        << json(R"([{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                   "function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},
                   {"role":"tool","tool_call_id":"c1","content":"-3 C"}])")
        << "assistant: [tool call: weather({\"city\":\"Oslo\"})] | tool: -3 C";
    QTest::newRow("OpenAI completion")
        << json(
               R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"}}]})")
        << "assistant: Hello";
    QTest::newRow("single message")
        << json(R"({"role":"assistant","content":"Done."})") << "assistant: Done.";
    QTest::newRow("Anthropic request with system")
        << json(R"({"system":"You are terse.","messages":[{"role":"user",
                   "content":[{"type":"text","text":"Hi"}]}]})")
        << "system: You are terse. | user: Hi";
    QTest::newRow("Anthropic response")
        << json(R"({"id":"m","type":"message","role":"assistant","content":[{"type":"text",
                   "text":"Sure."},{"type":"tool_use","id":"t","name":"search","input":{"q":"qt"}}]})")
        << "assistant: Sure.\n[tool call: search({\"q\":\"qt\"})]";
    QTest::newRow("Anthropic tool result")
        << json(R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"t",
                   "content":[{"type":"text","text":"3 hits"}]}]}])")
        << "user: [tool result] 3 hits";
    QTest::newRow("JSON in a string")
        << QJsonValue(QStringLiteral(R"([{"role":"user","content":"Hi"}])")) << "user: Hi";
    QTest::newRow("plain string") << QJsonValue(QStringLiteral("just text")) << "";
    QTest::newRow("number") << QJsonValue(42) << "";
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << "";
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << "";
    QTest::newRow("empty array") << json("[]") << "";
    QTest::newRow("array of non-messages") << json(R"([{"a":1},{"b":2}])") << "";
    QTest::newRow("half messages") << json(R"([{"role":"user","content":"Hi"},{"x":1}])") << "";
    QTest::newRow("unknown role") << json(R"([{"role":"villain","content":"Hi"}])") << "";
    QTest::newRow("role without content") << json(R"({"role":"user"})") << "";
    QTest::newRow("object content is not chat")
        << json(R"({"role":"user","content":{"a":1}})") << "";
    QTest::newRow("messages not an array") << json(R"({"messages":"nope"})") << "";
}

void TestJsonText::chatMessages()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QCOMPARE(conversation(JsonText::chatMessages(value)), expected);
}

void TestJsonText::prettyJson_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("object")
        << json(R"({"a":1,"b":[true,null]})")
        << "{\n    \"a\": 1,\n    \"b\": [\n        true,\n        null\n    ]\n}";
    QTest::newRow("array") << json("[1,2]") << "[\n    1,\n    2\n]";
    QTest::newRow("plain string stays text")
        << QJsonValue(QStringLiteral("Hello\nworld")) << "Hello\nworld";
    QTest::newRow("JSON string is indented")
        << QJsonValue(QStringLiteral(" {\"a\":1} ")) << "{\n    \"a\": 1\n}";
    QTest::newRow("broken JSON string stays text")
        << QJsonValue(QStringLiteral("{not json")) << "{not json";
    QTest::newRow("number") << QJsonValue(0.25) << "0.25";
    QTest::newRow("bool") << QJsonValue(false) << "false";
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << "";
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << "";
    QTest::newRow("unicode") << json(R"({"name":"Zoë"})") << "{\n    \"name\": \"Zoë\"\n}";
}

void TestJsonText::prettyJson()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QCOMPARE(JsonText::prettyJson(value), expected);
}

QTEST_GUILESS_MAIN(TestJsonText)
#include "tst_jsontext.moc"
