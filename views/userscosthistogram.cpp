// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userscosthistogram.h"

#include <cmath>

namespace {

// A decade boundary in few characters: 0.001, 0.1, 1, 100, 10k, 1M; below 0.0001 as 1e-5.
QString boundary(double usd)
{
    if (usd >= 1e6)
        return QString::number(usd / 1e6, 'g', 3) + QLatin1Char('M');
    if (usd >= 1e3)
        return QString::number(usd / 1e3, 'g', 3) + QLatin1Char('k');
    if (usd >= 1e-4)
        return QString::number(usd, 'g', 3);
    const int exponent = int(std::lround(std::log10(usd)));
    if (std::abs(usd / std::pow(10.0, exponent) - 1) < 1e-9)
        return QStringLiteral("1e%1").arg(exponent);
    return QString::number(usd, 'g', 2);
}

} // namespace

UsersCostHistogram::UsersCostHistogram(QObject *parent)
    : QObject(parent)
{}

QString UsersCostHistogram::bucketLabel(double lowerUsd, double upperUsd)
{
    return QStringLiteral("$%1–%2").arg(boundary(lowerUsd), boundary(upperUsd));
}

void UsersCostHistogram::load(ApiClient *client, const UsersQuery &filter)
{
    m_request.cancel();
    if (!client) {
        Q_EMIT changed();
        return;
    }
    m_request =
        client->userCostHistogram(filter, this, [this](const ApiResult<UserCostHistogram> &result) {
            m_request = {};
            if (result.ok()) {
                m_available = true;
                setHistogram(result.value());
                return;
            }
            m_loaded = true;
            m_labels.clear();
            m_counts.clear();
            m_totalUsers = 0;
            // 404: not this server's API (Langfuse) — no chart and no error.
            m_available = result.error().kind != ApiError::Kind::NotFound;
            m_error = m_available
                          ? tr("Cost distribution unavailable: %1").arg(result.error().message)
                          : QString();
            Q_EMIT changed();
        });
    Q_EMIT changed();
}

void UsersCostHistogram::setHistogram(const UserCostHistogram &histogram)
{
    m_labels.clear();
    m_counts.clear();
    if (histogram.zeroCostUsers > 0) {
        m_labels.append(QStringLiteral("$0"));
        m_counts.append(double(histogram.zeroCostUsers));
    }
    for (const CostBucket &bucket : histogram.buckets) {
        m_labels.append(bucketLabel(bucket.lowerUsd, bucket.upperUsd));
        m_counts.append(double(bucket.users));
    }
    m_totalUsers = double(histogram.totalUsers);
    m_error.clear();
    m_loaded = true;
    Q_EMIT changed();
}
