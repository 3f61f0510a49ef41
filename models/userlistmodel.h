// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/usersquery.h"
#include "api/usersummary.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

#include <algorithm>

/// Every user of the LLM product with their aggregates, paged from GET /api/public/users.
/// Sorting and searching happen on the server; rows arrive page by page via fetchMore().
class UserListModel : public QAbstractTableModel
{
    Q_OBJECT
    /// A request is in flight.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Users matching the query on the server (not just the rows loaded so far).
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    /// At least one answer (rows or error) has arrived for the current query.
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)

public:
    enum Column {
        UserIdColumn,
        TracesColumn,
        SessionsColumn,
        ObservationsColumn,
        InputTokensColumn,
        OutputTokensColumn,
        TotalTokensColumn,
        CostColumn,
        AverageScoreColumn,
        FirstTraceColumn,
        LastTraceColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the raw value (number, date, string; null if none)
        NumericRole,                  ///< true for right-aligned numeric columns
        UserIdRole,                   ///< the row's user id, on every column
    };

    explicit UserListModel(QObject *parent = nullptr);

    /// The client to fetch from; setting it (re)loads the first page.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }

    /// Replaces the query (order, search, range, environments) and reloads from page 1.
    void setQuery(const UsersQuery &query);
    [[nodiscard]] const UsersQuery &query() const { return m_query; }
    /// Drops all rows and loads page 1 of the current query again.
    void reload();
    /// Loads the first `keepRows` rows (at least a first page) of `query` afresh and swaps
    /// them in without a reset: rows still there change in place and the count changes at
    /// the end, so views keep their scroll position. Rows beyond are dropped (fetchMore()
    /// brings them again). Emits refreshed() once the rows are in.
    void refreshInPlace(const UsersQuery &query, int keepRows);

    /// Rows of the first request (1…1000; default 100), drawn as soon as they arrive.
    void setPageSize(int rows) { m_pageSize = std::clamp(rows, 1, 1000); }
    [[nodiscard]] int pageSize() const { return m_pageSize; }
    /// Rows of each later request (1…1000; default 1000, the API's maximum for /users).
    void setBulkPageSize(int rows) { m_bulkPageSize = std::clamp(rows, 1, 1000); }
    /// No more pages after the first (a top-N list).
    void setSinglePage(bool single) { m_singlePage = single; }

    /// Appends one page as if it had come from the server (also the entry point for tests).
    void appendPage(const Page<UserSummary> &page);
    [[nodiscard]] const UserSummary &user(int row) const { return m_rows.at(row); }

    /// The orderBy field of API.md that sorting by this column uses.
    [[nodiscard]] static QString orderField(int column);
    [[nodiscard]] static int columnForOrderField(const QString &field);

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] qint64 totalCount() const { return m_totalCount; }
    [[nodiscard]] bool loaded() const { return m_loaded; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    /// Sorts on the server: reloads ordered by the column's field.
    void sort(int column, Qt::SortOrder order) override;

Q_SIGNALS:
    void loadingChanged();
    void errorStringChanged();
    void totalCountChanged();
    void loadedChanged();
    void queryChanged();
    /// refreshInPlace() has swapped its rows in.
    void refreshed();

private:
    void requestNext();
    void requestRefreshPage(int page, int limit, int pages);
    void swapInRefreshed();
    void setErrorString(const QString &error);
    void setLoaded(bool loaded);
    void setLoading(bool loading);

    QPointer<ApiClient> m_client;
    UsersQuery m_query;
    QList<UserSummary> m_rows;
    QSet<QString> m_ids; // rows shift while paging if data arrives; never list a user twice
    RequestHandle m_request;
    qint64 m_covered = 0; // rows of the server's order received, from the first on
    bool m_answered = false;
    int m_pageSize = 100;
    int m_bulkPageSize = 1000;
    qint64 m_totalCount = 0;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_singlePage = false;
    QString m_errorString;
    QList<UserSummary> m_refreshRows; // pages of refreshInPlace() gathered until all are in
    qint64 m_refreshTotal = 0;
    int m_refreshKeep = 0; // rows refreshInPlace() keeps
};
