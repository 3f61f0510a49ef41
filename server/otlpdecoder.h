// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/ingestor.h"

#include <QJsonObject>
#include <QString>

namespace xeroml::server {

/// OTLP/HTTP JSON trace export requests (as the OpenTelemetry JS exporter serialises them, e.g.
/// from @langfuse/otel) → trace and observation patches, with Langfuse's attribute mapping
/// (API.md): every span is an observation, spans of one trace id form one trace, the root span
/// names it; trace-level attributes (user, session, tags, …) may sit on any span. A child that
/// arrives before its root creates the trace; the root fills it in later.
class OtlpDecoder
{
public:
    /// Decodes `request` into `batch`. Spans without usable ids or times are skipped and
    /// counted in *rejected with a message in *rejectMessage. False with *error when the
    /// document itself is not an ExportTraceServiceRequest.
    [[nodiscard]] static bool decode(const QJsonObject &request, IngestBatch *batch, int *rejected,
                                     QString *rejectMessage, QString *error);

    /// An OTLP AnyValue ({stringValue} | {intValue} | …) as JSON; int64 may come as a string.
    [[nodiscard]] static QJsonValue anyValue(const QJsonObject &value);
    /// A trace or span id as lower-case hex (hex as sent, or base64 of the raw bytes);
    /// empty when it is neither.
    [[nodiscard]] static QString hexId(const QJsonValue &id, int bytes);
    /// A *UnixNano field (number or decimal string) as ms since the epoch.
    [[nodiscard]] static std::optional<qint64> unixNanoToMs(const QJsonValue &value);
};

} // namespace xeroml::server
