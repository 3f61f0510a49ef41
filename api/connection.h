// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

/// Where the API lives and the key pair that opens it. The secret key is only ever held in
/// memory here; it never goes to logs, settings or command lines.
struct Connection
{
    QString name;      ///< shown to people ("Local server", a saved connection's name)
    QUrl baseUrl;      ///< e.g. http://127.0.0.1:3030 or https://cloud.xeroml.com
    QString publicKey; ///< pk-…
    QString secretKey; ///< sk-…

    [[nodiscard]] bool isValid() const
    {
        return baseUrl.isValid() && !baseUrl.host().isEmpty() && !publicKey.isEmpty();
    }
};
