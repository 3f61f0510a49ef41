// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/deeplink.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QStringDecoder>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeepLink", text);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// C0 controls, DEL and C1 controls: never part of a link, and dangerous once decoded
// (NUL truncates, newlines forge log lines, escapes drive terminals).
bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// Decodes %XX escapes exactly once; the bytes must form valid UTF-8 and hold no control
// character. Characters that are not escaped are taken as they are (a pasted IRI).
bool percentDecode(QStringView raw, const QString &what, QString *out, QString *error)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    qsizetype runStart = 0; // unescaped characters are copied a run at a time
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != u'%')
            continue;
        bytes += raw.mid(runStart, i - runStart).toUtf8();
        if (i + 2 >= raw.size())
            return fail(error, tr("%1: a '%' must be followed by two hex digits (write %25 for "
                                  "a literal '%')")
                                   .arg(what));
        const int hi = hexValue(raw[i + 1].unicode());
        const int lo = hexValue(raw[i + 2].unicode());
        if (hi < 0 || lo < 0)
            return fail(error, tr("%1: invalid percent-encoding \"%2\" (write %25 for a "
                                  "literal '%')")
                                   .arg(what, raw.mid(i, 3).toString()));
        bytes += char(hi * 16 + lo);
        i += 2;
        runStart = i + 1;
    }
    bytes += raw.mid(runStart).toUtf8();
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return fail(error, tr("%1: the percent-encoded bytes are not valid UTF-8").arg(what));
    for (const QChar ch : std::as_const(text))
        if (isControl(ch.unicode()))
            return fail(error, tr("%1 holds a control character").arg(what));
    *out = std::move(text);
    return true;
}

bool isDotSegment(QStringView s)
{
    return s == u"." || s == u"..";
}

bool validHostName(QStringView host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    for (const QChar ch : host) {
        const char16_t c = ch.unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' ||
                        c == u'.' || c == u'_';
        if (!ok)
            return false;
    }
    return !host.startsWith(u'.') && !host.startsWith(u'-') && !host.contains(u"..");
}

int defaultPort(const QString &scheme)
{
    if (scheme == QLatin1String("http"))
        return 80;
    return 443; // https; xeroml links name their https server unless they carry a port
}

QString encodeAll(const QString &text, const QByteArray &keep = {})
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text, keep));
}

} // namespace

bool DeepLink::isLoopbackHost(const QString &host)
{
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString DeepLink::authority() const
{
    const QString h = host.contains(u':') ? QStringLiteral("[%1]").arg(host) : host;
    return port >= 0 ? QStringLiteral("%1:%2").arg(h).arg(port) : h;
}

bool DeepLink::matchesBaseUrl(const QUrl &baseUrl) const
{
    if (!baseUrl.isValid() || baseUrl.host().compare(host, Qt::CaseInsensitive) != 0)
        return false;
    const int connectionPort = baseUrl.port(defaultPort(baseUrl.scheme().toLower()));
    return connectionPort == (port >= 0 ? port : defaultPort(scheme));
}

std::optional<DeepLink> DeepLink::parse(QStringView input, QString *error)
{
    const QStringView text = input.trimmed();
    if (text.isEmpty()) {
        fail(error, tr("the link is empty"));
        return std::nullopt;
    }
    if (text.toUtf8().size() > kMaxBytes) {
        fail(error, tr("the link is longer than %1 KB").arg(kMaxBytes / 1024));
        return std::nullopt;
    }
    for (const QChar ch : text) {
        if (ch.unicode() == 0) {
            fail(error, tr("the link holds a NUL character"));
            return std::nullopt;
        }
        if (isControl(ch.unicode())) {
            fail(error, tr("the link holds a control character (U+%1)")
                            .arg(ch.unicode(), 4, 16, QLatin1Char('0')));
            return std::nullopt;
        }
        if (ch.isSpace()) {
            fail(error, tr("the link holds a space (write %20 inside ids)"));
            return std::nullopt;
        }
    }

    DeepLink link;
    const qsizetype schemeEnd = text.indexOf(u"://");
    if (schemeEnd <= 0) {
        fail(error, tr("not a link: expected https://… or xeroml://…"));
        return std::nullopt;
    }
    link.scheme = text.left(schemeEnd).toString().toLower();
    if (link.scheme != QLatin1String("https") && link.scheme != QLatin1String("xeroml") &&
        link.scheme != QLatin1String("http")) {
        fail(error, tr("links with the scheme \"%1\" are not accepted: use https:// or xeroml://")
                        .arg(link.scheme.left(32)));
        return std::nullopt;
    }

    QStringView rest = text.mid(schemeEnd + 3);
    qsizetype authorityEnd = 0;
    while (authorityEnd < rest.size() && rest[authorityEnd] != u'/' && rest[authorityEnd] != u'?' &&
           rest[authorityEnd] != u'#')
        ++authorityEnd;
    const QStringView authority = rest.left(authorityEnd);
    rest = rest.mid(authorityEnd);
    if (authority.contains(u'@')) {
        fail(error, tr("links carrying a user name or password are refused"));
        return std::nullopt;
    }
    QStringView hostPart = authority;
    QStringView portPart;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0) {
            fail(error, tr("the link's host is malformed"));
            return std::nullopt;
        }
        hostPart = authority.mid(1, close - 1);
        const QStringView after = authority.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':')) {
                fail(error, tr("the link's host is malformed"));
                return std::nullopt;
            }
            portPart = after.mid(1);
        }
        const QHostAddress v6(hostPart.toString());
        if (v6.isNull() || v6.protocol() != QAbstractSocket::IPv6Protocol) {
            fail(error, tr("the link's host is not a valid IPv6 address"));
            return std::nullopt;
        }
        link.host = hostPart.toString().toLower();
    } else {
        const qsizetype colon = authority.indexOf(u':');
        if (colon >= 0) {
            hostPart = authority.left(colon);
            portPart = authority.mid(colon + 1);
        }
        link.host = hostPart.toString().toLower();
        if (!validHostName(link.host)) {
            fail(error, link.host.isEmpty() ? tr("the link has no host")
                                            : tr("the link's host \"%1\" is not a valid host name")
                                                  .arg(link.host.left(64)));
            return std::nullopt;
        }
    }
    if (!portPart.isNull()) {
        bool ok = false;
        const int port = portPart.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || portPart.startsWith(u'+') ||
            portPart.startsWith(u'-')) {
            fail(error, tr("the link's port is not a number from 1 to 65535"));
            return std::nullopt;
        }
        link.port = port;
    }
    if (link.scheme == QLatin1String("http") && !link.isLoopback()) {
        fail(error, tr("plain http:// links are only accepted to this computer (127.0.0.1); "
                       "use https://"));
        return std::nullopt;
    }

    // Path, query and fragment (the fragment is ignored).
    const qsizetype hash = rest.indexOf(u'#');
    if (hash >= 0)
        rest = rest.left(hash);
    const qsizetype question = rest.indexOf(u'?');
    const QStringView path = question >= 0 ? rest.left(question) : rest;
    const QStringView query = question >= 0 ? rest.mid(question + 1) : QStringView();

    QList<QStringView> segments = path.split(u'/');
    // path starts with '/', so the first piece is empty; one trailing '/' is tolerated.
    if (!segments.isEmpty())
        segments.removeFirst();
    if (segments.size() == 5 && segments.last().isEmpty())
        segments.removeLast();
    QStringList decoded;
    for (const QStringView segment : std::as_const(segments)) {
        QString d;
        if (isDotSegment(segment)) {
            fail(error, tr("the link's path holds \"..\" or \".\": path tricks are refused"));
            return std::nullopt;
        }
        if (!percentDecode(segment, tr("the link's path"), &d, error))
            return std::nullopt;
        if (isDotSegment(d)) {
            fail(error, tr("the link's path holds an encoded \"..\" or \".\": path tricks are "
                           "refused"));
            return std::nullopt;
        }
        decoded.append(d);
    }
    if (decoded.size() != 4 || decoded[0] != QLatin1String("project") ||
        (decoded[2] != QLatin1String("users") && decoded[2] != QLatin1String("traces") &&
         decoded[2] != QLatin1String("sessions"))) {
        fail(error, tr("the link does not point to a user, trace or session: expected "
                       "/project/{projectId}/users/{userId} (or /traces/{id}, /sessions/{id})"));
        return std::nullopt;
    }
    if (decoded[1].isEmpty() || decoded[3].isEmpty()) {
        fail(error, tr("the link's project or id is empty"));
        return std::nullopt;
    }
    link.projectId = decoded[1];
    link.kind = decoded[2];
    link.id = decoded[3];
    // An id holding "/../" once decoded is legal for the API (it is re-encoded as one
    // segment) but is how links are forged to look like other paths: refuse it.
    const QStringList idParts = link.id.split(u'/');
    for (const QString &part : idParts) {
        if (isDotSegment(part)) {
            fail(error, tr("the id holds a \"..\" or \".\" path part: path tricks are refused"));
            return std::nullopt;
        }
    }

    bool seenTab = false, seenFrom = false, seenTo = false;
    for (const QStringView item : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = item.indexOf(u'=');
        QString key, value;
        if (!percentDecode(eq >= 0 ? item.left(eq) : item, tr("the link's query"), &key, error) ||
            !percentDecode(eq >= 0 ? item.mid(eq + 1) : QStringView(), tr("the link's query"),
                           &value, error))
            return std::nullopt;
        bool *seen = nullptr;
        QString *target = nullptr;
        if (key == QLatin1String("tab")) {
            seen = &seenTab;
            target = &link.tab;
        } else if (key == QLatin1String("from")) {
            seen = &seenFrom;
            target = &link.from;
        } else if (key == QLatin1String("to")) {
            seen = &seenTo;
            target = &link.to;
        } else {
            continue; // unknown parameters from newer versions are ignored
        }
        if (std::exchange(*seen, true)) {
            fail(error, tr("the link gives \"%1\" twice").arg(key));
            return std::nullopt;
        }
        *target = value;
    }
    if (seenTab) {
        bool ok = !link.tab.isEmpty() && link.tab.size() <= 32;
        for (const QChar ch : std::as_const(link.tab))
            ok = ok && (ch.isLetterOrNumber() || ch == u'-' || ch == u'_') && ch.unicode() < 128;
        if (!ok) {
            fail(error, tr("the link's tab is not a tab name"));
            return std::nullopt;
        }
    }
    QDateTime fromTime, toTime;
    for (auto [value, time, name] :
         {std::tuple{&link.from, &fromTime, "from"}, std::tuple{&link.to, &toTime, "to"}}) {
        if (value->isEmpty())
            continue;
        *time = QDateTime::fromString(*value, Qt::ISODateWithMs);
        if (!time->isValid()) {
            fail(error,
                 tr("the link's \"%1\" is not an ISO 8601 date and time").arg(QLatin1String(name)));
            return std::nullopt;
        }
    }
    if (fromTime.isValid() && toTime.isValid() && fromTime >= toTime) {
        fail(error, tr("the link's \"from\" is not before its \"to\""));
        return std::nullopt;
    }
    return link;
}

QString DeepLink::toString() const
{
    QString s = QStringLiteral("%1://%2/project/%3/%4/%5")
                    .arg(scheme, authority(), encodeAll(projectId), kind, encodeAll(id));
    QStringList query;
    if (!tab.isEmpty())
        query << QStringLiteral("tab=") + encodeAll(tab);
    if (!from.isEmpty())
        query << QStringLiteral("from=") + encodeAll(from, ":");
    if (!to.isEmpty())
        query << QStringLiteral("to=") + encodeAll(to, ":");
    if (!query.isEmpty())
        s += u'?' + query.join(u'&');
    return s;
}

DeepLink DeepLink::forServer(const QUrl &baseUrl, const QString &projectId, const QString &kind,
                             const QString &id)
{
    DeepLink link;
    link.scheme = QStringLiteral("xeroml");
    link.host = baseUrl.host().toLower();
    const int port = baseUrl.port(-1);
    // xeroml:// without a port means 443: keep any other port, including http's 80.
    if (port >= 0 && !(port == 443 && baseUrl.scheme() == QLatin1String("https")))
        link.port = port;
    else if (port < 0 && baseUrl.scheme() == QLatin1String("http"))
        link.port = 80;
    link.projectId = projectId;
    link.kind = kind;
    link.id = id;
    return link;
}
