// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "models/dailyusagemodel.h"
#include "models/scorelistmodel.h"
#include "models/sessionlistmodel.h"
#include "models/tracelistmodel.h"
#include "views/modeltypes.h"
#include "views/scoredistribution.h"
#include "views/timerange.h"

#include <QLoggingCategory>
#include <QObject>
#include <QQmlEngine>
#include <QSet>
#include <QTimer>
#include <QVariantMap>

Q_DECLARE_LOGGING_CATEGORY(lcUserPage)

/// One user's page: their totals over the page's time range and environment.
class UserPageController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// The client to fetch through (AppContext.client).
    Q_PROPERTY(ApiClient *client READ client WRITE setClient NOTIFY clientChanged)
    /// The user shown, exactly as stored (any characters).
    Q_PROPERTY(QString userId READ userId WRITE setUserId NOTIFY userIdChanged)
    /// The time window of every figure on the page.
    Q_PROPERTY(TimeRange *timeRange READ timeRange CONSTANT)
    /// The one environment shown; empty = all.
    Q_PROPERTY(QString environment READ environment WRITE setEnvironment NOTIFY environmentChanged)
    /// The user's totals formatted for people, keyed like UserSummary's fields, plus
    /// firstTraceExact / lastTraceExact and environments; empty until loaded.
    Q_PROPERTY(QVariantMap figures READ figures NOTIFY summaryChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY summaryChanged)
    /// The first answer (figures or an error) has arrived.
    Q_PROPERTY(bool loaded READ loaded NOTIFY summaryChanged)
    /// Why the figures are missing, for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY summaryChanged)
    /// The tab on screen ("overview", "traces", "sessions", "feedback"): a tab's list loads
    /// when it is first shown for the current range.
    Q_PROPERTY(QString activeTab READ activeTab WRITE setActiveTab NOTIFY activeTabChanged)
    /// How the user's numeric scores spread, per score name.
    Q_PROPERTY(ScoreDistribution *scoreDistribution READ scoreDistribution CONSTANT)
    /// The user's traces.
    Q_PROPERTY(TraceListModel *traces READ traceModel CONSTANT)
    Q_PROPERTY(int traceSortColumn READ traceSortColumn NOTIFY tracesQueryChanged)
    Q_PROPERTY(bool traceSortDescending READ traceSortDescending NOTIFY tracesQueryChanged)
    /// Text the trace name must contain; applied after a short pause in typing.
    Q_PROPERTY(QString traceSearch READ traceSearch WRITE setTraceSearch NOTIFY tracesQueryChanged)
    /// Per day over the range, oldest first, for the charts: "MM-dd" labels and figures.
    Q_PROPERTY(QStringList dayLabels READ dayLabels NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> dayTraces READ dayTraces NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> dayInputTokens READ dayInputTokens NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> dayOutputTokens READ dayOutputTokens NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> dayCost READ dayCost NOTIFY dailyChanged)
    /// Per model over the range, most expensive first.
    Q_PROPERTY(QStringList modelNames READ modelNames NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> modelCost READ modelCost NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> modelInputTokens READ modelInputTokens NOTIFY dailyChanged)
    Q_PROPERTY(QList<double> modelOutputTokens READ modelOutputTokens NOTIFY dailyChanged)
    Q_PROPERTY(bool dailyLoaded READ dailyLoaded NOTIFY dailyLoadedChanged)
    /// The user's sessions, for the timeline.
    Q_PROPERTY(SessionListModel *sessions READ sessionModel CONSTANT)
    /// Sessions and scores matching, all pages together (doubles: QML numbers).
    Q_PROPERTY(double sessionTotal READ sessionTotal NOTIFY totalsChanged)
    Q_PROPERTY(double scoreTotal READ scoreTotal NOTIFY totalsChanged)
    /// The timeline's axis: the page's range, or the sessions' own span for "all time".
    Q_PROPERTY(QDateTime axisFrom READ axisFrom NOTIFY axisChanged)
    Q_PROPERTY(QDateTime axisTo READ axisTo NOTIFY axisChanged)
    /// The user's scores, filtered by name, source and data type.
    Q_PROPERTY(ScoreListModel *scores READ scoreModel CONSTANT)
    Q_PROPERTY(QString scoreName READ scoreName WRITE setScoreName NOTIFY scoreFilterChanged)
    Q_PROPERTY(QString scoreSource READ scoreSource WRITE setScoreSource NOTIFY scoreFilterChanged)
    Q_PROPERTY(
        QString scoreDataType READ scoreDataType WRITE setScoreDataType NOTIFY scoreFilterChanged)

public:
    explicit UserPageController(QObject *parent = nullptr);

    [[nodiscard]] ApiClient *client() const { return m_client; }
    void setClient(ApiClient *client);
    [[nodiscard]] QString userId() const { return m_userId; }
    void setUserId(const QString &userId);
    [[nodiscard]] TimeRange *timeRange() { return &m_timeRange; }
    [[nodiscard]] QString environment() const { return m_environment; }
    void setEnvironment(const QString &environment);
    [[nodiscard]] QVariantMap figures() const { return m_figures; }
    [[nodiscard]] bool loading() const { return m_request.isActive(); }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] ScoreDistribution *scoreDistribution() { return &m_scoreDistribution; }
    [[nodiscard]] QString activeTab() const { return m_activeTab; }
    void setActiveTab(const QString &tab);
    [[nodiscard]] TraceListModel *traceModel() { return &m_traces; }
    [[nodiscard]] DailyUsageModel *dailyModel() { return &m_daily; }
    [[nodiscard]] int traceSortColumn() const { return m_traces.sortColumn(); }
    [[nodiscard]] bool traceSortDescending() const
    {
        return m_traces.sortOrder() == Qt::DescendingOrder;
    }
    [[nodiscard]] QString traceSearch() const { return m_traceSearch; }
    void setTraceSearch(const QString &text);
    [[nodiscard]] QStringList dayLabels() const { return m_dayLabels; }
    [[nodiscard]] QList<double> dayTraces() const { return m_dayTraces; }
    [[nodiscard]] QList<double> dayInputTokens() const { return m_dayInputTokens; }
    [[nodiscard]] QList<double> dayOutputTokens() const { return m_dayOutputTokens; }
    [[nodiscard]] QList<double> dayCost() const { return m_dayCost; }
    [[nodiscard]] QStringList modelNames() const { return m_modelNames; }
    [[nodiscard]] QList<double> modelCost() const { return m_modelCost; }
    [[nodiscard]] QList<double> modelInputTokens() const { return m_modelInputTokens; }
    [[nodiscard]] QList<double> modelOutputTokens() const { return m_modelOutputTokens; }
    [[nodiscard]] bool dailyLoaded() const { return m_daily.loaded(); }
    [[nodiscard]] SessionListModel *sessionModel() { return &m_sessions; }
    [[nodiscard]] double sessionTotal() const { return double(m_sessions.totalCount()); }
    [[nodiscard]] double scoreTotal() const { return double(m_scores.totalCount()); }
    [[nodiscard]] QDateTime axisFrom() const;
    [[nodiscard]] QDateTime axisTo() const;
    [[nodiscard]] ScoreListModel *scoreModel() { return &m_scores; }
    [[nodiscard]] QString scoreName() const { return m_scoreName; }
    void setScoreName(const QString &name);
    [[nodiscard]] QString scoreSource() const { return m_scoreSource; }
    void setScoreSource(const QString &source);
    [[nodiscard]] QString scoreDataType() const { return m_scoreDataType; }
    void setScoreDataType(const QString &dataType);
    Q_INVOKABLE void fetchMoreSessions();
    Q_INVOKABLE void fetchMoreScores();
    [[nodiscard]] Q_INVOKABLE bool isScoreColumnNumeric(int column) const;
    [[nodiscard]] Q_INVOKABLE QString scoreTraceIdAt(int row) const;

    /// Sorts the traces by a column (on the server); sortable columns only.
    Q_INVOKABLE void sortTracesBy(int column);
    Q_INVOKABLE bool isTraceColumnSortable(int column) const;
    Q_INVOKABLE bool isTraceColumnNumeric(int column) const;
    Q_INVOKABLE void fetchMoreTraces();
    [[nodiscard]] Q_INVOKABLE QString traceIdAt(int row) const;

    /// Loads everything again (Retry, F5); presets move with the clock.
    Q_INVOKABLE void refresh();
    /// Logs what the page shows once it is drawn (xeroml.ui.user, info): the user, the
    /// header's user, the tab and its rows; end-to-end tests read it.
    Q_INVOKABLE void logShown() const;

    /// A UserSummary formatted for people (also what the users page shows).
    [[nodiscard]] static QVariantMap describe(const UserSummary &user);

Q_SIGNALS:
    void clientChanged();
    void userIdChanged();
    void environmentChanged();
    void summaryChanged();
    void activeTabChanged();
    void tracesQueryChanged();
    void dailyChanged();
    void dailyLoadedChanged();
    void axisChanged();
    void totalsChanged();
    void scoreFilterChanged();

private:
    [[nodiscard]] UserScope scope() const;

    QPointer<ApiClient> m_client;
    QString m_userId;
    TimeRange m_timeRange;
    QString m_environment;
    RequestHandle m_request;
    QVariantMap m_figures;
    QString m_error;
    bool m_loaded = false;
    QDateTime m_firstTrace; // the user's activity in the range, for the timeline's axis
    QDateTime m_lastTrace;
    ScoreDistribution m_scoreDistribution;
    QString m_activeTab = QStringLiteral("overview");
    QSet<QString> m_loadedTabs;
    bool m_distributionPending = false;
    TraceListModel m_traces;
    DailyUsageModel m_daily;
    ModelUsageModel *m_models = nullptr; // owned by m_daily
    // The charts' lists, built once per change of the daily rows (not on every read).
    QStringList m_dayLabels;
    QList<double> m_dayTraces;
    QList<double> m_dayInputTokens;
    QList<double> m_dayOutputTokens;
    QList<double> m_dayCost;
    QStringList m_modelNames;
    QList<double> m_modelCost;
    QList<double> m_modelInputTokens;
    QList<double> m_modelOutputTokens;
    QString m_traceSearch;
    QTimer m_traceSearchDebounce;
    SessionListModel m_sessions;
    ScoreListModel m_scores;
    QString m_scoreName;
    QString m_scoreSource;
    QString m_scoreDataType;
    QTimer m_scoreFilterDebounce;

    [[nodiscard]] QList<double> dayColumn(int column) const;
    [[nodiscard]] QList<double> modelColumn(int column) const;
    void updateChartLists();
    void applyTracesQuery();
    void applyScoresQuery();
    void loadTab(const QString &tab);
    void loadDistributionWhenReady();
};
