// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/project.h"

#include "api/jsonreader.h"

std::optional<Project> Project::fromJson(const QJsonObject &json, QString *error)
{
    Project p;
    JsonReader r(json, QString());
    r.string(QLatin1String("id"), &p.id);
    r.string(QLatin1String("name"), &p.name);
    r.optionalObject(QLatin1String("metadata"), &p.metadata);
    if (!r.finish(error))
        return std::nullopt;
    return p;
}
