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
    case QMetaType::QStringList: // tags
        return value.toStringList().join(QLatin1String(", "));
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

QString markdownCell(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\\') || c == QLatin1Char('|')) {
            out += QLatin1Char('\\');
            out += c;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            out += QLatin1String("<br>");
        } else if (c == QLatin1Char('\n')) {
            out += QLatin1String("<br>");
        } else if (c == QLatin1Char('\t')) {
            out += QLatin1Char(' ');
        } else {
            out += c;
        }
    }
    return out;
}

QString toMarkdown(const QAbstractItemModel &model, const QList<int> &rows,
                   const QList<int> &columns, int valueRole, int numericRole)
{
    const auto line = [](const QStringList &cells) {
        return QLatin1String("| ") + cells.join(QLatin1String(" | ")) + QLatin1String(" |\n");
    };
    QStringList titles;
    QStringList rules;
    for (int c : columns) {
        titles.append(
            markdownCell(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
        const bool numeric = model.headerData(c, Qt::Horizontal, numericRole).toBool();
        rules.append(numeric ? QStringLiteral("---:") : QStringLiteral("---"));
    }
    QString out = line(titles) + line(rules);
    QStringList cells;
    for (int r : rows) {
        cells.clear();
        for (int c : columns)
            cells.append(markdownCell(valueText(model.index(r, c).data(valueRole))));
        out += line(cells);
    }
    return out;
}

} // namespace TableText
