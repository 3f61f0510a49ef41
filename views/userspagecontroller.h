// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/userlistmodel.h"

#include <QObject>
#include <QQmlEngine>
#include <QTimer>

/// The users page's state: the table model, its sort and search, loading and error.
/// QML creates one per page and hands it the client.
class UsersPageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// The client to fetch through (AppContext.client).
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    /// The users table (a QAbstractItemModel; typed QObject because Qt 6.4's QML tooling
    /// does not know QAbstractItemModel).
    Q_PROPERTY(QObject *model READ model CONSTANT)
    /// Column the table is sorted by, and its direction.
    Q_PROPERTY(int sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortDescending READ sortDescending NOTIFY sortChanged)
    /// Text the user id must contain; applied after a short pause in typing.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Users matching the filter, all pages together.
    /// (double: QML numbers are doubles, exact far beyond any user count)
    Q_PROPERTY(double totalCount READ totalCount NOTIFY totalCountChanged)
    Q_PROPERTY(int loadedCount READ loadedCount NOTIFY loadedCountChanged)

public:
    explicit UsersPageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_model.client(); }
    void setClient(ApiClient *client);
    [[nodiscard]] QObject *model() { return &m_model; }
    [[nodiscard]] UserListModel *userModel() { return &m_model; }
    [[nodiscard]] int sortColumn() const;
    [[nodiscard]] bool sortDescending() const { return m_model.query().descending; }
    [[nodiscard]] QString search() const { return m_search; }
    void setSearch(const QString &search);
    [[nodiscard]] bool loading() const { return m_model.loading(); }
    [[nodiscard]] bool loaded() const { return m_model.loaded(); }
    [[nodiscard]] QString errorString() const { return m_model.errorString(); }
    [[nodiscard]] double totalCount() const { return double(m_model.totalCount()); }
    [[nodiscard]] int loadedCount() const { return m_model.rowCount(); }

    /// Sorts by the column; the current sort column flips direction, a new one starts
    /// descending for numbers and ascending for text.
    Q_INVOKABLE void sortBy(int column);
    /// Loads the current query again from page 1 (Retry, F5).
    Q_INVOKABLE void refresh();
    /// Loads the next page when the view nears the end of the loaded rows.
    Q_INVOKABLE void fetchMore();
    /// Whether the column holds numbers (right-aligned).
    Q_INVOKABLE bool isNumericColumn(int column) const;
    [[nodiscard]] Q_INVOKABLE QString userIdAt(int row) const;

Q_SIGNALS:
    void clientChanged();
    void sortChanged();
    void searchChanged();
    void loadingChanged();
    void loadedChanged();
    void errorStringChanged();
    void totalCountChanged();
    void loadedCountChanged();

private:
    UserListModel m_model;
    QString m_search;
    QTimer m_searchDebounce;
};
