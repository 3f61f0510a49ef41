// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/format.h"

#include <QTest>

class TestFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void count_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0");
        QTest::newRow("thousands") << qint64(1234567) << QStringLiteral("1,234,567");
        QTest::newRow("negative") << qint64(-1000) << QStringLiteral("-1,000");
    }
    void count()
    {
        QFETCH(qint64, value);
        QFETCH(QString, text);
        QCOMPARE(Format::count(value), text);
    }

    void compactCount_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("small") << qint64(950) << QStringLiteral("950");
        QTest::newRow("thousands") << qint64(12345) << QStringLiteral("12.3K");
        QTest::newRow("millions") << qint64(95586367) << QStringLiteral("95.6M");
        QTest::newRow("hundreds of millions") << qint64(115921688) << QStringLiteral("116M");
        QTest::newRow("billions") << qint64(1234567890) << QStringLiteral("1.23B");
        QTest::newRow("negative") << qint64(-12345) << QStringLiteral("-12.3K");
    }
    void compactCount()
    {
        QFETCH(qint64, value);
        QFETCH(QString, text);
        QCOMPARE(Format::compactCount(value), text);
    }

    void cost_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("$0");
        QTest::newRow("tiny") << 0.0042137 << QStringLiteral("$0.0042");
        QTest::newRow("cents") << 0.371 << QStringLiteral("$0.37");
        QTest::newRow("dollars") << 12.4 << QStringLiteral("$12.40");
        QTest::newRow("large") << 1234.56 << QStringLiteral("$1,235");
    }
    void cost()
    {
        QFETCH(double, usd);
        QFETCH(QString, text);
        QCOMPARE(Format::cost(usd), text);
    }

    void score()
    {
        QCOMPARE(Format::score(std::nullopt), QStringLiteral("–"));
        QCOMPARE(Format::score(0.0), QStringLiteral("0.00"));
        QCOMPARE(Format::score(0.8765), QStringLiteral("0.88"));
    }

    void relativeTime_data()
    {
        QTest::addColumn<qint64>("secondsAgo");
        QTest::addColumn<QString>("text");
        QTest::newRow("now") << qint64(5) << QStringLiteral("just now");
        QTest::newRow("minutes") << qint64(5 * 60 + 3) << QStringLiteral("5 min ago");
        QTest::newRow("hours") << qint64(3 * 3600) << QStringLiteral("3 h ago");
        QTest::newRow("yesterday") << qint64(86400 + 10) << QStringLiteral("yesterday");
        QTest::newRow("days") << qint64(4 * 86400) << QStringLiteral("4 days ago");
        QTest::newRow("old") << qint64(40 * 86400) << QStringLiteral("2026-10-25");
    }
    void relativeTime()
    {
        QFETCH(qint64, secondsAgo);
        QFETCH(QString, text);
        const QDateTime now(QDate(2026, 12, 4), QTime(15, 0), Qt::UTC);
        QCOMPARE(Format::relativeTime(now.addSecs(-secondsAgo), now), text);
        QCOMPARE(Format::relativeTime(QDateTime(), now), QStringLiteral("–"));
    }

    void exactTime()
    {
        const QDateTime t(QDate(2026, 12, 4), QTime(15, 5, 1, 123), Qt::UTC);
        QCOMPARE(Format::exactTime(t), QStringLiteral("2026-12-04 15:05:01 UTC"));
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
