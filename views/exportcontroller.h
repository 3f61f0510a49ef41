// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/exportjob.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>

/// The export dialog's engine room: exports one table of a page (the users page, or a user's
/// traces, sessions or feedback) through ExportJob, either the selected rows or every row
/// matching the page's current filter and order, and reports progress for people.
class ExportController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// The page the table belongs to: a UsersPageController (table "users") or a
    /// UserPageController (tables "traces", "sessions", "scores").
    Q_PROPERTY(QObject *source READ source WRITE setSource NOTIFY sourceChanged)
    /// "users", "traces", "sessions" or "scores".
    Q_PROPERTY(QString table READ table WRITE setTable NOTIFY sourceChanged)
    /// Selected rows of a user-page table (the users page has its own selection model).
    Q_PROPERTY(QList<int> selectedRows READ selectedRows WRITE setSelectedRows NOTIFY countsChanged)
    /// Rows an export of the selection writes, and of everything matching the filter.
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY countsChanged)
    Q_PROPERTY(double matchingCount READ matchingCount NOTIFY countsChanged)
    /// "users", "traces", … for sentences ("Export 12 traces").
    Q_PROPERTY(QString noun READ noun NOTIFY sourceChanged)
    /// Between start() and finished().
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    /// 0…1; -1 while the total is unknown.
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    /// Rows written so far and rows to write (-1 while unknown); doubles, as QML numbers are.
    Q_PROPERTY(double rowsDone READ rowsDone NOTIFY progressChanged)
    Q_PROPERTY(double rowsTotal READ rowsTotal NOTIFY progressChanged)
    /// "12,340 of 100,000 rows", for people.
    Q_PROPERTY(QString progressText READ progressText NOTIFY progressChanged)
    /// "About 12 s left", "Estimating time left…", for people.
    Q_PROPERTY(QString timeLeftText READ timeLeftText NOTIFY progressChanged)
    /// The last export's failure (or cancellation) for people; empty after success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY runningChanged)
    /// The file the last successful export wrote; empty otherwise.
    Q_PROPERTY(QString resultPath READ resultPath NOTIFY runningChanged)
    /// What the last successful export wrote, for people ("Exported 12 users as CSV").
    Q_PROPERTY(QString resultText READ resultText NOTIFY runningChanged)

public:
    explicit ExportController(QObject *parent = nullptr);

    [[nodiscard]] QObject *source() const { return m_source; }
    void setSource(QObject *source);
    [[nodiscard]] QString table() const;
    void setTable(const QString &table);
    [[nodiscard]] QList<int> selectedRows() const { return m_selectedRows; }
    void setSelectedRows(const QList<int> &rows);
    [[nodiscard]] int selectedCount() const;
    [[nodiscard]] double matchingCount() const;
    [[nodiscard]] QString noun() const;
    [[nodiscard]] bool running() const { return m_job.running(); }
    [[nodiscard]] double progress() const { return m_job.progress(); }
    [[nodiscard]] double rowsDone() const { return double(m_job.rowsWritten()); }
    [[nodiscard]] double rowsTotal() const { return double(m_job.totalRows()); }
    [[nodiscard]] QString progressText() const;
    [[nodiscard]] QString timeLeftText() const;
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QString resultPath() const { return m_resultPath; }
    [[nodiscard]] QString resultText() const { return m_resultText; }

    /// "users-2026-12-04.csv"; for a user's tables "traces-alice-2026-12-04.csv" (characters
    /// that file systems dislike become "_").
    [[nodiscard]] Q_INVOKABLE QString defaultFileName(const QString &format) const;
    /// defaultFileName() in the folder of the last export (else Documents, else home).
    [[nodiscard]] Q_INVOKABLE QString defaultPath(const QString &format) const;
    /// `path` with its export suffix (if any) replaced by the format's.
    [[nodiscard]] Q_INVOKABLE static QString pathForFormat(const QString &path,
                                                           const QString &format);
    [[nodiscard]] Q_INVOKABLE static bool fileExists(const QString &path);
    /// A file URL (from a FileDialog) as a local path, and a path's folder as a URL.
    [[nodiscard]] Q_INVOKABLE static QString localPath(const QUrl &url);
    [[nodiscard]] Q_INVOKABLE static QUrl folderUrl(const QString &path);
    [[nodiscard]] Q_INVOKABLE static QUrl fileUrl(const QString &path);

    /// Starts an export of the table: `format` is csv, tsv, json, jsonl or xlsx;
    /// `selectedOnly` exports the selection, otherwise every row matching the page's filter
    /// (paged through the server); `allColumns` every column rather than the visible ones in
    /// their displayed order; `bom` a UTF-8 byte order mark (CSV). Returns false, with
    /// errorString set, when it cannot start; the outcome otherwise comes with finished().
    Q_INVOKABLE bool start(const QString &format, bool selectedOnly, bool allColumns, bool bom,
                           const QString &path);
    /// Stops a running export; the target file is left as it was before.
    Q_INVOKABLE void cancel();

    /// The selected rows' visible columns (as an export of them would have) as TSV, or as a
    /// Markdown table; empty when nothing is selected.
    [[nodiscard]] Q_INVOKABLE QString selectionText(bool markdown) const;
    /// Puts selectionText() on the clipboard; returns how many rows were copied.
    Q_INVOKABLE int copySelection(bool markdown) const;

Q_SIGNALS:
    void sourceChanged();
    void countsChanged();
    void runningChanged();
    void progressChanged();
    /// The export has ended: ok = the file is complete at resultPath; message for people.
    void finished(bool ok, const QString &message);

private:
    [[nodiscard]] QStringList columnIds(bool allColumns) const;
    [[nodiscard]] QList<int> visibleModelColumns() const;
    [[nodiscard]] bool prepareRows(bool selectedOnly);
    void fail(const QString &message);
    void watchSource();

    QPointer<QObject> m_source;
    ExportTable m_table = ExportTable::Users;
    QList<int> m_selectedRows;
    ExportJob m_job;
    QString m_error;
    QString m_resultPath;
    QString m_resultText;
    QString m_format;
    bool m_inProgressSignal = false;
};
