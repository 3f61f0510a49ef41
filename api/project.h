// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

/// The project an API key pair belongs to (GET /api/public/projects).
struct Project
{
    QString id;
    QString name;
    QJsonObject metadata;

    [[nodiscard]] static std::optional<Project> fromJson(const QJsonObject &json, QString *error);
};
