// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <utility>
#include <variant>

/// Every way a request can fail, with a short message for people and the technical detail
/// kept apart (for logs and a "details" disclosure, never shown as the headline).
struct ApiError
{
    enum class Kind {
        Offline,      ///< DNS failure, connection refused or reset, no network
        Tls,          ///< TLS handshake or certificate problem
        Timeout,      ///< no complete answer within the request timeout
        BadRequest,   ///< 400 and other 4xx not listed below
        Unauthorized, ///< 401: wrong or missing keys
        Forbidden,    ///< 403
        NotFound,     ///< 404
        RateLimited,  ///< 429
        Server,       ///< 5xx
        Decode,       ///< the body is not the JSON the contract promises
        TooLarge,     ///< the body exceeded the response-size cap
    };

    Kind kind = Kind::Server;
    int httpStatus = 0;
    QString message; ///< one sentence for people
    QString detail;  ///< technical detail: URL path, status, server message, decoder path

    [[nodiscard]] static ApiError make(Kind kind, QString message, QString detail = {},
                                       int httpStatus = 0)
    {
        return ApiError{kind, httpStatus, std::move(message), std::move(detail)};
    }
};

/// A value or the error that prevented it.
template<typename T> class ApiResult
{
public:
    ApiResult(T value)
        : m_data(std::move(value))
    {}
    ApiResult(ApiError error)
        : m_data(std::move(error))
    {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_data); }
    [[nodiscard]] const T &value() const { return std::get<T>(m_data); }
    [[nodiscard]] const ApiError &error() const { return std::get<ApiError>(m_data); }

private:
    std::variant<T, ApiError> m_data;
};
