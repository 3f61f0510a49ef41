// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLocalServer>
#include <QObject>

/// One window per user: the first interactive launch listens on a local socket in the
/// user's runtime directory; later launches hand their deep link to it and exit. A socket
/// left behind by a crashed instance (nobody answers) is removed and taken over.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(QString socketName = defaultSocketName(), QObject *parent = nullptr);

    /// `$XDG_RUNTIME_DIR/xeroml-dashboard.socket` (the runtime dir is private to the user).
    [[nodiscard]] static QString defaultSocketName();

    /// Hands `link` (may be empty: just raise the window) to the running instance. True
    /// when one took it.
    bool forward(const QString &link, int timeoutMs = 3000);
    /// Becomes the running instance; false (with why) when the socket cannot be taken.
    bool listen(QString *error);

Q_SIGNALS:
    /// Another launch handed this over; `link` is empty when it only asks to be raised.
    void activated(const QString &link);

private:
    void accept();

    QString m_name;
    QLocalServer m_server;
};
