// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/ingestqueue.h"
#include "server/readapi.h"

#include <QByteArray>
#include <QHttpServerRequest>

#include <optional>

namespace xeroml::server {

class Ingestor;

/// The write endpoints of API.md over an Ingestor: POST /api/public/ingestion (207 multi-status),
/// POST /api/public/otel/v1/traces (OTLP/HTTP JSON, gzip or deflate), POST /api/public/scores,
/// and GET /api/public/ingestion/stats [XR] (unpriced observations by model). Checks size
/// (413), content type and encoding (415) and JSON (400) before anything reaches the store.
class WriteApi
{
public:
    explicit WriteApi(Ingestor &ingestor)
        : m_ingestor(ingestor)
    {}

    /// Largest request body as sent (compressed or not).
    static constexpr qsizetype MaxBodyBytes = 5 * 1024 * 1024;
    /// Largest body after decompression.
    static constexpr qsizetype MaxInflatedBytes = 20 * 1024 * 1024;

    /// What the write endpoints read of a request, copied so that decoding can run on a worker
    /// thread while the server thread writes.
    struct Request
    {
        QByteArray body;
        QByteArray contentType;
        QByteArray contentEncoding;
        [[nodiscard]] static Request from(const QHttpServerRequest &request);
    };

    /// A request checked and decoded (thread-safe: no store access): either its answer now (it
    /// was refused) or the job that writes it (run by the IngestQueue inside a group transaction).
    struct Prepared
    {
        std::optional<ApiReply> reply;
        WriteJob job;
    };
    [[nodiscard]] static Prepared ingestion(const Request &request);
    [[nodiscard]] static Prepared otlpTraces(const Request &request);
    [[nodiscard]] static Prepared scores(const Request &request);
    [[nodiscard]] ApiReply stats() const;

    /// gzip or zlib data → the inflated bytes; nullopt with *error (and *tooLarge when it
    /// would exceed maxBytes).
    [[nodiscard]] static std::optional<QByteArray>
    inflate(const QByteArray &data, bool gzip, qsizetype maxBytes, bool *tooLarge, QString *error);

private:
    /// The request's JSON object, or the error reply.
    [[nodiscard]] static std::optional<QJsonObject> jsonBody(const Request &request, bool otlp,
                                                             ApiReply *failure);

    Ingestor &m_ingestor;
};

} // namespace xeroml::server
