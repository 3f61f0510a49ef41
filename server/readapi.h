// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHttpServerResponder>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace xeroml::server {

/// The status and JSON body of one API answer.
struct ApiReply
{
    QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok;
    QJsonObject json;

    [[nodiscard]] static ApiReply ok(QJsonObject json)
    {
        return {QHttpServerResponder::StatusCode::Ok, std::move(json)};
    }
    [[nodiscard]] static ApiReply error(QHttpServerResponder::StatusCode status,
                                        const QString &code, const QString &message);
    [[nodiscard]] static ApiReply invalid(const QString &message);
    [[nodiscard]] static ApiReply notFound(const QString &message);
    [[nodiscard]] static ApiReply internal(const QString &what, const QString &sqlError);
};

/// The read endpoints of API.md over the store's tables: traces, sessions, scores and daily
/// metrics. Validates every parameter; only fixed SQL fragments and bound values reach SQL.
class ReadApi
{
public:
    ReadApi(const QSqlDatabase &db, QString projectId)
        : m_db(db)
        , m_projectId(std::move(projectId))
    {}

    [[nodiscard]] ApiReply traces(const QUrlQuery &query) const;
    [[nodiscard]] ApiReply trace(const QString &traceId) const;
    [[nodiscard]] ApiReply sessions(const QUrlQuery &query) const;
    [[nodiscard]] ApiReply session(const QString &sessionId) const;
    [[nodiscard]] ApiReply scores(const QUrlQuery &query) const;
    /// Where /metrics/daily reads: Auto answers one user's days (any environments and window,
    /// no traceName or tags) from the daily rollup, the rest from the raw rows; Raw always
    /// reads the raw rows (reference for tests).
    enum class DailySource { Auto, Raw };
    [[nodiscard]] ApiReply dailyMetrics(const QUrlQuery &query,
                                        DailySource source = DailySource::Auto) const;

    /// Stored JSON text → the JSON value; text that is not JSON stays a string.
    [[nodiscard]] static QJsonValue jsonValue(const QVariant &stored);
    [[nodiscard]] static QJsonValue timeValue(const QVariant &ms);
    [[nodiscard]] static QJsonObject pageMeta(int page, int limit, qint64 totalItems);

private:
    // nullopt when the rollup cannot answer this window exactly enough (no whole day in it).
    [[nodiscard]] std::optional<ApiReply> dailyFromRollup(const QString &userId,
                                                          const QStringList &environments,
                                                          const std::optional<qint64> &from,
                                                          const std::optional<qint64> &to, int page,
                                                          int limit) const;

    QSqlDatabase m_db;
    QString m_projectId;
};

} // namespace xeroml::server
