// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/sessiontimeline.h"

#include "models/format.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace {

qint64 msOf(const QVariant &value)
{
    if (value.canConvert<QDateTime>() && value.typeId() == QMetaType::QDateTime)
        return value.toDateTime().toMSecsSinceEpoch();
    return value.toLongLong();
}

} // namespace

SessionTimeline::SessionTimeline(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    setOpaquePainting(true);
    connect(this, &QQuickItem::heightChanged, this, &SessionTimeline::requestVisible);
}

void SessionTimeline::setModel(QAbstractItemModel *model)
{
    if (m_model == model)
        return;
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelReset, this, &SessionTimeline::modelRowsChanged);
        connect(m_model, &QAbstractItemModel::rowsInserted, this,
                &SessionTimeline::modelRowsChanged);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this,
                &SessionTimeline::modelRowsChanged);
        connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { update(); });
    }
    Q_EMIT modelChanged();
    modelRowsChanged();
}

void SessionTimeline::modelRowsChanged()
{
    m_requestedFirst = m_requestedLast = -1;
    Q_EMIT contentHeightChanged();
    requestVisible();
    update();
}

void SessionTimeline::setFrom(const QDateTime &from)
{
    if (m_from == from)
        return;
    m_from = from;
    Q_EMIT axisChanged();
    update();
}

void SessionTimeline::setTo(const QDateTime &to)
{
    if (m_to == to)
        return;
    m_to = to;
    Q_EMIT axisChanged();
    update();
}

void SessionTimeline::setContentY(qreal y)
{
    if (qFuzzyCompare(m_contentY, y))
        return;
    m_contentY = y;
    Q_EMIT contentYChanged();
    requestVisible();
    update();
}

qreal SessionTimeline::contentHeight() const
{
    return m_model ? qreal(m_model->rowCount()) * RowHeight : 0;
}

int SessionTimeline::role(const char *name) const
{
    return m_model ? m_model->roleNames().key(QByteArray(name), -1) : -1;
}

int SessionTimeline::rowAt(qreal y) const
{
    if (!m_model || y < 0)
        return -1;
    const int row = int((y + m_contentY) / RowHeight);
    return row < m_model->rowCount() ? row : -1;
}

QString SessionTimeline::sessionIdAt(qreal y) const
{
    const int row = rowAt(y);
    return row < 0 ? QString() : m_model->index(row, 0).data(role("sessionId")).toString();
}

qreal SessionTimeline::xFor(qint64 ms) const
{
    const qint64 from = m_from.toMSecsSinceEpoch();
    const qint64 span = std::max<qint64>(1, m_to.toMSecsSinceEpoch() - from);
    const qreal plot = std::max<qreal>(1, width() - LabelWidth - 12);
    return LabelWidth + plot * std::clamp(qreal(ms - from) / qreal(span), 0.0, 1.0);
}

QVariantList SessionTimeline::axisTicks(qreal width, const QDateTime &from,
                                        const QDateTime &to) const
{
    QVariantList ticks;
    if (width <= LabelWidth || !from.isValid() || !to.isValid() || from >= to)
        return ticks;
    // The grid lines paint() draws: days, or weeks beyond 60 days.
    const qint64 spanDays = std::max<qint64>(1, from.daysTo(to));
    const qint64 step = spanDays > 60 ? 7 : 1;
    const QLocale english(QLocale::English);
    qreal lastX = -1000;
    for (QDateTime day(from.date(), QTime(0, 0), Qt::UTC); day < to; day = day.addDays(step)) {
        const qreal x = xFor(day.toMSecsSinceEpoch());
        if (day < from || x - lastX < 90)
            continue;
        lastX = x;
        ticks.append(QVariantMap{{QStringLiteral("x"), x},
                                 {QStringLiteral("text"), english.toString(day.date(), u"MMM d")}});
    }
    return ticks;
}

void SessionTimeline::requestVisible()
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    const int first = std::max(0, int(m_contentY / RowHeight));
    const int last = std::min(m_model->rowCount() - 1, int((m_contentY + height()) / RowHeight));
    if (first >= m_requestedFirst && last <= m_requestedLast)
        return;
    m_requestedFirst = first;
    m_requestedLast = last;
    QMetaObject::invokeMethod(m_model, "requestTraceTimes", Q_ARG(int, first), Q_ARG(int, last));
}

void SessionTimeline::hover(qreal x, qreal y)
{
    QString text;
    const int row = rowAt(y);
    if (row >= 0) {
        const QModelIndex index = m_model->index(row, 0);
        const qint64 first = msOf(index.data(role("firstTraceAt")));
        const qint64 last = msOf(index.data(role("lastTraceAt")));
        text = QStringLiteral("Session %1\n%2 traces · %3\n%4 → %5")
                   .arg(index.data(role("sessionId")).toString(),
                        Format::count(index.data(role("traceCount")).toLongLong()),
                        Format::cost(index.data(role("totalCost")).toDouble()),
                        Format::exactTime(QDateTime::fromMSecsSinceEpoch(first, Qt::UTC)),
                        Format::exactTime(QDateTime::fromMSecsSinceEpoch(last, Qt::UTC)));
        // The nearest trace mark within a few pixels, if any.
        const QVariantList times = index.data(role("traceTimes")).toList();
        for (const QVariant &t : times) {
            if (std::abs(xFor(msOf(t)) - x) <= 3) {
                text +=
                    QStringLiteral("\nTrace at %1")
                        .arg(Format::exactTime(QDateTime::fromMSecsSinceEpoch(msOf(t), Qt::UTC)));
                break;
            }
        }
    }
    if (text != m_hoverText) {
        m_hoverText = text;
        Q_EMIT hoverChanged();
    }
}

void SessionTimeline::paint(QPainter *painter)
{
    painter->fillRect(boundingRect(), QColor(0xff, 0xff, 0xff));
    if (!m_model || !m_from.isValid() || !m_to.isValid())
        return;
    const int rows = m_model->rowCount();
    const int first = std::max(0, int(m_contentY / RowHeight));
    const int last = std::min(rows - 1, int((m_contentY + height()) / RowHeight));
    const int idRole = role("sessionId");
    const int firstRole = role("firstTraceAt");
    const int lastRole = role("lastTraceAt");
    const int timesRole = role("traceTimes");
    const QFontMetrics metrics(painter->font());

    // Day grid lines on the shared axis.
    painter->setPen(QColor(0xee, 0xf0, 0xf3));
    const qint64 spanDays = std::max<qint64>(1, m_from.daysTo(m_to));
    const qint64 step = spanDays > 60 ? 7 : 1;
    for (QDateTime day(m_from.date(), QTime(0, 0), Qt::UTC); day < m_to; day = day.addDays(step))
        painter->drawLine(QPointF(xFor(day.toMSecsSinceEpoch()), 0),
                          QPointF(xFor(day.toMSecsSinceEpoch()), height()));

    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const qreal top = row * RowHeight - m_contentY;
        if (row % 2)
            painter->fillRect(QRectF(0, top, width(), RowHeight), QColor(0xf8, 0xf9, 0xfb));
        painter->setPen(QColor(0x33, 0x33, 0x33));
        painter->drawText(
            QRectF(8, top, LabelWidth - 16, RowHeight), Qt::AlignVCenter,
            metrics.elidedText(index.data(idRole).toString(), Qt::ElideMiddle, LabelWidth - 16));
        const qreal x1 = xFor(msOf(index.data(firstRole)));
        const qreal x2 = std::max(x1 + 2, xFor(msOf(index.data(lastRole))));
        painter->fillRect(QRectF(x1, top + 8, x2 - x1, RowHeight - 16), QColor(0xc9, 0xda, 0xf3));
        painter->setPen(QPen(QColor(0x2f, 0x5f, 0xb3), 2));
        for (const QVariant &t : index.data(timesRole).toList()) {
            const qreal x = xFor(msOf(t));
            painter->drawLine(QPointF(x, top + 5), QPointF(x, top + RowHeight - 5));
        }
    }
}
