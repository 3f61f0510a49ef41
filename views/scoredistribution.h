// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"

#include <QObject>
#include <QQmlEngine>
#include <QVariantList>

/// How one user's numeric scores spread, per score name: a histogram of equal-width
/// buckets between the name's smallest and largest value. Counted by the server through
/// the Metrics API (one query for the names and their ranges, then one per bucket of the
/// name shown; other names' buckets load when they are shown), so no score is downloaded.
class ScoreDistribution : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by UserPageController")
    /// One entry per score name (most scores first, at most MaxNames):
    /// {name, count, average, min, max, labels: [bucket labels], counts: [scores per bucket],
    /// loaded: the counts are in}.
    Q_PROPERTY(QVariantList series READ series NOTIFY changed)
    /// The name shown (index into series); its buckets are counted when it is first shown.
    Q_PROPERTY(int current READ current WRITE setCurrent NOTIFY changed)
    /// The names, or the shown name's buckets, are being counted.
    Q_PROPERTY(bool loading READ loading NOTIFY changed)
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)

public:
    explicit ScoreDistribution(QObject *parent = nullptr);

    /// Counts the scores of `userId` in [from, to) (invalid = open) for these environments.
    void load(ApiClient *client, const QString &userId, const QDateTime &from, const QDateTime &to,
              const QStringList &environments);

    [[nodiscard]] QVariantList series() const { return m_series; }
    /// A load() is coming (the page waits for header and charts first): loading from now on.
    void expect();
    [[nodiscard]] int current() const { return m_current; }
    void setCurrent(int index);
    [[nodiscard]] bool loading() const;
    [[nodiscard]] QString errorString() const { return m_error; }

    static constexpr int MaxNames = 4;
    static constexpr int Buckets = 10;

Q_SIGNALS:
    void changed();

private:
    struct Name
    {
        QString name;
        qint64 count = 0;
        double average = 0;
        double min = 0;
        double max = 0;
        QList<qint64> counts;
        int pending = 0;     // bucket queries in flight
        bool loaded = false; // counts complete
        bool asked = false;  // bucket queries sent (or not needed)
    };
    [[nodiscard]] MetricsQuery base() const;
    void loadBuckets(int index);
    void publish();

    QPointer<ApiClient> m_client;
    QString m_userId;
    QDateTime m_from;
    QDateTime m_to;
    QStringList m_environments;
    QList<RequestHandle> m_requests;
    QList<Name> m_names;
    bool m_namesPending = false;
    bool m_expected = false;
    int m_current = 0;
    QVariantList m_series;
    QString m_error;
};
