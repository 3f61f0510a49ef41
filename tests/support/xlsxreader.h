// SPDX-License-Identifier: GPL-3.0-or-later
// Reads an XLSX file back for tests: the zip's entries (stored or deflated, through zlib)
// and the first sheet's cells as text, with each cell's type and style.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QXmlStreamReader>

#include <zlib.h>

#include <cstring>
#include <optional>

namespace XlsxReader {

/// Every entry of a zip file by name (from the central directory, so entries written with
/// data descriptors read too). Empty on a malformed file.
inline QHash<QString, QByteArray> unzip(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray zip = file.readAll();
    const auto u16 = [&zip](qsizetype at) {
        return quint16(quint8(zip[at]) | quint8(zip[at + 1]) << 8);
    };
    const auto u32 = [&zip](qsizetype at) {
        return quint32(quint8(zip[at])) | quint32(quint8(zip[at + 1])) << 8 |
               quint32(quint8(zip[at + 2])) << 16 | quint32(quint8(zip[at + 3])) << 24;
    };
    const qsizetype end = zip.lastIndexOf(QByteArray("PK\x05\x06", 4));
    if (end < 0 || end + 22 > zip.size())
        return {};
    const int entries = u16(end + 10);
    qsizetype at = u32(end + 16);
    QHash<QString, QByteArray> result;
    for (int i = 0; i < entries; ++i) {
        if (at + 46 > zip.size() || u32(at) != 0x02014b50)
            return {};
        const int method = u16(at + 10);
        const quint32 compressed = u32(at + 20);
        const quint32 size = u32(at + 24);
        const int nameLength = u16(at + 28);
        const int extraLength = u16(at + 30);
        const int commentLength = u16(at + 32);
        const quint32 local = u32(at + 42);
        const QString name = QString::fromUtf8(zip.mid(at + 46, nameLength));
        at += 46 + nameLength + extraLength + commentLength;
        if (local + 30 > quint32(zip.size()) || u32(local) != 0x04034b50)
            return {};
        const qsizetype data = local + 30 + u16(local + 26) + u16(local + 28);
        const QByteArray raw = zip.mid(data, compressed);
        if (method == 0) {
            result.insert(name, raw);
            continue;
        }
        if (method != 8)
            return {};
        QByteArray out(qsizetype(size), Qt::Uninitialized);
        z_stream z;
        std::memset(&z, 0, sizeof z);
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
            return {};
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(raw.constData()));
        z.avail_in = uInt(raw.size());
        z.next_out = reinterpret_cast<Bytef *>(out.data());
        z.avail_out = uInt(out.size());
        const int rc = inflate(&z, Z_FINISH);
        inflateEnd(&z);
        if (rc != Z_STREAM_END || z.total_out != size)
            return {};
        result.insert(name, out);
    }
    return result;
}

/// One cell: its text (inline or shared string, or the <v> number as written), its type
/// attribute ("" for numbers, "inlineStr", "s", "b") and style index.
struct Cell
{
    QString text;
    QString type;
    int style = 0;
};

/// Column letters of a cell reference ("AB12") as a 0-based index.
inline int columnOf(const QString &ref)
{
    int column = 0;
    for (const QChar c : ref) {
        if (!c.isLetter())
            break;
        column = column * 26 + (c.toLatin1() - 'A' + 1);
    }
    return column - 1;
}

/// OOXML escapes characters XML cannot carry as _xHHHH_ (a carriage return is _x000D_).
inline QString unescape(const QString &text)
{
    static const QRegularExpression escaped(QStringLiteral("_x([0-9A-Fa-f]{4})_"));
    QString result;
    qsizetype at = 0;
    for (auto it = escaped.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        result += text.mid(at, m.capturedStart() - at);
        result += QChar(char16_t(m.captured(1).toUShort(nullptr, 16)));
        at = m.capturedEnd();
    }
    return result + text.mid(at);
}

/// The first sheet as rows of cells (missing cells are empty); nullopt if unreadable.
inline std::optional<QList<QList<Cell>>> sheet(const QHash<QString, QByteArray> &entries)
{
    if (!entries.contains(QStringLiteral("xl/worksheets/sheet1.xml")))
        return std::nullopt;
    QStringList shared;
    if (entries.contains(QStringLiteral("xl/sharedStrings.xml"))) {
        QXmlStreamReader xml(entries.value(QStringLiteral("xl/sharedStrings.xml")));
        QString current;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("si"))
                current.clear();
            else if (xml.isStartElement() && xml.name() == QLatin1String("t"))
                current += xml.readElementText();
            else if (xml.isEndElement() && xml.name() == QLatin1String("si"))
                shared.append(current);
        }
    }
    QList<QList<Cell>> rows;
    QXmlStreamReader xml(entries.value(QStringLiteral("xl/worksheets/sheet1.xml")));
    Cell cell;
    int column = -1;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("row")) {
                rows.append(QList<Cell>());
            } else if (xml.name() == QLatin1String("c")) {
                cell = {};
                cell.type = xml.attributes().value(QLatin1String("t")).toString();
                cell.style = xml.attributes().value(QLatin1String("s")).toInt();
                column = columnOf(xml.attributes().value(QLatin1String("r")).toString());
            } else if (xml.name() == QLatin1String("v") || xml.name() == QLatin1String("t")) {
                cell.text += xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("c") && !rows.isEmpty()) {
            if (cell.type == QLatin1String("s"))
                cell.text = shared.value(cell.text.toInt());
            cell.text = unescape(cell.text);
            QList<Cell> &row = rows.last();
            while (row.size() < column)
                row.append(Cell());
            row.append(cell);
        }
    }
    if (xml.hasError())
        return std::nullopt;
    return rows;
}

} // namespace XlsxReader
