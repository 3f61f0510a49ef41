// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/exportcolumns.h"

#include "models/scorelistmodel.h"
#include "models/tracelistmodel.h"
#include "models/userlistmodel.h"

#include <QSet>

#include <array>

namespace {

// Columns the list models show, by model column; titles come from the models' headers.
constexpr std::array<const char *, UserListModel::ColumnCount> kUserIds{
    "userId",       "totalTraces",  "totalSessions", "totalObservations",
    "inputTokens",  "outputTokens", "totalTokens",   "totalCost",
    "averageScore", "firstTraceAt", "lastTraceAt",
};
constexpr std::array<const char *, TraceListModel::ColumnCount> kTraceIds{
    "timestamp",    "name",        "sessionId", "latency",    "inputTokens",
    "outputTokens", "totalTokens", "totalCost", "scoreCount", "tags",
};
constexpr std::array<const char *, ScoreListModel::ColumnCount> kScoreIds{
    "timestamp", "name", "value", "source", "dataType", "comment", "traceId",
};

// Columns no list model shows: the row's full id (kept in a tooltip by the UI) and fields the
// UI leaves out. `byDefault` marks the ids that lead every default export.
struct Extra
{
    const char *id;
    const char *title;
    bool byDefault;
};

constexpr std::array kUserExtras{
    Extra{"scoreCount", "Score count", false},
    Extra{"environments", "Environments", false},
};
constexpr std::array kTraceExtras{
    Extra{"id", "Trace ID", true},
    Extra{"userId", "User ID", false},
    Extra{"environment", "Environment", false},
    Extra{"release", "Release", false},
    Extra{"version", "Version", false},
};
constexpr std::array kScoreExtras{
    Extra{"id", "Score ID", true},           Extra{"observationId", "Observation ID", false},
    Extra{"sessionId", "Session ID", false}, Extra{"environment", "Environment", false},
    Extra{"authorUserId", "Author", false},
};
// The sessions tab is a timeline, not a table: every column is the export's own.
constexpr std::array kSessionExtras{
    Extra{"id", "Session ID", true},
    Extra{"firstTraceAt", "First trace", true},
    Extra{"lastTraceAt", "Last trace", true},
    Extra{"traceCount", "Traces", true},
    Extra{"totalTokens", "Total tokens", true},
    Extra{"totalCost", "Cost (USD)", true},
    Extra{"environment", "Environment", true},
    Extra{"userIds", "Users", true},
    Extra{"createdAt", "Created", true},
};

template<size_t N, size_t M>
QList<ExportColumn> columnsOf(const QAbstractItemModel &model,
                              const std::array<const char *, N> &ids,
                              const std::array<Extra, M> &extras)
{
    QList<ExportColumn> columns;
    // The row's id first, then what the table shows in its order, then the rest.
    for (const Extra &e : extras) {
        if (e.byDefault)
            columns.append({QLatin1String(e.id), QLatin1String(e.title), -1, true});
    }
    for (size_t c = 0; c < N; ++c) {
        columns.append({QLatin1String(ids.at(c)),
                        model.headerData(int(c), Qt::Horizontal, Qt::DisplayRole).toString(),
                        int(c), true});
    }
    for (const Extra &e : extras) {
        if (!e.byDefault)
            columns.append({QLatin1String(e.id), QLatin1String(e.title), -1, false});
    }
    return columns;
}

template<typename T> QVariant optional(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

QVariant text(const QString &value)
{
    return value;
}

QVariant time(const QDateTime &value)
{
    return value.isValid() ? QVariant(value.toUTC()) : QVariant();
}

QVariant extraValue(const UserSummary &u, const QString &id)
{
    if (id == QLatin1String("scoreCount"))
        return u.scoreCount;
    if (id == QLatin1String("environments"))
        return u.environments;
    return {};
}

QVariant extraValue(const TraceSummary &t, const QString &id)
{
    if (id == QLatin1String("id"))
        return text(t.id);
    if (id == QLatin1String("userId"))
        return text(t.userId);
    if (id == QLatin1String("environment"))
        return text(t.environment);
    if (id == QLatin1String("release"))
        return text(t.release);
    if (id == QLatin1String("version"))
        return text(t.version);
    return {};
}

QVariant extraValue(const Score &s, const QString &id)
{
    if (id == QLatin1String("id"))
        return text(s.id);
    if (id == QLatin1String("observationId"))
        return text(s.observationId);
    if (id == QLatin1String("sessionId"))
        return text(s.sessionId);
    if (id == QLatin1String("environment"))
        return text(s.environment);
    if (id == QLatin1String("authorUserId"))
        return text(s.authorUserId);
    return {};
}

QVariant extraValue(const SessionSummary &s, const QString &id)
{
    if (id == QLatin1String("id"))
        return text(s.id);
    if (id == QLatin1String("firstTraceAt"))
        return time(s.firstTraceAt);
    if (id == QLatin1String("lastTraceAt"))
        return time(s.lastTraceAt);
    if (id == QLatin1String("traceCount"))
        return optional(s.traceCount);
    if (id == QLatin1String("totalTokens"))
        return optional(s.totalTokens);
    if (id == QLatin1String("totalCost"))
        return optional(s.totalCost);
    if (id == QLatin1String("environment"))
        return text(s.environment);
    if (id == QLatin1String("userIds"))
        return s.userIds;
    if (id == QLatin1String("createdAt"))
        return time(s.createdAt);
    return {};
}

// The model's own raw values (ValueRole) for the columns it shows, so an export reads exactly
// what the table reads; the model holds this one batch only.
template<typename Model, typename T, typename Row>
QList<QVariantList> viaModel(const QList<T> &items, const QList<ExportColumn> &columns, Row row)
{
    Model model;
    Page<T> page;
    page.items = items;
    page.meta.limit = int(items.size());
    page.meta.totalItems = items.size();
    model.appendPage(page); // drops an id listed twice
    QList<QVariantList> result;
    result.reserve(model.rowCount());
    for (int r = 0; r < model.rowCount(); ++r) {
        const T &item = (model.*row)(r);
        QVariantList values;
        values.reserve(columns.size());
        for (const ExportColumn &c : columns) {
            if (c.modelColumn >= 0) {
                QVariant v = model.index(r, c.modelColumn).data(Model::ValueRole);
                if (v.typeId() == QMetaType::QDateTime)
                    v = time(v.toDateTime());
                values.append(std::move(v));
            } else {
                values.append(extraValue(item, c.id));
            }
        }
        result.append(std::move(values));
    }
    return result;
}

} // namespace

namespace ExportColumns {

QString tableName(ExportTable table)
{
    switch (table) {
    case ExportTable::Users:
        return QStringLiteral("users");
    case ExportTable::Traces:
        return QStringLiteral("traces");
    case ExportTable::Sessions:
        return QStringLiteral("sessions");
    case ExportTable::Scores:
        return QStringLiteral("scores");
    }
    return {};
}

std::optional<ExportTable> tableFromName(const QString &name)
{
    for (ExportTable t :
         {ExportTable::Users, ExportTable::Traces, ExportTable::Sessions, ExportTable::Scores}) {
        if (tableName(t) == name)
            return t;
    }
    return std::nullopt;
}

QString formatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Csv:
        return QStringLiteral("csv");
    case ExportFormat::Tsv:
        return QStringLiteral("tsv");
    case ExportFormat::Json:
        return QStringLiteral("json");
    case ExportFormat::Jsonl:
        return QStringLiteral("jsonl");
    case ExportFormat::Xlsx:
        return QStringLiteral("xlsx");
    }
    return {};
}

std::optional<ExportFormat> formatFromName(const QString &name)
{
    for (ExportFormat f : {ExportFormat::Csv, ExportFormat::Tsv, ExportFormat::Json,
                           ExportFormat::Jsonl, ExportFormat::Xlsx}) {
        if (formatName(f) == name)
            return f;
    }
    return std::nullopt;
}

QList<ExportColumn> all(ExportTable table)
{
    switch (table) {
    case ExportTable::Users:
        return columnsOf(UserListModel(), kUserIds, kUserExtras);
    case ExportTable::Traces:
        return columnsOf(TraceListModel(), kTraceIds, kTraceExtras);
    case ExportTable::Scores:
        return columnsOf(ScoreListModel(), kScoreIds, kScoreExtras);
    case ExportTable::Sessions: {
        QList<ExportColumn> columns;
        for (const Extra &e : kSessionExtras)
            columns.append({QLatin1String(e.id), QLatin1String(e.title), -1, e.byDefault});
        return columns;
    }
    }
    return {};
}

QStringList defaultIds(ExportTable table)
{
    QStringList ids;
    for (const ExportColumn &c : all(table)) {
        if (c.byDefault)
            ids.append(c.id);
    }
    return ids;
}

QStringList idsForModelColumns(ExportTable table, const QList<int> &modelColumns)
{
    const QList<ExportColumn> columns = all(table);
    QStringList ids;
    for (const ExportColumn &c : columns) {
        if (c.modelColumn < 0 && c.byDefault)
            ids.append(c.id); // the row's id (traces, scores), or every session column
    }
    if (table == ExportTable::Sessions)
        return ids;
    for (int m : modelColumns) {
        for (const ExportColumn &c : columns) {
            if (c.modelColumn == m && !ids.contains(c.id))
                ids.append(c.id);
        }
    }
    return ids;
}

std::optional<QList<ExportColumn>> select(ExportTable table, const QStringList &ids, QString *error)
{
    const QList<ExportColumn> columns = all(table);
    const QStringList wanted = ids.isEmpty() ? defaultIds(table) : ids;
    QList<ExportColumn> result;
    QSet<QString> seen;
    for (const QString &id : wanted) {
        const auto it = std::find_if(columns.begin(), columns.end(),
                                     [&id](const ExportColumn &c) { return c.id == id; });
        if (it == columns.end() || seen.contains(id)) {
            if (error) {
                QStringList valid;
                for (const ExportColumn &c : columns)
                    valid.append(c.id);
                *error = (it == columns.end()
                              ? QStringLiteral("unknown column \"%1\" for %2; columns: %3")
                              : QStringLiteral("column \"%1\" is listed twice for %2 (columns: "
                                               "%3)"))
                             .arg(id, tableName(table), valid.join(QStringLiteral(", ")));
            }
            return std::nullopt;
        }
        seen.insert(id);
        result.append(*it);
    }
    return result;
}

QList<QVariantList> rows(const QList<UserSummary> &items, const QList<ExportColumn> &columns)
{
    return viaModel<UserListModel>(items, columns, &UserListModel::user);
}

QList<QVariantList> rows(const QList<TraceSummary> &items, const QList<ExportColumn> &columns)
{
    return viaModel<TraceListModel>(items, columns, &TraceListModel::trace);
}

QList<QVariantList> rows(const QList<Score> &items, const QList<ExportColumn> &columns)
{
    return viaModel<ScoreListModel>(items, columns, &ScoreListModel::score);
}

QList<QVariantList> rows(const QList<SessionSummary> &items, const QList<ExportColumn> &columns)
{
    QList<QVariantList> result;
    result.reserve(items.size());
    QSet<QString> seen;
    for (const SessionSummary &s : items) {
        if (seen.contains(s.id))
            continue; // as the list models do: an id listed twice is written once
        seen.insert(s.id);
        QVariantList values;
        values.reserve(columns.size());
        for (const ExportColumn &c : columns)
            values.append(extraValue(s, c.id));
        result.append(std::move(values));
    }
    return result;
}

} // namespace ExportColumns
