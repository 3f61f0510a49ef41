// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/score.h"
#include "api/sessionsummary.h"
#include "api/tracesummary.h"
#include "api/usersummary.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>

/// The tables that can be exported: the users page and a user's traces, sessions, feedback.
enum class ExportTable { Users, Traces, Sessions, Scores };

/// File formats of an export.
enum class ExportFormat { Csv, Tsv, Json, Jsonl, Xlsx };

/// One exportable column: a stable id (command line, settings), the title the UI shows (the
/// header in the file), and the column of the table's list model it mirrors.
struct ExportColumn
{
    QString id;            ///< e.g. "totalCost"; stable, used by --columns
    QString title;         ///< e.g. "Cost (USD)"; the model's header, the file's header
    int modelColumn = -1;  ///< the list model's column (UserListModel::CostColumn…); -1 if none
    bool byDefault = true; ///< part of the default export (the table's default visible columns)
};

/// Names, columns and row values of the exportable tables. Values are raw: full-precision
/// numbers, QDateTime (UTC), full ids, QStringList for lists; null where the server sent none.
namespace ExportColumns {

/// "users", "traces", "sessions", "scores" (the --export argument) and back.
[[nodiscard]] QString tableName(ExportTable table);
[[nodiscard]] std::optional<ExportTable> tableFromName(const QString &name);
/// "csv", "tsv", "json", "jsonl", "xlsx" (the --format argument and the file suffix) and back.
[[nodiscard]] QString formatName(ExportFormat format);
[[nodiscard]] std::optional<ExportFormat> formatFromName(const QString &name);

/// Every column of the table, in the default order.
[[nodiscard]] QList<ExportColumn> all(ExportTable table);
/// The ids of the default export: the table's default visible columns in the default order.
/// Traces and scores start with their full id ("Trace ID", "Score ID"), which the UI keeps in
/// a tooltip, so an exported row can be found again.
[[nodiscard]] QStringList defaultIds(ExportTable table);
/// The ids for the columns a view shows, in its display order (list-model columns); for
/// traces and scores the row's id column comes first (see defaultIds). Unknown columns are
/// skipped.
[[nodiscard]] QStringList idsForModelColumns(ExportTable table, const QList<int> &modelColumns);
/// The columns for `ids` in that order; empty `ids` = defaultIds(). Unknown or repeated ids
/// give nullopt and a message naming the valid ids.
[[nodiscard]] std::optional<QList<ExportColumn>> select(ExportTable table, const QStringList &ids,
                                                        QString *error);

/// One row's values for `columns` (which must be columns of the matching table).
[[nodiscard]] QList<QVariantList> rows(const QList<UserSummary> &items,
                                       const QList<ExportColumn> &columns);
[[nodiscard]] QList<QVariantList> rows(const QList<TraceSummary> &items,
                                       const QList<ExportColumn> &columns);
[[nodiscard]] QList<QVariantList> rows(const QList<SessionSummary> &items,
                                       const QList<ExportColumn> &columns);
[[nodiscard]] QList<QVariantList> rows(const QList<Score> &items,
                                       const QList<ExportColumn> &columns);

} // namespace ExportColumns
