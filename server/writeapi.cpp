// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/writeapi.h"

#include "server/ingestor.h"
#include "server/logging.h"
#include "server/otlpdecoder.h"

#include <QDateTime>
#include <QJsonDocument>

#include <zlib.h>

namespace xeroml::server {

namespace {

using StatusCode = QHttpServerResponder::StatusCode;

QByteArray header(const QHttpServerRequest &request, const char *name)
{
    for (const auto &[key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

ApiReply unsupported(const QString &message)
{
    return ApiReply::error(StatusCode::UnsupportedMediaType,
                           QStringLiteral("unsupported_media_type"), message);
}

ApiReply tooLarge(const QString &message)
{
    return ApiReply::error(StatusCode::PayloadTooLarge, QStringLiteral("payload_too_large"),
                           message);
}

} // namespace

std::optional<QByteArray> WriteApi::inflate(const QByteArray &data, bool gzip, qsizetype maxBytes,
                                            bool *tooLarge, QString *error)
{
    *tooLarge = false;
    z_stream stream{};
    // 16 + MAX_WBITS: a gzip wrapper; MAX_WBITS: a zlib one (Content-Encoding: deflate).
    if (inflateInit2(&stream, gzip ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) {
        *error = QStringLiteral("cannot start decompression");
        return std::nullopt;
    }
    QByteArray out;
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = static_cast<uInt>(data.size());
    int status = Z_OK;
    char buffer[64 * 1024];
    while (status != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        status = ::inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            inflateEnd(&stream);
            *error = QStringLiteral("the %1 body is corrupt or truncated")
                         .arg(gzip ? QStringLiteral("gzip") : QStringLiteral("deflate"));
            return std::nullopt;
        }
        out.append(buffer, static_cast<qsizetype>(sizeof buffer - stream.avail_out));
        if (out.size() > maxBytes) {
            inflateEnd(&stream);
            *tooLarge = true;
            *error = QStringLiteral("the decompressed body exceeds %1 MB").arg(maxBytes >> 20);
            return std::nullopt;
        }
        if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
            inflateEnd(&stream);
            *error = QStringLiteral("the %1 body is truncated")
                         .arg(gzip ? QStringLiteral("gzip") : QStringLiteral("deflate"));
            return std::nullopt;
        }
    }
    inflateEnd(&stream);
    return out;
}

WriteApi::Request WriteApi::Request::from(const QHttpServerRequest &request)
{
    return {request.body(), header(request, "content-type"), header(request, "content-encoding")};
}

std::optional<QJsonObject> WriteApi::jsonBody(const Request &request, bool otlp, ApiReply *failure)
{
    QByteArray body = request.body;
    if (body.size() > MaxBodyBytes) {
        *failure = tooLarge(
            QStringLiteral("The request body has %1 bytes; the limit is 5 MB").arg(body.size()));
        return std::nullopt;
    }
    const QByteArray type = request.contentType.toLower();
    const qsizetype semicolon = type.indexOf(';');
    const QByteArray mediaType = (semicolon < 0 ? type : type.left(semicolon)).trimmed();
    if (mediaType == "application/x-protobuf" || mediaType == "application/protobuf") {
        *failure = unsupported(QStringLiteral(
            "OTLP protobuf is not supported by the local server: send OTLP/HTTP JSON"
            " (Content-Type: application/json; OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json)"));
        return std::nullopt;
    }
    if (mediaType != "application/json" && !mediaType.endsWith("+json")) {
        *failure =
            unsupported(QStringLiteral("Content-Type must be application/json (got '%1')")
                            .arg(QString::fromLatin1(mediaType.isEmpty() ? QByteArray("none")
                                                                         : mediaType.left(80))));
        return std::nullopt;
    }
    const QByteArray encoding = request.contentEncoding.toLower();
    if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") {
        bool large = false;
        QString error;
        const auto inflated =
            inflate(body, encoding != "deflate", MaxInflatedBytes, &large, &error);
        if (!inflated) {
            *failure = large ? tooLarge(QStringLiteral("The %1").arg(error))
                             : ApiReply::invalid(QStringLiteral("The %1").arg(error));
            return std::nullopt;
        }
        body = *inflated;
    } else if (!encoding.isEmpty() && encoding != "identity") {
        *failure =
            unsupported(QStringLiteral("Content-Encoding '%1' is not supported (gzip, deflate"
                                       " or none)")
                            .arg(QString::fromLatin1(encoding.left(40))));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *failure = ApiReply::invalid(QStringLiteral("The body is not valid JSON: %1 at byte %2")
                                         .arg(parseError.errorString())
                                         .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *failure = ApiReply::invalid(otlp ? QStringLiteral("The body must be a JSON object"
                                                           " (an OTLP ExportTraceServiceRequest)")
                                          : QStringLiteral("The body must be a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

WriteApi::Prepared WriteApi::ingestion(const Request &request)
{
    ApiReply failure;
    const auto body = jsonBody(request, false, &failure);
    if (!body)
        return {failure, {}};
    const QJsonValue batch = body->value(QLatin1String("batch"));
    if (!batch.isArray())
        return {ApiReply::invalid(QStringLiteral("The body must be {\"batch\": [events…]}")), {}};
    // Decoded here, on the worker; deduplicated and written in the group's transaction.
    auto events =
        std::make_shared<const std::vector<DecodedEvent>>(Ingestor::decodeEvents(batch.toArray()));
    return {std::nullopt,
            [events](Ingestor &ingestor, QList<qint64> *changed,
                     QString *error) -> std::optional<ApiReply> {
                const auto result = ingestor.ingestEventsIn(*events, changed, error);
                if (!result)
                    return std::nullopt;
                return ApiReply{StatusCode::MultiStatus,
                                QJsonObject{{QLatin1String("successes"), result->successes},
                                            {QLatin1String("errors"), result->errors}}};
            }};
}

WriteApi::Prepared WriteApi::otlpTraces(const Request &request)
{
    ApiReply failure;
    const auto body = jsonBody(request, true, &failure);
    if (!body)
        return {failure, {}};
    auto batch = std::make_shared<IngestBatch>();
    int rejected = 0;
    QString rejectMessage;
    QString error;
    if (!OtlpDecoder::decode(*body, batch.get(), &rejected, &rejectMessage, &error))
        return {ApiReply::invalid(error), {}};
    QJsonObject reply;
    if (rejected > 0) {
        qCWarning(lcServer).noquote()
            << "OTLP: rejected" << rejected << "span(s):" << rejectMessage;
        reply.insert(QLatin1String("partialSuccess"),
                     QJsonObject{{QLatin1String("rejectedSpans"), rejected},
                                 {QLatin1String("errorMessage"), rejectMessage}});
    }
    return {std::nullopt,
            [batch, reply](Ingestor &ingestor, QList<qint64> *changed,
                           QString *why) -> std::optional<ApiReply> {
                if (!batch->isEmpty() && !ingestor.writeIn(*batch, changed, why))
                    return std::nullopt;
                return ApiReply::ok(reply);
            }};
}

WriteApi::Prepared WriteApi::scores(const Request &request)
{
    ApiReply failure;
    const auto body = jsonBody(request, false, &failure);
    if (!body)
        return {failure, {}};
    ScoreRecord score;
    QString error;
    if (!Ingestor::readScore(*body, QDateTime::currentMSecsSinceEpoch(), &score, &error))
        return {ApiReply::invalid(error), {}};
    auto batch = std::make_shared<IngestBatch>();
    const QString id = score.id;
    batch->add(std::move(score));
    return {std::nullopt,
            [batch, id](Ingestor &ingestor, QList<qint64> *changed,
                        QString *why) -> std::optional<ApiReply> {
                if (!ingestor.writeIn(*batch, changed, why))
                    return std::nullopt;
                return ApiReply::ok(QJsonObject{{QLatin1String("id"), id}});
            }};
}

ApiReply WriteApi::stats() const
{
    QString error;
    const QJsonObject stats = m_ingestor.stats(&error);
    if (!error.isEmpty())
        return ApiReply::internal(QStringLiteral("ingestion stats"), error);
    return ApiReply::ok(stats);
}

} // namespace xeroml::server
