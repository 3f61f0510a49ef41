// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/exportwriter.h"

#include "models/tabletext.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

namespace {

constexpr qsizetype kFlushBytes = 256 * 1024;

bool isNumber(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Double:
    case QMetaType::Float:
        return true;
    default:
        return false;
    }
}

bool isNull(const QVariant &v)
{
    return !v.isValid() || v.isNull();
}

// A value as text for CSV and TSV, and whether it is text (a string or a list) that the
// formula rule applies to.
QString cellText(const QVariant &v, bool *isText)
{
    *isText = false;
    if (isNull(v))
        return {};
    switch (v.typeId()) {
    case QMetaType::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::QStringList:
        *isText = true;
        return v.toStringList().join(QStringLiteral(", "));
    case QMetaType::QString:
        *isText = true;
        return v.toString();
    default:
        return TableText::valueText(v);
    }
}

QString errorText(const QString &path, const QString &reason)
{
    return QStringLiteral("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason);
}

QFile::Permissions defaultPermissions()
{
    const mode_t mask = ::umask(0);
    ::umask(mask);
    QFile::Permissions p;
    const std::pair<mode_t, QFile::Permission> bits[] = {
        {S_IRUSR, QFile::ReadOwner},  {S_IWUSR, QFile::WriteOwner}, {S_IRGRP, QFile::ReadGroup},
        {S_IWGRP, QFile::WriteGroup}, {S_IROTH, QFile::ReadOther},  {S_IWOTH, QFile::WriteOther},
    };
    for (const auto &[bit, permission] : bits) {
        if ((0666 & ~mask) & bit)
            p |= permission;
    }
    if (p & QFile::ReadOwner)
        p |= QFile::ReadUser;
    if (p & QFile::WriteOwner)
        p |= QFile::WriteUser;
    return p;
}

// CSV, TSV, JSON and JSONL: text through QSaveFile (a temporary beside the target, renamed
// over it on commit), with rows gathered in a buffer and written in large blocks.
class TextWriter : public ExportWriter
{
public:
    bool open(const QString &path, const QStringList &headers) override
    {
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::WriteOnly)) {
            m_error = errorText(path, m_file.errorString());
            return false;
        }
        m_open = true;
        m_headers = headers;
        begin();
        return flushIfFull();
    }

    bool writeRow(const QVariantList &values) override
    {
        if (!m_open)
            return false;
        row(values);
        return flushIfFull();
    }

    bool commit() override
    {
        if (!m_open)
            return false;
        end();
        m_open = false;
        if (!flush() || !m_file.commit()) {
            if (m_error.isEmpty())
                m_error = errorText(m_file.fileName(), m_file.errorString());
            m_file.cancelWriting();
            return false;
        }
        return true;
    }

    void cancel() override
    {
        if (!m_open)
            return;
        m_open = false;
        m_file.cancelWriting();
        m_file.commit(); // after cancelWriting() this only removes the temporary file
    }

    ~TextWriter() override { cancel(); }

protected:
    virtual void begin() = 0;
    virtual void row(const QVariantList &values) = 0;
    virtual void end() {}

    QByteArray m_buffer;
    QStringList m_headers;

private:
    bool flushIfFull() { return m_buffer.size() < kFlushBytes || flush(); }

    bool flush()
    {
        if (m_buffer.isEmpty())
            return true;
        if (m_file.write(m_buffer) != m_buffer.size()) {
            m_error = errorText(m_file.fileName(), m_file.errorString());
            m_buffer.truncate(0);
            cancel();
            return false;
        }
        m_buffer.truncate(0); // keeps the capacity for the next block
        return true;
    }

    QSaveFile m_file;
    bool m_open = false;
};

// CSV (RFC 4180: comma-separated, CRLF after every record, fields with a comma, quote or line
// break quoted with quotes doubled) and TSV (one line per row as the clipboard's TSV: tabs and
// line breaks inside a value become spaces); UTF-8, optionally with a BOM for Excel.
class DelimitedWriter final : public TextWriter
{
public:
    DelimitedWriter(bool csv, bool bom)
        : m_csv(csv)
        , m_bom(bom)
    {}

private:
    void begin() override
    {
        if (m_bom)
            m_buffer.append("\xEF\xBB\xBF");
        QVariantList header;
        for (const QString &h : std::as_const(m_headers))
            header.append(h);
        row(header);
    }

    void row(const QVariantList &values) override
    {
        // The row as text first, then one UTF-8 conversion per row (not one per cell).
        m_line.truncate(0);
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (i > 0)
                m_line += m_csv ? QLatin1Char(',') : QLatin1Char('\t');
            bool isText = false;
            QString text = cellText(values.at(i), &isText);
            if (isText)
                text = neutralised(text);
            if (!m_csv) {
                for (QChar &c : text) {
                    if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
                        c = QLatin1Char(' ');
                }
                m_line += text;
            } else if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
                       text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
                text.replace(QLatin1Char('"'), QLatin1String("\"\""));
                m_line += QLatin1Char('"') + text + QLatin1Char('"');
            } else {
                m_line += text;
            }
        }
        m_line += m_csv ? QLatin1String("\r\n") : QLatin1String("\n");
        m_buffer += m_line.toUtf8();
    }

    QString m_line;
    bool m_csv;
    bool m_bom;
};

void appendJsonString(QByteArray &out, const QString &text)
{
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (c < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out.append(escaped);
            } else {
                out.append(ch);
            }
        }
    }
    out.append('"');
}

void appendJsonValue(QByteArray &out, const QVariant &v)
{
    if (isNull(v)) {
        out.append("null");
        return;
    }
    switch (v.typeId()) {
    case QMetaType::Bool:
        out.append(v.toBool() ? "true" : "false");
        return;
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = v.toDouble();
        if (!std::isfinite(d)) {
            out.append("null"); // JSON has no NaN or infinity
            return;
        }
        out.append(TableText::valueText(d).toUtf8());
        return;
    }
    case QMetaType::QStringList: {
        out.append('[');
        const QStringList list = v.toStringList();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (i > 0)
                out.append(',');
            appendJsonString(out, list.at(i));
        }
        out.append(']');
        return;
    }
    default:
        if (isNumber(v)) {
            out.append(QByteArray::number(v.toLongLong()));
            return;
        }
        appendJsonString(out, TableText::valueText(v));
    }
}

// JSON (one array of objects, one object per line) and JSON Lines (one object per line).
// Keys are the headers, in column order; text is kept exactly.
class JsonWriter final : public TextWriter
{
public:
    explicit JsonWriter(bool lines)
        : m_lines(lines)
    {}

private:
    void begin() override
    {
        m_keys.clear();
        for (const QString &h : std::as_const(m_headers)) {
            QByteArray key;
            appendJsonString(key, h);
            m_keys.append(key + ':');
        }
        if (!m_lines)
            m_buffer.append('[');
    }

    void row(const QVariantList &values) override
    {
        if (!m_lines)
            m_buffer.append(m_first ? "\n" : ",\n");
        m_first = false;
        m_buffer.append('{');
        for (qsizetype i = 0; i < values.size() && i < m_keys.size(); ++i) {
            if (i > 0)
                m_buffer.append(',');
            m_buffer.append(m_keys.at(i));
            appendJsonValue(m_buffer, values.at(i));
        }
        m_buffer.append('}');
        if (m_lines)
            m_buffer.append('\n');
    }

    void end() override
    {
        if (!m_lines)
            m_buffer.append(m_first ? "]\n" : "\n]\n");
    }

    bool m_lines;
    bool m_first = true;
    QList<QByteArray> m_keys;
};

// XLSX through libxlsxwriter in constant-memory mode (each row goes to disk as the next one
// starts). libxlsxwriter writes to a path, so the workbook goes to a temporary file beside the
// target and is renamed over it once complete.
class XlsxWriter final : public ExportWriter
{
public:
    ~XlsxWriter() override { cancel(); }

    bool open(const QString &path, const QStringList &headers) override
    {
        m_path = path;
        const QFileInfo target(path);
        if (target.isDir()) {
            m_error = errorText(path, QStringLiteral("it is a folder"));
            return false;
        }
        // Reserves a unique name in the target folder (same file system: the rename is atomic).
        m_temp = std::make_unique<QTemporaryFile>(target.absolutePath() + QStringLiteral("/.") +
                                                  target.fileName() + QStringLiteral(".XXXXXX"));
        if (!m_temp->open()) {
            m_error = errorText(path, m_temp->errorString());
            m_temp.reset();
            return false;
        }
        m_temp->close();
        // A temporary file is private (0600); the export gets what a new file gets (as with
        // QSaveFile), or the permissions of the file it replaces.
        m_temp->setPermissions(target.exists() ? QFile::permissions(path) : defaultPermissions());
        m_tempPath = QFile::encodeName(m_temp->fileName());
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        m_workbook = workbook_new_opt(m_tempPath.constData(), &options);
        if (!m_workbook) {
            m_error = errorText(path, QStringLiteral("cannot start the workbook"));
            discard();
            return false;
        }
        m_sheet = workbook_add_worksheet(m_workbook, nullptr);
        m_bold = workbook_add_format(m_workbook);
        format_set_bold(m_bold);
        m_date = workbook_add_format(m_workbook);
        format_set_num_format(m_date, "yyyy-mm-dd hh:mm:ss.000");
        if (!m_sheet || !m_bold || !m_date) {
            m_error = errorText(path, QStringLiteral("cannot start the workbook"));
            discard();
            return false;
        }
        m_widths.fill(0, headers.size());
        worksheet_freeze_panes(m_sheet, 1, 0);
        for (qsizetype c = 0; c < headers.size(); ++c) {
            // Headers are text like any other cell: a header is never run as a formula either.
            if (!writeString(0, c, headers.at(c), m_bold))
                return false;
        }
        return true;
    }

    bool writeRow(const QVariantList &values) override
    {
        if (!m_workbook)
            return false;
        if (m_row >= LXW_ROW_MAX - 1) {
            m_error = errorText(m_path, QStringLiteral("an XLSX sheet holds at most %1 rows; "
                                                       "choose CSV for more")
                                            .arg(LXW_ROW_MAX - 1));
            cancel();
            return false;
        }
        ++m_row;
        const auto row = lxw_row_t(m_row);
        for (qsizetype c = 0; c < values.size(); ++c) {
            const QVariant &v = values.at(c);
            const auto col = lxw_col_t(c);
            lxw_error err = LXW_NO_ERROR;
            if (isNull(v))
                continue;
            if (v.typeId() == QMetaType::QDateTime) {
                // Excel's serial date: days since 1899-12-30, the time as the fraction (UTC).
                const double serial =
                    double(v.toDateTime().toMSecsSinceEpoch()) / 86400000.0 + 25569.0;
                err = worksheet_write_number(m_sheet, row, col, serial, m_date);
                widen(c, 23);
            } else if (v.typeId() == QMetaType::Bool) {
                err = worksheet_write_boolean(m_sheet, row, col, v.toBool(), nullptr);
                widen(c, 5);
            } else if (isNumber(v)) {
                const double d = v.toDouble();
                if (!std::isfinite(d))
                    continue;
                err = worksheet_write_number(m_sheet, row, col, d, nullptr);
                widen(c, qsizetype(TableText::valueText(v).size()));
            } else {
                bool isText = false;
                if (!writeString(row, c, cellText(v, &isText), nullptr))
                    return false;
            }
            if (err != LXW_NO_ERROR)
                return fail(err);
        }
        return true;
    }

    bool commit() override
    {
        if (!m_workbook)
            return false;
        for (qsizetype c = 0; c < m_widths.size(); ++c) {
            worksheet_set_column(m_sheet, lxw_col_t(c), lxw_col_t(c),
                                 double(std::clamp<qsizetype>(m_widths.at(c) + 2, 8, 60)), nullptr);
        }
        const lxw_error err = workbook_close(std::exchange(m_workbook, nullptr));
        if (err != LXW_NO_ERROR) {
            m_error = errorText(m_path, QString::fromUtf8(lxw_strerror(err)));
            discard();
            return false;
        }
        if (std::rename(m_tempPath.constData(), QFile::encodeName(m_path).constData()) != 0) {
            m_error = errorText(m_path, QString::fromLocal8Bit(std::strerror(errno)));
            discard();
            return false;
        }
        m_temp->setAutoRemove(false); // it is the target now
        m_temp.reset();
        return true;
    }

    void cancel() override
    {
        if (m_workbook) {
            // Closing is the only way to free a workbook; what it writes is removed below.
            workbook_close(std::exchange(m_workbook, nullptr));
        }
        discard();
    }

private:
    bool writeString(lxw_row_t row, qsizetype c, const QString &text, lxw_format *format)
    {
        // Excel cells hold at most 32,767 characters.
        const QString cell = neutralised(text).left(32767);
        const lxw_error err =
            worksheet_write_string(m_sheet, row, lxw_col_t(c), cell.toUtf8().constData(), format);
        widen(c, cell.size());
        return err == LXW_NO_ERROR || fail(err);
    }

    void widen(qsizetype c, qsizetype chars)
    {
        if (c < m_widths.size())
            m_widths[c] = std::max(m_widths.at(c), chars);
    }

    bool fail(lxw_error err)
    {
        m_error = errorText(m_path, QString::fromUtf8(lxw_strerror(err)));
        cancel();
        return false;
    }

    void discard()
    {
        if (m_temp) {
            QFile::remove(m_temp->fileName());
            m_temp.reset();
        }
    }

    QString m_path;
    QByteArray m_tempPath;
    std::unique_ptr<QTemporaryFile> m_temp;
    lxw_workbook *m_workbook = nullptr;
    lxw_worksheet *m_sheet = nullptr;
    lxw_format *m_bold = nullptr;
    lxw_format *m_date = nullptr;
    QList<qsizetype> m_widths;
    qint64 m_row = 0;
};

} // namespace

ExportWriter::~ExportWriter() = default;

std::unique_ptr<ExportWriter> ExportWriter::create(ExportFormat format, bool bom)
{
    switch (format) {
    case ExportFormat::Csv:
        return std::make_unique<DelimitedWriter>(true, bom);
    case ExportFormat::Tsv:
        return std::make_unique<DelimitedWriter>(false, bom);
    case ExportFormat::Json:
        return std::make_unique<JsonWriter>(false);
    case ExportFormat::Jsonl:
        return std::make_unique<JsonWriter>(true);
    case ExportFormat::Xlsx:
        return std::make_unique<XlsxWriter>();
    }
    return nullptr;
}

QString ExportWriter::neutralised(const QString &text)
{
    if (text.isEmpty())
        return text;
    switch (text.front().unicode()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return QLatin1Char('\'') + text;
    default:
        return text;
    }
}
