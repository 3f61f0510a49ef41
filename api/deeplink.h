// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>
#include <QUrl>

#include <optional>

/// A link to one user, trace or session of a project on a server:
/// `https://HOST/project/{projectId}/users/{userId}` (also `/traces/{id}`, `/sessions/{id}`),
/// the same with the scheme `xeroml://`, and `http://` to a loopback host only; optional
/// `?tab=&from=&to=`. Parsing is strict and hostile-input safe: every part is
/// percent-decoded exactly once, and anything odd is refused with a message for people.
struct DeepLink
{
    /// Longest link accepted, in UTF-8 bytes.
    static constexpr qsizetype kMaxBytes = 8192;

    QString scheme;    ///< "https", "xeroml" or "http" (loopback only), lower case
    QString host;      ///< lower case; IPv6 without brackets
    int port = -1;     ///< -1 when the link has none
    QString projectId; ///< decoded
    QString kind;      ///< "users", "traces" or "sessions"
    QString id;        ///< decoded exactly once
    QString tab;       ///< optional page tab (letters, digits, '-' and '_')
    QString from;      ///< optional ISO 8601 start, as written in the link
    QString to;        ///< optional ISO 8601 end, as written in the link

    /// Parses `text` (surrounding white space is ignored); on failure returns nullopt and
    /// says why in `error`.
    [[nodiscard]] static std::optional<DeepLink> parse(QStringView text, QString *error);

    /// The link as text; ids are percent-encoded so that parse() gives them back unchanged.
    [[nodiscard]] QString toString() const;

    /// A link to `id` of `kind` in `projectId` on the server at `baseUrl`, with the scheme
    /// `xeroml://` (so the OS hands it to this app) and the server's host and port.
    [[nodiscard]] static DeepLink forServer(const QUrl &baseUrl, const QString &projectId,
                                            const QString &kind, const QString &id);

    /// True when the host is 127.0.0.1 (any 127/8), ::1 or localhost.
    [[nodiscard]] static bool isLoopbackHost(const QString &host);
    [[nodiscard]] bool isLoopback() const { return isLoopbackHost(host); }

    /// Whether a connection with this base URL serves the link: same host and the same port
    /// (a link without a port means the default port of the connection's scheme).
    [[nodiscard]] bool matchesBaseUrl(const QUrl &baseUrl) const;

    /// host[:port] as people read it ("cloud.xeroml.com", "127.0.0.1:3030").
    [[nodiscard]] QString authority() const;

    friend bool operator==(const DeepLink &, const DeepLink &) = default;
};
