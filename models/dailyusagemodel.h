// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/dailymetrics.h"
#include "models/modelusagemodel.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QPointer>

#include <algorithm>

/// One user's usage per UTC day (the daily charts' feed), oldest day first, from every page of
/// GET /api/public/metrics/daily. Days inside the range without traces are zero rows, so the
/// charts' axis is continuous. The same answer feeds modelUsage (cost and tokens by model):
/// one request for both.
class DailyUsageModel : public QAbstractTableModel
{
    Q_OBJECT
    /// A request is in flight.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Every page of the current query has arrived (or an error).
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    /// The largest traces of one day (axis maximum).
    Q_PROPERTY(qint64 maxTraces READ maxTraces NOTIFY daysChanged)
    /// The largest observations of one day.
    Q_PROPERTY(qint64 maxObservations READ maxObservations NOTIFY daysChanged)
    /// The largest tokens of one day (total, or input + output stacked, whichever is larger).
    Q_PROPERTY(qint64 maxTokens READ maxTokens NOTIFY daysChanged)
    /// The largest cost of one day.
    Q_PROPERTY(double maxCost READ maxCost NOTIFY daysChanged)
    /// The first and last day shown (UTC midnight); invalid when there are no rows.
    Q_PROPERTY(QDateTime firstDay READ firstDay NOTIFY daysChanged)
    Q_PROPERTY(QDateTime lastDay READ lastDay NOTIFY daysChanged)
    /// The same answer summed per model, most expensive first.
    Q_PROPERTY(ModelUsageModel *modelUsage READ modelUsage CONSTANT)
    /// DisplayRole gives raw numbers (and the date as QDateTime) instead of text, for Qt
    /// Charts model mappers, which read DisplayRole.
    Q_PROPERTY(bool rawDisplay READ rawDisplay WRITE setRawDisplay NOTIFY rawDisplayChanged)

public:
    enum Column {
        DateColumn,
        TracesColumn,
        ObservationsColumn,
        InputTokensColumn,
        OutputTokensColumn,
        TotalTokensColumn,
        CostColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the raw value: QDateTime (UTC midnight) or a number
        NumericRole,                  ///< true for right-aligned numeric columns
        DateRole,                     ///< the row's day as QDate, on every column
        FractionRole,                 ///< numeric columns: value / the column's maximum, 0…1
    };
    Q_ENUM(Role)

    /// One day's sums (all models together).
    struct Day
    {
        QDate date;
        qint64 traces = 0;
        qint64 observations = 0;
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 totalTokens = 0;
        double cost = 0;
    };

    explicit DailyUsageModel(QObject *parent = nullptr);

    /// The client to fetch from; setting it (re)loads.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }

    /// Replaces the query (userId, range, environments, …) and reloads every page. page and
    /// limit are ignored. The range also bounds the zero-filled axis: from `from` to the day
    /// before `to` (today when `to` is unbounded; the first active day when `from` is).
    void setQuery(const DailyMetricsQuery &query);
    [[nodiscard]] const DailyMetricsQuery &query() const { return m_query; }
    /// Drops all rows and loads the current query again.
    Q_INVOKABLE void reload();

    /// Replaces the rows with these days (any order, as from the server) filled out to the
    /// query's range, and feeds modelUsage (also the entry point for tests).
    void setDays(const QList<DailyMetrics> &days);
    [[nodiscard]] const Day &day(int row) const { return m_rows.at(row); }

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] qint64 maxTraces() const { return m_maxTraces; }
    [[nodiscard]] qint64 maxObservations() const { return m_maxObservations; }
    [[nodiscard]] qint64 maxTokens() const { return m_maxTokens; }
    [[nodiscard]] double maxCost() const { return m_maxCost; }
    [[nodiscard]] QDateTime firstDay() const;
    [[nodiscard]] QDateTime lastDay() const;
    [[nodiscard]] ModelUsageModel *modelUsage() { return &m_modelUsage; }
    [[nodiscard]] bool rawDisplay() const { return m_rawDisplay; }
    void setRawDisplay(bool raw);

    /// Days per request (1…100; default 100, the API's maximum).
    void setPageSize(int days) { m_pageSize = std::clamp(days, 1, 100); }

    /// Longest axis filled with zero days; a wider range starts at the first active day.
    static constexpr qint64 kMaxFilledDays = 3660;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void loadingChanged();
    void errorStringChanged();
    void loadedChanged();
    void daysChanged();
    void queryChanged();
    void rawDisplayChanged();

private:
    void requestPage(int page);
    void clear(); // no rows at all (not even zero days): nothing is known yet
    void setErrorString(const QString &error);
    void setLoaded(bool loaded);
    void setLoading(bool loading);
    [[nodiscard]] QVariant value(const Day &day, Column column) const;
    [[nodiscard]] double columnMax(Column column) const;

    QPointer<ApiClient> m_client;
    DailyMetricsQuery m_query;
    QList<Day> m_rows;
    QList<DailyMetrics> m_pending; // pages received so far; shown once all have arrived
    RequestHandle m_request;
    ModelUsageModel m_modelUsage;
    qint64 m_maxTraces = 0;
    qint64 m_maxObservations = 0;
    qint64 m_maxTokens = 0;
    qint64 m_maxInput = 0;
    qint64 m_maxOutput = 0;
    qint64 m_maxTotal = 0;
    double m_maxCost = 0;
    int m_pageSize = 100;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_rawDisplay = false;
    QString m_errorString;
};
