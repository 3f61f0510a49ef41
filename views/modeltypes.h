// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/observationtreemodel.h"
#include "models/scorelistmodel.h"
#include "models/sessionlistmodel.h"
#include "models/tracelistmodel.h"

#include <QQmlEngine>

// models/ knows nothing of QML; these make its models known to QML as property types
// (their properties and invokables), without making them creatable there.

struct TraceListModelForeign
{
    Q_GADGET
    QML_FOREIGN(TraceListModel)
    QML_ANONYMOUS
};

struct SessionListModelForeign
{
    Q_GADGET
    QML_FOREIGN(SessionListModel)
    QML_ANONYMOUS
};

struct ScoreListModelForeign
{
    Q_GADGET
    QML_FOREIGN(ScoreListModel)
    QML_ANONYMOUS
};

struct ObservationTreeModelForeign
{
    Q_GADGET
    QML_FOREIGN(ObservationTreeModel)
    QML_ANONYMOUS
};
