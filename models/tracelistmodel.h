// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/tracesummary.h"
#include "models/pagecursor.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

/// One user's traces, paged from GET /api/public/traces (fields=core: no input/output).
/// Sorting and the name filter happen on the server; rows arrive page by page via fetchMore().
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
    /// A request is in flight.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Traces matching the query on the server (not just the rows loaded so far).
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    /// At least one answer (rows or error) has arrived for the current query.
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    /// The column the rows are ordered by (TimeColumn by default).
    Q_PROPERTY(int sortColumn READ sortColumn NOTIFY queryChanged)
    /// The order of sortColumn.
    Q_PROPERTY(Qt::SortOrder sortOrder READ sortOrder NOTIFY queryChanged)

public:
    enum Column {
        TimeColumn,
        NameColumn,
        SessionColumn,
        LatencyColumn,
        InputTokensColumn,
        OutputTokensColumn,
        TotalTokensColumn,
        CostColumn,
        ScoresColumn,
        TagsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the raw value (number, date, string, list; null if none)
        NumericRole,                  ///< true for right-aligned numeric columns
        TraceIdRole,                  ///< the row's trace id, on every column
        SessionIdRole,                ///< the row's session id (empty if none), on every column
    };
    Q_ENUM(Role)

    explicit TraceListModel(QObject *parent = nullptr);

    /// The client to fetch from; setting it (re)loads the first page.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }

    /// Replaces the query (userId, range, environments, name, order) and reloads from page 1.
    /// page and limit are ignored; fields defaults to "core".
    void setQuery(const TracesQuery &query);
    [[nodiscard]] const TracesQuery &query() const { return m_query; }
    /// Drops all rows and loads page 1 of the current query again.
    Q_INVOKABLE void reload();

    /// Rows of the first request (1…100; default 50) and of later ones (1…100; default 100).
    void setPageSizes(int first, int bulk);

    /// Appends one page as if it had come from the server (also the entry point for tests).
    void appendPage(const Page<TraceSummary> &page);
    [[nodiscard]] const TraceSummary &trace(int row) const { return m_rows.at(row); }

    /// The orderBy field of API.md that sorting by this column uses; empty if unsortable.
    [[nodiscard]] static QString orderField(int column);
    [[nodiscard]] static int columnForOrderField(const QString &field);
    /// Whether sort(column) changes the order (the server sorts only some fields).
    Q_INVOKABLE static bool isSortable(int column);

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] qint64 totalCount() const { return m_cursor.total(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] int sortColumn() const;
    [[nodiscard]] Qt::SortOrder sortOrder() const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    /// Sorts on the server: reloads ordered by the column's field; no-op for other columns.
    Q_INVOKABLE void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadingChanged();
    void errorStringChanged();
    void totalCountChanged();
    void loadedChanged();
    void queryChanged();

private:
    void requestNext();
    void setErrorString(const QString &error);
    void setLoaded(bool loaded);
    void setLoading(bool loading);

    QPointer<ApiClient> m_client;
    TracesQuery m_query;
    QList<TraceSummary> m_rows;
    QSet<QString> m_ids; // rows shift while paging if traces arrive; never list one twice
    RequestHandle m_request;
    PageCursor m_cursor{50, 100};
    bool m_loaded = false;
    bool m_loading = false;
    QString m_errorString;
};
