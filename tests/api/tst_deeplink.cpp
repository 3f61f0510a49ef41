// SPDX-License-Identifier: GPL-3.0-or-later
// Deep links: the parser takes good links apart exactly and refuses hostile ones with a
// message; the builder's links parse back to the same ids.
#include "api/deeplink.h"

#include <QTest>

class TestDeepLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesGoodLinks_data();
    void parsesGoodLinks();
    void refusesHostileLinks_data();
    void refusesHostileLinks();
    void roundTripsAnyId_data();
    void roundTripsAnyId();
    void matchesConnectionsByHostAndPort_data();
    void matchesConnectionsByHostAndPort();
    void refusesLinksOver8KB();
};

void TestDeepLink::parsesGoodLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("tab");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");

    const QString none;
    QTest::newRow("https user") << u"https://cloud.xeroml.com/project/p1/users/alice"_qs
                                << u"https"_qs << u"cloud.xeroml.com"_qs << -1 << u"p1"_qs
                                << u"users"_qs << u"alice"_qs << none << none << none;
    QTest::newRow("xeroml with port, @ encoded")
        << u"xeroml://127.0.0.1:3030/project/xeroml-local/users/alice%40example.com"_qs
        << u"xeroml"_qs << u"127.0.0.1"_qs << 3030 << u"xeroml-local"_qs << u"users"_qs
        << u"alice@example.com"_qs << none << none << none;
    QTest::newRow("%2F stays inside the id")
        << u"https://h.example/project/p/users/team%2Falpha%2Fbob"_qs << u"https"_qs
        << u"h.example"_qs << -1 << u"p"_qs << u"users"_qs << u"team/alpha/bob"_qs << none << none
        << none;
    QTest::newRow("lower-case %2f")
        << u"https://h.example/project/p/users/a%2fb"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"a/b"_qs << none << none << none;
    QTest::newRow("double encoding decodes once")
        << u"https://h.example/project/p/users/a%252Fb"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"a%2Fb"_qs << none << none << none;
    QTest::newRow("literal percent")
        << u"https://h.example/project/p/users/100%25"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"100%"_qs << none << none << none;
    QTest::newRow("space") << u"https://h.example/project/p/users/Zo%C3%AB%20M%C3%BCller"_qs
                           << u"https"_qs << u"h.example"_qs << -1 << u"p"_qs << u"users"_qs
                           << u"Zoë Müller"_qs << none << none << none;
    QTest::newRow("pasted IRI, raw Unicode")
        << u"https://h.example/project/p/users/Zoë"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"Zoë"_qs << none << none << none;
    QTest::newRow("emoji") << u"xeroml://h.example/project/p/users/%F0%9F%A6%8A-fox"_qs
                           << u"xeroml"_qs << u"h.example"_qs << -1 << u"p"_qs << u"users"_qs
                           << u"🦊-fox"_qs << none << none << none;
    QTest::newRow("CJK") << u"xeroml://h.example/project/p/users/%E7%94%A8%E6%88%B7"_qs
                         << u"xeroml"_qs << u"h.example"_qs << -1 << u"p"_qs << u"users"_qs
                         << u"用户"_qs << none << none << none;
    QTest::newRow("dots inside an id are fine")
        << u"https://h.example/project/p/users/a..b"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"a..b"_qs << none << none << none;
    QTest::newRow("trace") << u"https://h.example/project/p/traces/t-1"_qs << u"https"_qs
                           << u"h.example"_qs << -1 << u"p"_qs << u"traces"_qs << u"t-1"_qs << none
                           << none << none;
    QTest::newRow("session, trailing slash")
        << u"https://h.example/project/p/sessions/s%201/"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"sessions"_qs << u"s 1"_qs << none << none << none;
    QTest::newRow("query")
        << u"https://h.example/project/p/users/u?tab=traces&from=2026-12-01T00:00:00.000Z&to=2026-12-04T00%3A00%3A00Z"_qs
        << u"https"_qs << u"h.example"_qs << -1 << u"p"_qs << u"users"_qs << u"u"_qs << u"traces"_qs
        << u"2026-12-01T00:00:00.000Z"_qs << u"2026-12-04T00:00:00Z"_qs;
    QTest::newRow("unknown parameter and fragment ignored")
        << u"https://h.example/project/p/users/u?utm=x#frag"_qs << u"https"_qs << u"h.example"_qs
        << -1 << u"p"_qs << u"users"_qs << u"u"_qs << none << none << none;
    QTest::newRow("case of scheme and host")
        << u"HTTPS://Cloud.XeroML.com/project/p/users/Alice"_qs << u"https"_qs
        << u"cloud.xeroml.com"_qs << -1 << u"p"_qs << u"users"_qs << u"Alice"_qs << none << none
        << none;
    QTest::newRow("http to loopback")
        << u"http://localhost:3030/project/p/users/u"_qs << u"http"_qs << u"localhost"_qs << 3030
        << u"p"_qs << u"users"_qs << u"u"_qs << none << none << none;
    QTest::newRow("http to IPv6 loopback")
        << u"http://[::1]:3030/project/p/users/u"_qs << u"http"_qs << u"::1"_qs << 3030 << u"p"_qs
        << u"users"_qs << u"u"_qs << none << none << none;
    QTest::newRow("surrounding white space")
        << u"  https://h.example/project/p/users/u\n"_qs << u"https"_qs << u"h.example"_qs << -1
        << u"p"_qs << u"users"_qs << u"u"_qs << none << none << none;
}

void TestDeepLink::parsesGoodLinks()
{
    QFETCH(QString, link);
    QString error;
    const std::optional<DeepLink> parsed = DeepLink::parse(link, &error);
    QVERIFY2(parsed, qPrintable(error));
    QTEST(parsed->scheme, "scheme");
    QTEST(parsed->host, "host");
    QTEST(parsed->port, "port");
    QTEST(parsed->projectId, "project");
    QTEST(parsed->kind, "kind");
    QTEST(parsed->id, "id");
    QTEST(parsed->tab, "tab");
    QTEST(parsed->from, "from");
    QTEST(parsed->to, "to");
    // What the builder writes reads back the same.
    const std::optional<DeepLink> again = DeepLink::parse(parsed->toString(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(*again, *parsed);
}

void TestDeepLink::refusesHostileLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("message");

    QTest::newRow("empty") << QString() << u"empty"_qs;
    QTest::newRow("not a link") << u"alice@example.com"_qs << u"not a link"_qs;
    QTest::newRow("javascript") << u"javascript://h/project/p/users/u"_qs << u"javascript"_qs;
    QTest::newRow("file") << u"file:///etc/passwd"_qs << u"\"file\""_qs;
    QTest::newRow("ftp") << u"ftp://h.example/project/p/users/u"_qs << u"\"ftp\""_qs;
    QTest::newRow("http to a remote host")
        << u"http://cloud.xeroml.com/project/p/users/u"_qs << u"only accepted to this computer"_qs;
    QTest::newRow("http to a loopback look-alike")
        << u"http://127.0.0.1.evil.example/project/p/users/u"_qs
        << u"only accepted to this computer"_qs;
    QTest::newRow("credentials in the link")
        << u"https://user:pw@h.example/project/p/users/u"_qs << u"user name or password"_qs;
    QTest::newRow("no host") << u"https:///project/p/users/u"_qs << u"no host"_qs;
    QTest::newRow("bad host") << u"https://h%2Fx/project/p/users/u"_qs << u"not a valid host"_qs;
    QTest::newRow("bad port") << u"https://h.example:99999/project/p/users/u"_qs << u"port"_qs;
    QTest::newRow("port not a number") << u"https://h.example:x/project/p/users/u"_qs << u"port"_qs;
    QTest::newRow("raw ..") << u"https://h.example/project/p/users/../../admin"_qs << u".."_qs;
    QTest::newRow("raw .. as the id") << u"https://h.example/project/p/users/.."_qs << u".."_qs;
    QTest::newRow("encoded ..") << u"https://h.example/project/p/users/%2E%2E"_qs
                                << u"encoded \"..\""_qs;
    QTest::newRow("encoded ../ inside the id")
        << u"https://h.example/project/p/users/a%2F..%2Fb"_qs << u"path part"_qs;
    QTest::newRow("raw / splits the id")
        << u"https://h.example/project/p/users/team/alpha"_qs << u"does not point"_qs;
    QTest::newRow("wrong shape") << u"https://h.example/p/users/u"_qs << u"does not point"_qs;
    QTest::newRow("unknown kind") << u"https://h.example/project/p/admins/u"_qs
                                  << u"does not point"_qs;
    QTest::newRow("empty id") << u"https://h.example/project/p/users/"_qs << u"empty"_qs;
    QTest::newRow("empty segment") << u"https://h.example/project//users/u"_qs << u"empty"_qs;
    QTest::newRow("lone %") << u"https://h.example/project/p/users/100%"_qs << u"two hex"_qs;
    QTest::newRow("bad escape") << u"https://h.example/project/p/users/%zz"_qs
                                << u"invalid percent-encoding"_qs;
    QTest::newRow("short escape") << u"https://h.example/project/p/users/%4"_qs << u"two hex"_qs;
    QTest::newRow("invalid UTF-8") << u"https://h.example/project/p/users/%C3%28"_qs << u"UTF-8"_qs;
    QTest::newRow("overlong UTF-8 /")
        << u"https://h.example/project/p/users/%C0%AF"_qs << u"UTF-8"_qs;
    QTest::newRow("encoded NUL") << u"https://h.example/project/p/users/a%00b"_qs
                                 << u"control character"_qs;
    QTest::newRow("encoded newline")
        << u"https://h.example/project/p/users/a%0Ab"_qs << u"control character"_qs;
    QTest::newRow("raw NUL") << QString(u"https://h.example/project/p/users/a"_qs + QChar(0) +
                                        u"b"_qs)
                             << u"NUL"_qs;
    QTest::newRow("raw escape character")
        << u"https://h.example/project/p/users/a\x1b[31m"_qs << u"control character"_qs;
    QTest::newRow("raw space") << u"https://h.example/project/p/users/a b"_qs << u"space"_qs;
    QTest::newRow("bad tab") << u"https://h.example/project/p/users/u?tab=%3Cscript%3E"_qs
                             << u"tab"_qs;
    QTest::newRow("bad from") << u"https://h.example/project/p/users/u?from=yesterday"_qs
                              << u"ISO 8601"_qs;
    QTest::newRow("from after to")
        << u"https://h.example/project/p/users/u?from=2026-12-04T00:00:00Z&to=2026-12-01T00:00:00Z"_qs
        << u"before"_qs;
    QTest::newRow("duplicate parameter")
        << u"https://h.example/project/p/users/u?tab=a&tab=b"_qs << u"twice"_qs;
    QTest::newRow("bad escape in query")
        << u"https://h.example/project/p/users/u?tab=%G1"_qs << u"percent-encoding"_qs;
}

void TestDeepLink::refusesHostileLinks()
{
    QFETCH(QString, link);
    QFETCH(QString, message);
    QString error;
    const std::optional<DeepLink> parsed = DeepLink::parse(link, &error);
    QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString() : QString()));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestDeepLink::roundTripsAnyId_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("slashes") << u"team/alpha/bob@example.com"_qs;
    QTest::newRow("percent") << u"50%off %2F %25"_qs;
    QTest::newRow("query and fragment characters") << u"a?b=c&d#e"_qs;
    QTest::newRow("Unicode") << u"Zoë Ünïcødé 用户"_qs;
    QTest::newRow("emoji") << u"👩‍💻 dev 🦊"_qs;
    QTest::newRow("plus") << u"a+b"_qs;
    QTest::newRow("dots") << u"a...b/.c"_qs;
}

void TestDeepLink::roundTripsAnyId()
{
    QFETCH(QString, id);
    const DeepLink link =
        DeepLink::forServer(QUrl(u"http://127.0.0.1:4321"_qs), u"proj/1"_qs, u"users"_qs, id);
    const QString text = link.toString();
    QVERIFY2(text.startsWith(u"xeroml://127.0.0.1:4321/project/proj%2F1/users/"_qs),
             qPrintable(text));
    QString error;
    const std::optional<DeepLink> parsed = DeepLink::parse(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->id, id);
    QCOMPARE(parsed->projectId, u"proj/1"_qs);
    QVERIFY(parsed->matchesBaseUrl(QUrl(u"http://127.0.0.1:4321"_qs)));
}

void TestDeepLink::matchesConnectionsByHostAndPort_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<bool>("matches");
    const QString path = u"/project/p/users/u"_qs;
    QTest::newRow("cloud") << u"https://cloud.xeroml.com"_qs + path
                           << u"https://cloud.xeroml.com"_qs << true;
    QTest::newRow("xeroml to cloud")
        << u"xeroml://cloud.xeroml.com"_qs + path << u"https://cloud.xeroml.com/"_qs << true;
    QTest::newRow("explicit 443") << u"xeroml://cloud.xeroml.com:443"_qs + path
                                  << u"https://cloud.xeroml.com"_qs << true;
    QTest::newRow("unknown host") << u"https://evil.example"_qs + path
                                  << u"https://cloud.xeroml.com"_qs << false;
    QTest::newRow("look-alike host") << u"https://cloud.xeroml.com.evil.example"_qs + path
                                     << u"https://cloud.xeroml.com"_qs << false;
    QTest::newRow("other port") << u"xeroml://127.0.0.1:3031"_qs + path
                                << u"http://127.0.0.1:3030"_qs << false;
    QTest::newRow("same port") << u"xeroml://127.0.0.1:3030"_qs + path
                               << u"http://127.0.0.1:3030"_qs << true;
    QTest::newRow("no port vs 8443")
        << u"https://x.example"_qs + path << u"https://x.example:8443"_qs << false;
}

void TestDeepLink::matchesConnectionsByHostAndPort()
{
    QFETCH(QString, link);
    QFETCH(QString, baseUrl);
    QFETCH(bool, matches);
    QString error;
    const std::optional<DeepLink> parsed = DeepLink::parse(link, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->matchesBaseUrl(QUrl(baseUrl)), matches);
}

void TestDeepLink::refusesLinksOver8KB()
{
    const QString head = u"https://h.example/project/p/users/"_qs;
    QString fits = head + QString(DeepLink::kMaxBytes - head.size(), u'a');
    QString error;
    QVERIFY2(DeepLink::parse(fits, &error), qPrintable(error));
    fits += u'a';
    QVERIFY(!DeepLink::parse(fits, &error));
    QVERIFY2(error.contains(u"8 KB"_qs), qPrintable(error));
    // Counted in UTF-8 bytes: 3000 'ë' are 6000 bytes, 5000 are 10000.
    QVERIFY(!DeepLink::parse(head + QString(5000, QChar(0xEB)), &error));
}

QTEST_GUILESS_MAIN(TestDeepLink)
#include "tst_deeplink.moc"
