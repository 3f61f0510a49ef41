// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apiclient.h"
#include "api/tracedetail.h"

#include <QAbstractItemModel>
#include <QPointer>

/// One trace's observations as a tree (parentObservationId), children ordered by start time.
/// Observations whose parent is missing go at top level flagged `orphan`; parent links that
/// form a cycle are refused: the cycle's members go at top level flagged `cycle`. Built
/// without recursion, so any depth is safe.
class ObservationTreeModel : public QAbstractItemModel
{
    Q_OBJECT
    /// A trace request is in flight (setTraceId).
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    /// The last request's error for people; empty when fine.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    /// A trace (or an error) has arrived for the current trace id.
    Q_PROPERTY(bool loaded READ loaded NOTIFY loadedChanged)
    /// The trace shown; setting it loads GET /api/public/traces/{id} through the client.
    Q_PROPERTY(QString traceId READ traceId WRITE setTraceId NOTIFY traceIdChanged)
    /// What was wrong with the parent links (orphans, cycles, duplicate ids); empty if nothing.
    Q_PROPERTY(QString problems READ problems NOTIFY traceChanged)
    /// Observations in the tree.
    Q_PROPERTY(int observationCount READ observationCount NOTIFY traceChanged)
    /// The trace's time scale: the earliest start and latest end of its observations.
    Q_PROPERTY(QDateTime spanStart READ spanStart NOTIFY traceChanged)
    Q_PROPERTY(QDateTime spanEnd READ spanEnd NOTIFY traceChanged)

public:
    enum Column {
        NameColumn, ///< the tree column
        TypeColumn,
        ModelColumn,
        StartColumn,
        LatencyColumn,
        TimelineColumn, ///< the duration bar: use startFraction / durationFraction
        InputTokensColumn,
        OutputTokensColumn,
        TotalTokensColumn,
        CostColumn,
        LevelColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    /// Every role answers on every column (QML delegates read what they draw).
    enum Role {
        ValueRole = Qt::UserRole + 1, ///< the column's raw value
        NumericRole,                  ///< true for right-aligned numeric columns
        ObservationIdRole,            ///< string
        TypeRole,                     ///< SPAN, GENERATION, EVENT
        NameRole,                     ///< string
        ModelRole,                    ///< string, empty if none
        StartTimeRole,                ///< QDateTime
        EndTimeRole,                  ///< QDateTime, invalid if open or an event
        LatencyRole,                  ///< seconds (double), null if unknown
        StartFractionRole,            ///< start on the trace's time scale, 0…1
        DurationFractionRole,         ///< length on the trace's time scale, 0…1 (0 for events)
        InputTokensRole,              ///< qint64, null if unknown
        OutputTokensRole,             ///< qint64, null if unknown
        TotalTokensRole,              ///< qint64, null if unknown
        CostRole,                     ///< USD (double), null if unknown
        LevelRole,                    ///< DEBUG, DEFAULT, WARNING, ERROR
        StatusMessageRole,            ///< string
        OrphanRole,                   ///< its parent is missing: shown at top level
        CycleRole,                    ///< its parent link was part of a cycle: shown at top level
        DepthRole,                    ///< 0 at top level
    };
    Q_ENUM(Role)

    explicit ObservationTreeModel(QObject *parent = nullptr);

    /// The client setTraceId() loads through.
    void setClient(ApiClient *client);
    [[nodiscard]] ApiClient *client() const { return m_client; }
    /// Loads this trace (cancelling a request in flight); empty clears the tree.
    void setTraceId(const QString &traceId);
    [[nodiscard]] QString traceId() const { return m_traceId; }
    /// Loads the current trace again.
    Q_INVOKABLE void reload();

    /// Builds the tree from a trace (also the entry point for tests).
    void setTrace(const TraceDetail &trace);
    [[nodiscard]] const TraceDetail &trace() const { return m_trace; }

    /// The observation at an index, for the detail pane: id, name, type, model, level,
    /// statusMessage, startTime, endTime, latency, usage, costDetails, and for input, output
    /// and metadata both pretty JSON text (input, output, metadata) and the chat
    /// conversation when they hold one (inputMessages, outputMessages: [{role, content}]).
    Q_INVOKABLE QVariantMap observation(const QModelIndex &index) const;
    /// The trace's own input, output and metadata in the same form as observation().
    Q_INVOKABLE QVariantMap traceContent() const;
    /// The trace's scores: [{id, name, value (text), dataType, source, comment, observationId}].
    Q_INVOKABLE QVariantList scores() const;
    /// The index (column 0) of an observation id; invalid when it is not in the tree.
    Q_INVOKABLE QModelIndex indexOf(const QString &observationId) const;

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString errorString() const { return m_errorString; }
    [[nodiscard]] bool loaded() const { return m_loaded; }
    [[nodiscard]] QString problems() const { return m_problems; }
    [[nodiscard]] int observationCount() const { return int(m_nodes.size()); }
    [[nodiscard]] QDateTime spanStart() const { return m_spanStart; }
    [[nodiscard]] QDateTime spanEnd() const { return m_spanEnd; }

    [[nodiscard]] QModelIndex index(int row, int column,
                                    const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] bool hasChildren(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void loadingChanged();
    void errorStringChanged();
    void loadedChanged();
    void traceIdChanged();
    void traceChanged();

private:
    struct Node
    {
        int observation = -1; // index into m_trace.observations
        int parent = -1;      // node index; -1 at top level
        int row = 0;          // position among its parent's children
        int depth = 0;
        bool orphan = false;
        bool cycle = false;
        QList<int> children;
    };

    void build();
    [[nodiscard]] const Observation &observationOf(const Node &node) const
    {
        return m_trace.observations.at(node.observation);
    }
    [[nodiscard]] const QList<int> &childrenOf(const QModelIndex &parent) const;
    [[nodiscard]] QVariant roleValue(const Node &node, int role) const;
    [[nodiscard]] QVariant columnValue(const Node &node, Column column) const;
    void setErrorString(const QString &error);
    void setLoaded(bool loaded);
    void setLoading(bool loading);

    QPointer<ApiClient> m_client;
    QString m_traceId;
    RequestHandle m_request;
    TraceDetail m_trace;
    QList<Node> m_nodes;
    QList<int> m_topLevel;
    QHash<QString, int> m_nodeOf; // observation id → node
    QString m_problems;
    QDateTime m_spanStart;
    QDateTime m_spanEnd;
    QString m_errorString;
    bool m_loaded = false;
    bool m_loading = false;
};
