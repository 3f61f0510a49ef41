// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/exportcolumns.h"

#include <QString>
#include <QStringList>
#include <QVariantList>

#include <memory>

/// Streams one table into a file, row by row, atomically: nothing appears at the target path
/// until commit() succeeds; cancel(), a failure or destruction without commit() leave no file
/// (and no temporary file) behind.
///
/// Cell values (as ExportColumns::rows() gives them): QString text, integers and doubles as
/// numbers, bool, QDateTime (ISO 8601 UTC with ms in text formats, a date cell in XLSX),
/// QStringList (joined with ", " in CSV/TSV/XLSX, an array in JSON), null (empty / null).
///
/// Formula injection: in CSV, TSV and XLSX a text cell (never a number, time or bool) that
/// starts with '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe, so
/// spreadsheets show it as text instead of running it (the header row included).
/// JSON and JSONL keep text exactly.
class ExportWriter
{
public:
    virtual ~ExportWriter();
    ExportWriter(const ExportWriter &) = delete;
    ExportWriter &operator=(const ExportWriter &) = delete;

    /// A writer for the format; `bom` puts a UTF-8 byte order mark first (CSV and TSV only,
    /// for Excel).
    [[nodiscard]] static std::unique_ptr<ExportWriter> create(ExportFormat format,
                                                              bool bom = false);

    /// Starts the file (a temporary beside `path`) and writes the header row.
    [[nodiscard]] virtual bool open(const QString &path, const QStringList &headers) = 0;
    /// Appends one row (as many values as headers). False after a write error.
    [[nodiscard]] virtual bool writeRow(const QVariantList &values) = 0;
    /// Finishes the file and moves it over `path`. False (and no file) on failure.
    [[nodiscard]] virtual bool commit() = 0;
    /// Drops everything written; the target path is left as it was.
    virtual void cancel() = 0;

    /// Why the last call failed, for people (names the path).
    [[nodiscard]] QString errorString() const { return m_error; }

    /// The text as CSV/TSV/XLSX write it: with a leading apostrophe when it starts like a
    /// formula ('=', '+', '-', '@', tab, carriage return).
    [[nodiscard]] static QString neutralised(const QString &text);

protected:
    ExportWriter() = default;
    QString m_error;
};
