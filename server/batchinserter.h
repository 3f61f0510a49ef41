// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace xeroml::server {

/// Inserts rows through one prepared multi-row INSERT (rowsPerStatement rows per execution):
/// bulk loads spend their time in SQLite rather than in per-statement overhead.
class BatchInserter
{
public:
    BatchInserter(const QSqlDatabase &db, QString table, QStringList columns,
                  int rowsPerStatement = 64);

    /// Appends the next column value of the current row.
    void add(QVariant value) { m_values.push_back(std::move(value)); }
    /// Closes the current row; runs the statement when a batch is full.
    [[nodiscard]] bool endRow(QString *error);
    /// Inserts the rows still pending.
    [[nodiscard]] bool flush(QString *error);
    [[nodiscard]] qint64 rowCount() const { return m_rowCount; }

private:
    [[nodiscard]] QString statement(int rows) const;
    [[nodiscard]] bool execute(QSqlQuery &query, QString *error);

    QSqlDatabase m_db;
    QString m_table;
    QStringList m_columns;
    int m_rowsPerStatement;
    std::optional<QSqlQuery> m_fullBatch;
    std::vector<QVariant> m_values;
    qint64 m_rowCount = 0;
};

} // namespace xeroml::server
