// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/userlistmodel.h"
#include "views/columnstate.h"
#include "views/newdatawatcher.h"
#include "views/timerange.h"
#include "views/userscosthistogram.h"
#include "views/userssummary.h"

#include <QItemSelectionModel>
#include <QObject>
#include <QQmlEngine>
#include <QTimer>

/// The users page's state: the table model with its sort, search, time range and
/// selection, the remembered column layout, the top-10 chart's and the cost histogram's
/// data, and the watch for new data (hint or auto-refresh in place).
class UsersPageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// The client to fetch through (AppContext.client).
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    /// The users table (a QAbstractItemModel; typed QObject because Qt 6.4's QML tooling
    /// does not know QAbstractItemModel).
    Q_PROPERTY(QObject *model READ model CONSTANT)
    /// Selected rows of the table.
    Q_PROPERTY(QItemSelectionModel *selectionModel READ selectionModel CONSTANT)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    /// Row with the keyboard focus; -1 for none.
    Q_PROPERTY(int currentRow READ currentRow NOTIFY selectionChanged)
    /// Column widths and visibility, remembered across restarts.
    Q_PROPERTY(ColumnState *columns READ columns CONSTANT)
    /// The time window of every figure on the page.
    Q_PROPERTY(TimeRange *timeRange READ timeRange CONSTANT)
    /// The one environment shown; empty = all.
    Q_PROPERTY(QString environment READ environment WRITE setEnvironment NOTIFY environmentChanged)
    /// "All environments" followed by every environment with traces; and which is chosen.
    Q_PROPERTY(QStringList environmentChoices READ environmentChoices NOTIFY environmentChanged)
    Q_PROPERTY(int environmentIndex READ environmentIndex WRITE setEnvironmentIndex NOTIFY
                   environmentChanged)
    /// Totals over every matching user, and the environments to choose from.
    Q_PROPERTY(UsersSummary *summary READ summary CONSTANT)
    /// Column the table is sorted by, and its direction (remembered across restarts).
    Q_PROPERTY(int sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool sortDescending READ sortDescending NOTIFY sortChanged)
    /// Text the user id must contain; applied after a short pause in typing.
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// Users matching the filter, all pages together (a double: QML numbers are doubles).
    Q_PROPERTY(double totalCount READ totalCount NOTIFY totalCountChanged)
    Q_PROPERTY(int loadedCount READ loadedCount NOTIFY loadedCountChanged)
    /// Top 10 users by the sort measure (total cost when sorting by id or time).
    Q_PROPERTY(QStringList topUserIds READ topUserIds NOTIFY topUsersChanged)
    Q_PROPERTY(QList<double> topValues READ topValues NOTIFY topUsersChanged)
    Q_PROPERTY(QString topMeasure READ topMeasure NOTIFY topUsersChanged)
    /// The top-10 query has answered (rows or error).
    Q_PROPERTY(bool topLoaded READ topLoaded NOTIFY topUsersChanged)
    /// Users per decade of cost over the filter (hidden against servers without it).
    Q_PROPERTY(UsersCostHistogram *costHistogram READ costHistogram CONSTANT)
    /// The page is on screen (set by the page: shown, current, window not minimized);
    /// new data is only looked for then.
    Q_PROPERTY(bool watching READ watching WRITE setWatching NOTIFY watchingChanged)
    /// Milliseconds between looks for new data; 0 (the default) = never.
    Q_PROPERTY(int pollInterval READ pollInterval WRITE setPollInterval NOTIFY watchingChanged)
    /// The figures later ones are compared with have arrived (for tests).
    Q_PROPERTY(bool watchReady READ watchReady NOTIFY watchingChanged)
    /// Figures of the filter changed since the page loaded (and auto-refresh is off).
    Q_PROPERTY(bool newData READ newData NOTIFY newDataChanged)
    /// New data reloads the page in place (sort, selection and scroll kept); remembered.
    Q_PROPERTY(bool autoRefresh READ autoRefresh WRITE setAutoRefresh NOTIFY autoRefreshChanged)

public:
    explicit UsersPageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_model.client(); }
    void setClient(ApiClient *client);
    [[nodiscard]] QObject *model() { return &m_model; }
    [[nodiscard]] UserListModel *userModel() { return &m_model; }
    [[nodiscard]] QItemSelectionModel *selectionModel() { return &m_selection; }
    [[nodiscard]] int selectedCount() const;
    [[nodiscard]] int currentRow() const;
    [[nodiscard]] ColumnState *columns() { return &m_columns; }
    [[nodiscard]] TimeRange *timeRange() { return &m_timeRange; }
    [[nodiscard]] QString environment() const { return m_environment; }
    void setEnvironment(const QString &environment);
    [[nodiscard]] QStringList environmentChoices() const;
    [[nodiscard]] int environmentIndex() const;
    void setEnvironmentIndex(int index);
    [[nodiscard]] UsersSummary *summary() { return &m_summary; }
    [[nodiscard]] int sortColumn() const;
    [[nodiscard]] bool sortDescending() const { return m_model.query().descending; }
    [[nodiscard]] QString search() const { return m_search; }
    void setSearch(const QString &search);
    [[nodiscard]] bool loading() const { return m_model.loading(); }
    [[nodiscard]] bool loaded() const { return m_model.loaded(); }
    [[nodiscard]] QString errorString() const { return m_model.errorString(); }
    [[nodiscard]] double totalCount() const { return double(m_model.totalCount()); }
    [[nodiscard]] int loadedCount() const { return m_model.rowCount(); }
    [[nodiscard]] QStringList topUserIds() const;
    [[nodiscard]] QList<double> topValues() const;
    [[nodiscard]] QString topMeasure() const;
    [[nodiscard]] bool topLoaded() const { return m_top.loaded(); }
    [[nodiscard]] UsersCostHistogram *costHistogram() { return &m_costHistogram; }
    [[nodiscard]] bool watching() const { return m_watcher.isActive(); }
    void setWatching(bool watching);
    [[nodiscard]] int pollInterval() const { return m_watcher.interval(); }
    void setPollInterval(int ms);
    [[nodiscard]] bool newData() const { return m_watcher.hasNewData() && !m_autoRefresh; }
    [[nodiscard]] bool autoRefresh() const { return m_autoRefresh; }
    [[nodiscard]] bool watchReady() const { return m_watcher.hasBaseline(); }
    void setAutoRefresh(bool on);

    /// Sorts by the column; the current sort column flips direction, a new one starts
    /// descending for numbers and ascending for text.
    Q_INVOKABLE void sortBy(int column);
    /// Loads the current query again from page 1 (Retry, F5); presets move with the clock.
    Q_INVOKABLE void refresh();
    /// Loads the rows shown again without clearing them: the sort, the selected users and
    /// the scroll position stay (what auto-refresh does when new data arrives).
    Q_INVOKABLE void refreshInPlace();
    /// Loads the next page when the view nears the end of the loaded rows.
    Q_INVOKABLE void fetchMore();
    [[nodiscard]] Q_INVOKABLE bool isNumericColumn(int column) const;
    [[nodiscard]] Q_INVOKABLE QString columnTitle(int column) const;
    [[nodiscard]] Q_INVOKABLE QString userIdAt(int row) const;
    /// The user `delta` rows after (or before) `userId` in the table's current order;
    /// empty at either end or when userId is not listed. Pages in more rows near the end.
    [[nodiscard]] Q_INVOKABLE QString neighbour(const QString &userId, int delta);

    /// Mouse selection: a plain click selects the row, Ctrl toggles it, Shift extends
    /// from the last clicked row. `modifiers` is Qt.KeyboardModifiers.
    Q_INVOKABLE void selectRow(int row, int modifiers);
    /// Keyboard: moves the current row by `delta` (clamped), selecting it; Shift extends.
    /// Returns the new current row.
    Q_INVOKABLE int moveCurrent(int delta, int modifiers);
    Q_INVOKABLE void selectAll();
    /// The selected rows' visible columns as TSV with a header line (raw values).
    [[nodiscard]] Q_INVOKABLE QString selectionAsTsv() const;
    /// Puts selectionAsTsv() on the clipboard; returns how many rows were copied.
    Q_INVOKABLE int copySelection() const;

Q_SIGNALS:
    void clientChanged();
    void environmentChanged();
    void sortChanged();
    void searchChanged();
    void loadingChanged();
    void loadedChanged();
    void errorStringChanged();
    void totalCountChanged();
    void loadedCountChanged();
    void selectionChanged();
    void topUsersChanged();
    void watchingChanged();
    void newDataChanged();
    void autoRefreshChanged();

private:
    void applyQuery();
    /// The table's query with the page's search, time range (presets from now) and
    /// environment; and the top-10 query that goes with it.
    [[nodiscard]] UsersQuery currentQuery() const;
    [[nodiscard]] UsersQuery topQuery(const UsersQuery &query) const;
    void loadFigures(const UsersQuery &query);
    void newDataSeen();
    void restoreSelection();
    [[nodiscard]] QList<int> selectedRows() const;
    void saveSort() const;

    UserListModel m_model;
    UserListModel m_top;
    QItemSelectionModel m_selection;
    ColumnState m_columns;
    TimeRange m_timeRange;
    UsersSummary m_summary;
    QString m_environment;
    QString m_search;
    QTimer m_searchDebounce;
    int m_anchorRow = -1;
    UsersCostHistogram m_costHistogram;
    NewDataWatcher m_watcher;
    bool m_autoRefresh = false;
    // Users selected, current and anchoring Shift when refreshInPlace() began.
    QStringList m_keptSelection;
    QString m_keptCurrent;
    QString m_keptAnchor;
};
