// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QList>
#include <QString>
#include <QVariant>

/// Table cells as text for the clipboard: raw values (full-precision numbers, ISO 8601
/// times, full ids) under the column titles, in the given row and column order.
namespace TableText {

/// One value as text: QDateTime → ISO 8601 UTC with ms, doubles as the shortest text that
/// reads back to the same double, a string list (tags) → "a, b", null → empty.
[[nodiscard]] QString valueText(const QVariant &value);

/// Tab-separated values with a header line; tabs and line breaks inside a value become
/// spaces so every row stays one line.
[[nodiscard]] QString toTsv(const QAbstractItemModel &model, const QList<int> &rows,
                            const QList<int> &columns, int valueRole);

/// One value as a GitHub-flavoured Markdown table cell: `\` and `|` are escaped, line
/// breaks (LF, CRLF, CR) become `<br>`, tabs spaces.
[[nodiscard]] QString markdownCell(const QString &text);

/// A GitHub-flavoured Markdown table with the column titles as its header; columns whose
/// header says so under `numericRole` are right-aligned (`---:`), others left (`---`).
[[nodiscard]] QString toMarkdown(const QAbstractItemModel &model, const QList<int> &rows,
                                 const QList<int> &columns, int valueRole, int numericRole);

} // namespace TableText
