// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QObject>
#include <QQmlEngine>
#include <QStringList>

/// The time window a page shows: a preset relative to now ("last 7 days") or custom dates.
/// Presets are resolved against the clock each time the window is asked for, so a refresh
/// an hour later shows the last 7 days from then.
class TimeRange : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// One of presetKeys(): "24h", "7d", "30d", "90d", "all", "custom".
    Q_PROPERTY(QString preset READ preset WRITE setPreset NOTIFY changed)
    /// Index of preset in presetKeys.
    Q_PROPERTY(int presetIndex READ presetIndex NOTIFY changed)
    /// Custom window as typed: "YYYY-MM-DD" dates, both inclusive; empty = open end.
    Q_PROPERTY(QString customFrom READ customFrom NOTIFY changed)
    Q_PROPERTY(QString customTo READ customTo NOTIFY changed)
    /// People-readable label of the current window ("Last 7 days", "2026-11-01 – 2026-11-30").
    Q_PROPERTY(QString label READ label NOTIFY changed)
    Q_PROPERTY(QStringList presetKeys READ presetKeys CONSTANT)
    Q_PROPERTY(QStringList presetLabels READ presetLabels CONSTANT)

public:
    explicit TimeRange(QObject *parent = nullptr);

    [[nodiscard]] QString preset() const { return m_preset; }
    void setPreset(const QString &preset);
    [[nodiscard]] int presetIndex() const { return int(presetKeys().indexOf(m_preset)); }
    [[nodiscard]] QString customFrom() const { return m_customFrom; }
    [[nodiscard]] QString customTo() const { return m_customTo; }
    [[nodiscard]] QString label() const;
    [[nodiscard]] static QStringList presetKeys();
    [[nodiscard]] static QStringList presetLabels();

    /// Sets a custom window; returns an error for people (and changes nothing) when a date
    /// is not YYYY-MM-DD or the start is after the end.
    Q_INVOKABLE QString setCustom(const QString &from, const QString &to);

    /// The window's start (inclusive) and end (exclusive) in UTC; invalid = unbounded.
    [[nodiscard]] QDateTime from(const QDateTime &now) const;
    [[nodiscard]] QDateTime to() const;

Q_SIGNALS:
    void changed();

private:
    QString m_preset = QStringLiteral("all");
    QString m_customFrom;
    QString m_customTo;
};
