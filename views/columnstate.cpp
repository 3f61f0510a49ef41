// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/columnstate.h"

#include <QSettings>

#include <algorithm>

ColumnState::ColumnState(QString settingsGroup, QList<int> defaults, QObject *parent)
    : QObject(parent)
    , m_group(std::move(settingsGroup))
    , m_defaults(std::move(defaults))
    , m_widths(m_defaults)
    , m_visible(m_defaults.size(), true)
{
    load();
}

QList<int> ColumnState::widths() const
{
    QList<int> result = m_widths;
    for (int c = 0; c < count(); ++c) {
        if (!m_visible.at(c))
            result[c] = 0;
    }
    return result;
}

int ColumnState::width(int column) const
{
    return valid(column) ? m_widths.at(column) : 0;
}

bool ColumnState::isVisible(int column) const
{
    return valid(column) && m_visible.at(column);
}

void ColumnState::setWidth(int column, int width)
{
    if (!valid(column))
        return;
    width = std::clamp(width, MinimumWidth, 2000);
    if (m_widths.at(column) == width)
        return;
    m_widths[column] = width;
    save();
    Q_EMIT changed();
}

void ColumnState::setVisible(int column, bool visible)
{
    if (!valid(column) || column == 0 || m_visible.at(column) == visible)
        return;
    m_visible[column] = visible;
    save();
    Q_EMIT changed();
}

void ColumnState::reset()
{
    m_widths = m_defaults;
    m_visible.fill(true);
    save();
    Q_EMIT changed();
}

void ColumnState::load()
{
    QSettings settings;
    settings.beginGroup(m_group);
    const QVariantList widths = settings.value(QStringLiteral("widths")).toList();
    const QVariantList visible = settings.value(QStringLiteral("visible")).toList();
    // Settings from another version with a different column count are ignored, not misapplied.
    if (widths.size() == count()) {
        for (int c = 0; c < count(); ++c)
            m_widths[c] = std::clamp(widths.at(c).toInt(), MinimumWidth, 2000);
    }
    if (visible.size() == count()) {
        for (int c = 1; c < count(); ++c)
            m_visible[c] = visible.at(c).toBool();
    }
}

void ColumnState::save() const
{
    QSettings settings;
    settings.beginGroup(m_group);
    QVariantList widths;
    QVariantList visible;
    for (int c = 0; c < count(); ++c) {
        widths.append(m_widths.at(c));
        visible.append(bool(m_visible.at(c)));
    }
    settings.setValue(QStringLiteral("widths"), widths);
    settings.setValue(QStringLiteral("visible"), visible);
}
