// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>
#include <QVariantList>

/// Observation and trace payloads (input, output, metadata) as text people can read.
namespace JsonText {

/// Indented JSON for any value; a string is shown as the text itself (most prompts are
/// plain strings), a string holding a JSON object or array is parsed and indented.
/// Undefined and null give an empty string.
[[nodiscard]] QString prettyJson(const QJsonValue &value);

/// The conversation in an LLM input or output, as [{role, content}] with content flattened
/// to text; empty when the value does not look like chat messages. Understands OpenAI and
/// Anthropic shapes: a message array, {messages:[…]} (with Anthropic's top-level `system`),
/// a single message, OpenAI's {choices:[{message}]} and Anthropic's {type:"message", content}.
/// Content parts: text, images ("[image]"), tool calls and tool results.
[[nodiscard]] QVariantList chatMessages(const QJsonValue &value);

/// One message's content (a string, or OpenAI / Anthropic content parts) as text.
[[nodiscard]] QString contentText(const QJsonValue &content);

} // namespace JsonText
