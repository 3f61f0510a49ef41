// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

/// The users page's cost-per-user histogram: how many users of the current filter spent
/// $0, $0.01–0.1, $0.1–1, … — counted by the server (GET /api/public/metrics/user-cost-
/// histogram), never from rows pulled to the client. Servers without that XeroML addition
/// (404) make it unavailable: the page hides the chart instead of showing an error.
class UsersCostHistogram : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by UsersPageController")
    /// False once the server answered 404 (a Langfuse-compatible server): hide the chart.
    Q_PROPERTY(bool available READ available NOTIFY changed)
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    /// An answer (counts or error) arrived for some filter.
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)
    /// Why the counts are missing (not for 404), for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)
    /// One label per bar, cheapest first: "$0" (users without cost, when any), "$0.01–0.1", …
    Q_PROPERTY(QStringList labels READ labels NOTIFY changed)
    /// Users per bar (doubles: QML numbers).
    Q_PROPERTY(QList<double> counts READ counts NOTIFY changed)
    /// Every user of the filter.
    Q_PROPERTY(double totalUsers READ totalUsers NOTIFY changed)

public:
    explicit UsersCostHistogram(QObject *parent = nullptr);

    /// Asks for the counts of this filter, cancelling what is in flight; the old bars stay
    /// until the answer replaces them. Asked each time: another connection may have it.
    void load(ApiClient *client, const UsersQuery &filter);
    /// Puts counts in as if they had come from the server (tests).
    void setHistogram(const UserCostHistogram &histogram);

    [[nodiscard]] bool available() const { return m_available; }
    [[nodiscard]] bool loading() const { return m_request.isActive(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QStringList labels() const { return m_labels; }
    [[nodiscard]] QList<double> counts() const { return m_counts; }
    [[nodiscard]] double totalUsers() const { return m_totalUsers; }

    /// "$0.01–0.1", "$1–10", "$1k–10k", "$1e-6–1e-5": a bucket's label.
    [[nodiscard]] static QString bucketLabel(double lowerUsd, double upperUsd);

Q_SIGNALS:
    void changed();

private:
    RequestHandle m_request;
    bool m_available = true;
    bool m_loaded = false;
    QString m_error;
    QStringList m_labels;
    QList<double> m_counts;
    double m_totalUsers = 0;
};
