// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QDateTime>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QVariantList>

/// Session timelines on one shared time axis: a row per session (a bar from its first to
/// its last trace) with a mark at each trace's time. Only the rows in view are painted,
/// so thousands of sessions scroll smoothly: the item is the size of the viewport and
/// `contentY` says which rows are in it (bind it to a Flickable's contentY).
///
/// Reads the model's roles by name: sessionId, firstTraceAt, lastTraceAt, traceCount,
/// totalCost, traceTimes (ms since the epoch); asks the model for the trace times of the
/// rows in view through its invokable requestTraceTimes(int first, int last).
class SessionTimeline : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    /// The time axis: every row is drawn against this window.
    Q_PROPERTY(QDateTime from READ from WRITE setFrom NOTIFY axisChanged)
    Q_PROPERTY(QDateTime to READ to WRITE setTo NOTIFY axisChanged)
    /// Scroll position in pixels, and the height of one row.
    Q_PROPERTY(qreal contentY READ contentY WRITE setContentY NOTIFY contentYChanged)
    Q_PROPERTY(int rowHeight READ rowHeight CONSTANT)
    /// Total height of all rows (for the Flickable's contentHeight).
    Q_PROPERTY(qreal contentHeight READ contentHeight NOTIFY contentHeightChanged)
    /// Width of the label column on the left.
    Q_PROPERTY(int labelWidth READ labelWidth CONSTANT)
    /// What is under the mouse, for a tooltip; empty when nothing.
    Q_PROPERTY(QString hoverText READ hoverText NOTIFY hoverChanged)

public:
    explicit SessionTimeline(QQuickItem *parent = nullptr);

    [[nodiscard]] QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model);
    [[nodiscard]] QDateTime from() const { return m_from; }
    void setFrom(const QDateTime &from);
    [[nodiscard]] QDateTime to() const { return m_to; }
    void setTo(const QDateTime &to);
    [[nodiscard]] qreal contentY() const { return m_contentY; }
    void setContentY(qreal y);
    [[nodiscard]] int rowHeight() const { return RowHeight; }
    [[nodiscard]] qreal contentHeight() const;
    [[nodiscard]] int labelWidth() const { return LabelWidth; }
    [[nodiscard]] QString hoverText() const { return m_hoverText; }

    /// The session at a point of the item (-1 for none), e.g. for a click.
    [[nodiscard]] Q_INVOKABLE int rowAt(qreal y) const;
    [[nodiscard]] Q_INVOKABLE QString sessionIdAt(qreal y) const;
    /// Updates hoverText for a mouse position.
    Q_INVOKABLE void hover(qreal x, qreal y);
    /// Date labels for the time axis at the grid lines, at least ~90 px apart: [{x, text}].
    /// The arguments are the item's width and axis, so that a QML binding follows them.
    [[nodiscard]] Q_INVOKABLE QVariantList axisTicks(qreal width, const QDateTime &from,
                                                     const QDateTime &to) const;

    void paint(QPainter *painter) override;

    static constexpr int RowHeight = 24;
    static constexpr int LabelWidth = 220;

Q_SIGNALS:
    void modelChanged();
    void axisChanged();
    void contentYChanged();
    void contentHeightChanged();
    void hoverChanged();

private:
    [[nodiscard]] int role(const char *name) const;
    [[nodiscard]] qreal xFor(qint64 ms) const;
    void requestVisible();
    void modelRowsChanged();

    QPointer<QAbstractItemModel> m_model;
    QDateTime m_from;
    QDateTime m_to;
    qreal m_contentY = 0;
    QString m_hoverText;
    int m_requestedFirst = -1;
    int m_requestedLast = -1;
};
