// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/userpagecontroller.h"

#include "models/format.h"

Q_LOGGING_CATEGORY(lcUserPage, "xeroml.ui.user", QtWarningMsg)

UserPageController::UserPageController(QObject *parent)
    : QObject(parent)
{
    connect(&m_timeRange, &TimeRange::changed, this, &UserPageController::refresh);
    m_traceSearchDebounce.setSingleShot(true);
    m_traceSearchDebounce.setInterval(250);
    connect(&m_traceSearchDebounce, &QTimer::timeout, this, &UserPageController::applyTracesQuery);
    connect(&m_traces, &TraceListModel::queryChanged, this,
            &UserPageController::tracesQueryChanged);
    // daysChanged comes once per new set of rows (and their models): the charts rebuild once.
    m_models = m_daily.modelUsage();
    connect(&m_daily, &DailyUsageModel::daysChanged, this, &UserPageController::updateChartLists);
    connect(&m_daily, &DailyUsageModel::loadedChanged, this,
            &UserPageController::dailyLoadedChanged);
    connect(&m_daily, &DailyUsageModel::loadedChanged, this,
            &UserPageController::loadDistributionWhenReady);
    connect(&m_sessions, &SessionListModel::spanChanged, this, &UserPageController::axisChanged);
    connect(&m_sessions, &SessionListModel::totalCountChanged, this,
            &UserPageController::totalsChanged);
    connect(&m_scores, &ScoreListModel::totalCountChanged, this,
            &UserPageController::totalsChanged);
    m_scoreFilterDebounce.setSingleShot(true);
    m_scoreFilterDebounce.setInterval(250);
    connect(&m_scoreFilterDebounce, &QTimer::timeout, this, &UserPageController::applyScoresQuery);
}

QDateTime UserPageController::axisFrom() const
{
    // "All time" spans the user's own activity, from their first trace.
    const QDateTime from = m_timeRange.from(QDateTime::currentDateTimeUtc());
    return from.isValid() ? from : (m_firstTrace.isValid() ? m_firstTrace : m_sessions.earliest());
}

QDateTime UserPageController::axisTo() const
{
    const QDateTime to = m_timeRange.to();
    if (to.isValid())
        return to;
    if (m_timeRange.preset() != QLatin1String("all"))
        return QDateTime::currentDateTimeUtc();
    return m_lastTrace.isValid() ? m_lastTrace : m_sessions.latest();
}

void UserPageController::setScoreName(const QString &name)
{
    if (m_scoreName == name)
        return;
    m_scoreName = name;
    Q_EMIT scoreFilterChanged();
    m_scoreFilterDebounce.start();
}

void UserPageController::setScoreSource(const QString &source)
{
    if (m_scoreSource == source)
        return;
    m_scoreSource = source;
    Q_EMIT scoreFilterChanged();
    applyScoresQuery();
}

void UserPageController::setScoreDataType(const QString &dataType)
{
    if (m_scoreDataType == dataType)
        return;
    m_scoreDataType = dataType;
    Q_EMIT scoreFilterChanged();
    applyScoresQuery();
}

void UserPageController::applyScoresQuery()
{
    const UserScope s = scope();
    ScoresQuery q = m_scores.query();
    q.userId = m_userId;
    q.from = s.from;
    q.to = s.to;
    q.environments = s.environments;
    q.name = m_scoreName.trimmed();
    q.source = m_scoreSource;
    q.dataType = m_scoreDataType;
    m_scores.setQuery(q);
}

void UserPageController::fetchMoreSessions()
{
    if (m_sessions.canFetchMore({}))
        m_sessions.fetchMore({});
}

void UserPageController::fetchMoreScores()
{
    if (m_scores.canFetchMore({}))
        m_scores.fetchMore({});
}

bool UserPageController::isScoreColumnNumeric(int column) const
{
    return m_scores.headerData(column, Qt::Horizontal, ScoreListModel::NumericRole).toBool();
}

QString UserPageController::scoreTraceIdAt(int row) const
{
    return m_scores.index(row, 0).data(ScoreListModel::TraceIdRole).toString();
}

void UserPageController::setTraceSearch(const QString &text)
{
    if (m_traceSearch == text)
        return;
    m_traceSearch = text;
    Q_EMIT tracesQueryChanged();
    m_traceSearchDebounce.start();
}

void UserPageController::applyTracesQuery()
{
    const UserScope s = scope();
    TracesQuery q = m_traces.query();
    q.userId = m_userId;
    q.from = s.from;
    q.to = s.to;
    q.environments = s.environments;
    q.name = m_traceSearch.trimmed();
    q.fields = {QStringLiteral("core")};
    m_traces.setQuery(q);
}

void UserPageController::sortTracesBy(int column)
{
    if (!TraceListModel::isSortable(column))
        return;
    bool descending = isTraceColumnNumeric(column) || column == TraceListModel::TimeColumn;
    if (column == m_traces.sortColumn())
        descending = m_traces.sortOrder() != Qt::DescendingOrder;
    m_traces.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

bool UserPageController::isTraceColumnSortable(int column) const
{
    return TraceListModel::isSortable(column);
}

bool UserPageController::isTraceColumnNumeric(int column) const
{
    return m_traces.headerData(column, Qt::Horizontal, TraceListModel::NumericRole).toBool();
}

void UserPageController::fetchMoreTraces()
{
    if (m_traces.canFetchMore({}))
        m_traces.fetchMore({});
}

QString UserPageController::traceIdAt(int row) const
{
    return row >= 0 && row < m_traces.rowCount() ? m_traces.trace(row).id : QString();
}

QList<double> UserPageController::dayColumn(int column) const
{
    QList<double> values;
    for (int row = 0; row < m_daily.rowCount(); ++row)
        values.append(m_daily.index(row, column).data(DailyUsageModel::ValueRole).toDouble());
    return values;
}

QList<double> UserPageController::modelColumn(int column) const
{
    const ModelUsageModel *models = m_models;
    QList<double> values;
    for (int row = 0; row < models->rowCount(); ++row)
        values.append(models->index(row, column).data(ModelUsageModel::ValueRole).toDouble());
    return values;
}

void UserPageController::updateChartLists()
{
    m_dayLabels.clear();
    for (int row = 0; row < m_daily.rowCount(); ++row)
        m_dayLabels.append(m_daily.index(row, 0)
                               .data(DailyUsageModel::DateRole)
                               .toDate()
                               .toString(QStringLiteral("MM-dd")));
    m_dayTraces = dayColumn(DailyUsageModel::TracesColumn);
    m_dayInputTokens = dayColumn(DailyUsageModel::InputTokensColumn);
    m_dayOutputTokens = dayColumn(DailyUsageModel::OutputTokensColumn);
    m_dayCost = dayColumn(DailyUsageModel::CostColumn);
    m_modelNames.clear();
    for (int row = 0; row < m_models->rowCount(); ++row) {
        const QString name = m_models->index(row, 0).data(ModelUsageModel::ModelRole).toString();
        m_modelNames.append(name.isEmpty() ? tr("(no model)") : name);
    }
    m_modelCost = modelColumn(ModelUsageModel::CostColumn);
    m_modelInputTokens = modelColumn(ModelUsageModel::InputTokensColumn);
    m_modelOutputTokens = modelColumn(ModelUsageModel::OutputTokensColumn);
    Q_EMIT dailyChanged();
}

void UserPageController::setClient(ApiClient *client)
{
    if (m_client == client)
        return;
    m_client = client;
    // A model handed a client loads its first page at once. The models get it only once
    // their query is set (refresh(), loadTab()): before that, the hidden tabs' lists asked
    // for the whole project's traces, sessions and scores, and the one-threaded local server
    // answered those (seconds on a large project) before the header and charts.
    m_traces.setClient(nullptr);
    m_daily.setClient(nullptr);
    m_sessions.setClient(nullptr);
    m_scores.setClient(nullptr);
    Q_EMIT clientChanged();
    refresh();
}

void UserPageController::setUserId(const QString &userId)
{
    if (m_userId == userId)
        return;
    m_userId = userId;
    Q_EMIT userIdChanged();
    refresh();
}

void UserPageController::setEnvironment(const QString &environment)
{
    if (m_environment == environment)
        return;
    m_environment = environment;
    Q_EMIT environmentChanged();
    refresh();
}

UserScope UserPageController::scope() const
{
    UserScope s;
    s.from = m_timeRange.from(QDateTime::currentDateTimeUtc());
    s.to = m_timeRange.to();
    if (!m_environment.isEmpty())
        s.environments = {m_environment};
    return s;
}

void UserPageController::setActiveTab(const QString &tab)
{
    if (m_activeTab == tab)
        return;
    m_activeTab = tab;
    Q_EMIT activeTabChanged();
    if (m_client && !m_userId.isEmpty() && !m_loadedTabs.contains(tab))
        loadTab(tab);
}

namespace {

// Hands the page's client to a tab's model whose query is already set (one request), or
// loads the model again when neither client nor query changed.
template<typename Model> void loadWith(Model &model, ApiClient *client, bool queryChanged)
{
    if (model.client() != client)
        model.setClient(client);
    else if (!queryChanged)
        model.reload();
}

} // namespace

void UserPageController::loadTab(const QString &tab)
{
    m_loadedTabs.insert(tab);
    const UserScope s = scope();
    if (tab == QLatin1String("traces")) {
        const TracesQuery before = m_traces.query();
        applyTracesQuery();
        loadWith(m_traces, m_client, !(m_traces.query() == before));
    } else if (tab == QLatin1String("sessions")) {
        SessionsQuery sessions;
        sessions.userId = m_userId;
        sessions.from = s.from;
        sessions.to = s.to;
        sessions.environments = s.environments;
        sessions.orderField = QStringLiteral("firstTraceAt");
        sessions.descending = true;
        const SessionsQuery before = m_sessions.query();
        m_sessions.setQuery(sessions);
        loadWith(m_sessions, m_client, !(m_sessions.query() == before));
        Q_EMIT axisChanged();
    } else if (tab == QLatin1String("feedback")) {
        const ScoresQuery before = m_scores.query();
        applyScoresQuery();
        loadWith(m_scores, m_client, !(m_scores.query() == before));
    }
}

void UserPageController::loadDistributionWhenReady()
{
    if (!m_distributionPending || !m_loaded || m_request.isActive() || !m_daily.loaded())
        return;
    m_distributionPending = false;
    const UserScope s = scope();
    m_scoreDistribution.load(m_client, m_userId, s.from, s.to, s.environments);
}

void UserPageController::refresh()
{
    m_request.cancel();
    if (!m_client || m_userId.isEmpty())
        return;
    const UserScope s = scope();
    // Requests queue behind the client's concurrency cap: the header and the charts are
    // asked for first, the tabs' lists next, the score histograms (many small queries) last.
    m_request = m_client->user(m_userId, s, this, [this](const ApiResult<UserSummary> &result) {
        m_request = {};
        m_loaded = true;
        if (result.ok()) {
            m_error.clear();
            m_figures = describe(result.value());
            m_firstTrace = result.value().firstTraceAt;
            m_lastTrace = result.value().lastTraceAt;
            Q_EMIT axisChanged();
        } else {
            m_figures.clear();
            m_error = result.error().kind == ApiError::Kind::NotFound
                          ? tr("This user has no traces in %1.").arg(m_timeRange.label().toLower())
                          : result.error().message;
        }
        Q_EMIT summaryChanged();
        loadDistributionWhenReady();
    });
    DailyMetricsQuery daily;
    daily.userId = m_userId;
    daily.environments = s.environments;
    // The charts need a bounded axis: "all time" shows the 90 days up to now.
    daily.from = s.from.isValid() ? s.from : QDateTime::currentDateTimeUtc().addDays(-90);
    daily.to = s.to;
    const DailyMetricsQuery before = m_daily.query();
    m_daily.setQuery(daily);
    loadWith(m_daily, m_client, !(m_daily.query() == before));
    // The tabs' lists load when their tab is shown; the histograms once header and charts
    // are in, so that the page's first screen never waits behind them.
    m_loadedTabs.clear();
    m_distributionPending = true;
    m_scoreDistribution.expect();
    loadTab(m_activeTab);
    Q_EMIT summaryChanged();
}

void UserPageController::logShown() const
{
    int rows = 0;
    if (m_activeTab == QLatin1String("traces")) {
        rows = m_traces.rowCount();
    } else if (m_activeTab == QLatin1String("sessions")) {
        rows = m_sessions.rowCount();
    } else if (m_activeTab == QLatin1String("feedback")) {
        rows = m_scores.rowCount();
    } else {
        for (int row = 0; row < m_daily.rowCount(); ++row) { // days with traces
            const QModelIndex day = m_daily.index(row, DailyUsageModel::TracesColumn);
            if (day.data(DailyUsageModel::ValueRole).toLongLong() > 0)
                ++rows;
        }
    }
    int marks = 0; // the timeline's first row: its trace marks
    if (m_activeTab == QLatin1String("sessions") && rows > 0)
        marks = int(m_sessions.traceTimes(0).size());
    qCInfo(lcUserPage).noquote().nospace()
        << "user page shown: user \"" << m_userId << "\", header \""
        << m_figures.value(QStringLiteral("userId")).toString() << "\", tab " << m_activeTab << ", "
        << rows << " rows, " << marks << " marks, error \"" << m_error << '"';
}

QVariantMap UserPageController::describe(const UserSummary &u)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return {
        {QStringLiteral("userId"), u.userId},
        {QStringLiteral("totalTraces"), Format::count(u.totalTraces)},
        {QStringLiteral("totalSessions"), Format::count(u.totalSessions)},
        {QStringLiteral("totalObservations"), Format::count(u.totalObservations)},
        {QStringLiteral("inputTokens"), Format::count(u.inputTokens)},
        {QStringLiteral("outputTokens"), Format::count(u.outputTokens)},
        {QStringLiteral("totalTokens"), Format::count(u.totalTokens)},
        {QStringLiteral("totalCost"), Format::cost(u.totalCost)},
        {QStringLiteral("averageScore"), Format::score(u.averageScore)},
        {QStringLiteral("scoreCount"), Format::count(u.scoreCount)},
        {QStringLiteral("firstTraceAt"), Format::relativeTime(u.firstTraceAt, now)},
        {QStringLiteral("firstTraceExact"), Format::exactTime(u.firstTraceAt)},
        {QStringLiteral("lastTraceAt"), Format::relativeTime(u.lastTraceAt, now)},
        {QStringLiteral("lastTraceExact"), Format::exactTime(u.lastTraceAt)},
        {QStringLiteral("environments"), u.environments.join(QStringLiteral(", "))},
    };
}
