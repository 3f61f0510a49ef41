// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/score.h"
#include "models/pagecursor.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>

/// One user's scores (feedback), newest first, paged from GET /api/public/v2/scores. Filters
/// (name, source, data type, range) apply on the server; rows arrive page by page.
class ScoreListModel : public QAbstractTableModel
{
    Q_OBJECT
    /// A request is in flight.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Scores matching the query on the server (not just the rows loaded so far).
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
    /// At least one answer (rows or error) has arrived for the current query.
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)

public:
    enum Column {
        TimeColumn,
        NameColumn,
        ValueColumn,
        SourceColumn,
        DataTypeColumn,
        CommentColumn,
        TraceColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the raw value: the Value column gives a double
                                      ///< (NUMERIC), bool (BOOLEAN) or string (CATEGORICAL)
        NumericRole,                  ///< true for right-aligned numeric columns
        TraceIdRole,                  ///< the row's trace id, on every column
        ScoreIdRole,                  ///< the row's score id, on every column
        DataTypeRole,                 ///< the row's data type (NUMERIC, BOOLEAN, CATEGORICAL)
    };
    Q_ENUM(Role)

    explicit ScoreListModel(QObject *parent = nullptr);

    /// The client to fetch from; setting it (re)loads the first page.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }

    /// Replaces the query (userId, name, source, dataType, range, environments) and reloads
    /// from page 1; page and limit are ignored.
    void setQuery(const ScoresQuery &query);
    [[nodiscard]] const ScoresQuery &query() const { return m_query; }
    /// Drops all rows and loads page 1 of the current query again.
    Q_INVOKABLE void reload();

    /// Rows of the first request (1…100; default 50) and of later ones (1…100; default 100).
    void setPageSizes(int first, int bulk);

    /// Appends one page as if it had come from the server (also the entry point for tests).
    void appendPage(const Page<Score> &page);
    [[nodiscard]] const Score &score(int row) const { return m_rows.at(row); }

    /// The score's value for people: 2 decimals, True/False, or the category.
    [[nodiscard]] static QString displayValue(const Score &score);
    /// The score's value as data: double, bool or string; null when it has none.
    [[nodiscard]] static QVariant rawValue(const Score &score);

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] qint64 totalCount() const { return m_cursor.total(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

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
    ScoresQuery m_query;
    QList<Score> m_rows;
    QSet<QString> m_ids; // rows shift while paging if scores arrive; never list one twice
    RequestHandle m_request;
    PageCursor m_cursor{50, 100};
    bool m_loaded = false;
    bool m_loading = false;
    QString m_errorString;
};
