// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QObject>
#include <QTemporaryDir>

/// Files and clipboard for Qt Quick tests (QML: TestFiles): a temporary folder removed when
/// the tests end, reading files back, and the clipboard's text.
class TestFiles : public QObject
{
    Q_OBJECT
public:
    /// A path inside the test's temporary folder.
    Q_INVOKABLE QString tempPath(const QString &name) const { return m_dir.filePath(name); }
    /// Where a test puts a picture: $XEROML_TEST_SHOTS when set (to look at), else tempPath.
    Q_INVOKABLE QString shotPath(const QString &name) const
    {
        const QString dir = qEnvironmentVariable("XEROML_TEST_SHOTS");
        return dir.isEmpty() ? tempPath(name) : QDir(dir).filePath(name);
    }
    /// The file's bytes as UTF-8 text; empty when it cannot be read.
    Q_INVOKABLE QString readText(const QString &path) const
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }
    /// The file's first bytes in hex ("efbbbf" for a UTF-8 BOM).
    Q_INVOKABLE QString headHex(const QString &path, int bytes) const
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.read(bytes).toHex())
                                              : QString();
    }
    Q_INVOKABLE bool exists(const QString &path) const { return QFile::exists(path); }
    /// Every entry of the temporary folder (hidden ones too), sorted.
    Q_INVOKABLE QStringList entries() const
    {
        return QDir(m_dir.path())
            .entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    }
    Q_INVOKABLE QString clipboardText() const { return QGuiApplication::clipboard()->text(); }
    Q_INVOKABLE void setClipboardText(const QString &text) const
    {
        QGuiApplication::clipboard()->setText(text);
    }

private:
    QTemporaryDir m_dir;
};
