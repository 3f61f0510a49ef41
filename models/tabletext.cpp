// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/tabletext.h"

#include <QDateTime>
#include <QLocale>
#include <QStringList>

namespace TableText {

QString valueText(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (value.typeId()) {
    case QMetaType::QDateTime:
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    default:
        return value.toString();
    }
}

namespace {

QString cell(QString text)
{
    for (QChar &c : text) {
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
    }
    return text;
}

} // namespace

QString toTsv(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns,
              int valueRole)
{
    QStringList lines;
    lines.reserve(rows.size() + 1);
    QStringList fields;
    for (int c : columns)
        fields.append(cell(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
    lines.append(fields.join(QLatin1Char('\t')));
    for (int r : rows) {
        fields.clear();
        for (int c : columns)
            fields.append(cell(valueText(model.index(r, c).data(valueRole))));
        lines.append(fields.join(QLatin1Char('\t')));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace TableText
