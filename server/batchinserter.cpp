// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/batchinserter.h"

#include <QSqlError>

namespace xeroml::server {

BatchInserter::BatchInserter(const QSqlDatabase &db, QString table, QStringList columns,
                             int rowsPerStatement)
    : m_db(db)
    , m_table(std::move(table))
    , m_columns(std::move(columns))
    , m_rowsPerStatement(rowsPerStatement)
{
    m_values.reserve(static_cast<size_t>(m_columns.size()) * static_cast<size_t>(rowsPerStatement));
}

QString BatchInserter::statement(int rows) const
{
    QString row = QStringLiteral("(?");
    for (qsizetype i = 1; i < m_columns.size(); ++i)
        row += QStringLiteral(",?");
    row += QLatin1Char(')');
    QStringList allRows;
    for (int i = 0; i < rows; ++i)
        allRows.append(row);
    return QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
        .arg(m_table, m_columns.join(QLatin1Char(',')), allRows.join(QLatin1Char(',')));
}

bool BatchInserter::execute(QSqlQuery &query, QString *error)
{
    for (size_t i = 0; i < m_values.size(); ++i)
        query.bindValue(static_cast<int>(i), m_values[i]);
    if (!query.exec()) {
        *error = QStringLiteral("insert into %1 failed: %2").arg(m_table, query.lastError().text());
        return false;
    }
    m_rowCount += static_cast<qint64>(m_values.size()) / m_columns.size();
    m_values.clear();
    return true;
}

bool BatchInserter::endRow(QString *error)
{
    Q_ASSERT(m_values.size() % static_cast<size_t>(m_columns.size()) == 0);
    if (m_values.size() < static_cast<size_t>(m_columns.size() * m_rowsPerStatement))
        return true;
    if (!m_fullBatch) {
        m_fullBatch.emplace(m_db);
        if (!m_fullBatch->prepare(statement(m_rowsPerStatement))) {
            *error = m_fullBatch->lastError().text();
            return false;
        }
    }
    return execute(*m_fullBatch, error);
}

bool BatchInserter::flush(QString *error)
{
    if (m_values.empty())
        return true;
    QSqlQuery rest(m_db);
    if (!rest.prepare(
            statement(static_cast<int>(m_values.size() / static_cast<size_t>(m_columns.size()))))) {
        *error = rest.lastError().text();
        return false;
    }
    return execute(rest, error);
}

} // namespace xeroml::server
