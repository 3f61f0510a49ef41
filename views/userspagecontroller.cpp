// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userspagecontroller.h"

namespace {
constexpr int kSearchDebounceMs = 250;
}

UsersPageController::UsersPageController(QObject *parent)
    : QObject(parent)
{
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(&m_searchDebounce, &QTimer::timeout, this, [this] {
        UsersQuery q = m_model.query();
        q.search = m_search.trimmed();
        m_model.setQuery(q);
    });
    connect(&m_model, &UserListModel::queryChanged, this, &UsersPageController::sortChanged);
    connect(&m_model, &UserListModel::loadingChanged, this, &UsersPageController::loadingChanged);
    connect(&m_model, &UserListModel::loadedChanged, this, &UsersPageController::loadedChanged);
    connect(&m_model, &UserListModel::errorStringChanged, this,
            &UsersPageController::errorStringChanged);
    connect(&m_model, &UserListModel::totalCountChanged, this,
            &UsersPageController::totalCountChanged);
    connect(&m_model, &QAbstractItemModel::rowsInserted, this,
            &UsersPageController::loadedCountChanged);
    connect(&m_model, &QAbstractItemModel::modelReset, this,
            &UsersPageController::loadedCountChanged);
}

void UsersPageController::setClient(ApiClient *client)
{
    if (client == m_model.client())
        return;
    m_model.setClient(client);
    Q_EMIT clientChanged();
}

int UsersPageController::sortColumn() const
{
    return UserListModel::columnForOrderField(m_model.query().orderField);
}

void UsersPageController::setSearch(const QString &search)
{
    if (m_search == search)
        return;
    m_search = search;
    Q_EMIT searchChanged();
    m_searchDebounce.start();
}

void UsersPageController::sortBy(int column)
{
    if (column < 0 || column >= UserListModel::ColumnCount)
        return;
    bool descending = isNumericColumn(column);
    if (column == sortColumn())
        descending = !sortDescending();
    m_model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

void UsersPageController::refresh()
{
    m_model.reload();
}

void UsersPageController::fetchMore()
{
    if (m_model.canFetchMore({}))
        m_model.fetchMore({});
}

bool UsersPageController::isNumericColumn(int column) const
{
    return m_model.headerData(column, Qt::Horizontal, UserListModel::NumericRole).toBool();
}

QString UsersPageController::userIdAt(int row) const
{
    if (row < 0 || row >= m_model.rowCount())
        return {};
    return m_model.user(row).userId;
}
