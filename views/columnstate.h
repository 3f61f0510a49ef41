// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QQmlEngine>
#include <QString>

/// Widths and visibility of a table's columns, remembered across restarts (QSettings
/// group per table). Hidden columns get width 0, which TableView treats as hidden.
class ColumnState : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by a page controller")
    /// Width in pixels per column; 0 for hidden columns.
    Q_PROPERTY(QList<int> widths READ widths NOTIFY changed)
    Q_PROPERTY(int count READ count CONSTANT)

public:
    /// `settingsGroup` names the table ("usersTable"); `defaults` are the initial widths.
    ColumnState(QString settingsGroup, QList<int> defaults, QObject *parent = nullptr);

    [[nodiscard]] QList<int> widths() const;
    [[nodiscard]] int count() const { return int(m_defaults.size()); }

    [[nodiscard]] Q_INVOKABLE int width(int column) const;
    [[nodiscard]] Q_INVOKABLE bool isVisible(int column) const;
    /// Sets a column's width (clamped to a readable minimum) and remembers it.
    Q_INVOKABLE void setWidth(int column, int width);
    /// Shows or hides a column; the first column always stays visible.
    Q_INVOKABLE void setVisible(int column, bool visible);
    /// Back to the default widths with every column visible.
    Q_INVOKABLE void reset();

    static constexpr int MinimumWidth = 40;

Q_SIGNALS:
    void changed();

private:
    void load();
    void save() const;
    [[nodiscard]] bool valid(int column) const { return column >= 0 && column < count(); }

    QString m_group;
    QList<int> m_defaults;
    QList<int> m_widths;
    QList<bool> m_visible;
};
