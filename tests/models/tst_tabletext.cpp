// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/tabletext.h"
#include "models/userlistmodel.h"

#include <QTest>

class TestTableText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valueText_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("null") << QVariant() << QString();
        QTest::newRow("integer") << QVariant(qint64(1234567)) << QStringLiteral("1234567");
        QTest::newRow("full-precision cost")
            << QVariant(0.1 + 0.2) << QStringLiteral("0.30000000000000004");
        QTest::newRow("time") << QVariant(
                                     QDateTime(QDate(2026, 12, 4), QTime(15, 5, 1, 123), Qt::UTC))
                              << QStringLiteral("2026-12-04T15:05:01.123Z");
        QTest::newRow("text") << QVariant(QStringLiteral("Zoë Ångström"))
                              << QStringLiteral("Zoë Ångström");
    }
    void valueText()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, text);
        QCOMPARE(TableText::valueText(value), text);
    }

    void tsvOfSelectedRowsAndColumns()
    {
        UserListModel model;
        Page<UserSummary> page;
        UserSummary a;
        a.userId = QStringLiteral("tab\there\nnewline");
        a.totalTraces = 3;
        a.totalCost = 0.00123456789;
        UserSummary b;
        b.userId = QStringLiteral("team/alpha/bob");
        b.totalTraces = 1200;
        b.averageScore = 0.5;
        UserSummary c;
        c.userId = QStringLiteral("not selected");
        page.items = {a, b, c};
        page.meta.totalItems = 3;
        model.appendPage(page);

        const QString tsv =
            TableText::toTsv(model, {0, 1},
                             {UserListModel::UserIdColumn, UserListModel::CostColumn,
                              UserListModel::TracesColumn, UserListModel::AverageScoreColumn},
                             UserListModel::ValueRole);
        const QStringList lines = tsv.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4); // header, two rows, empty after the final line break
        QCOMPARE(lines.at(0), QStringLiteral("User ID\tCost (USD)\tTraces\tAvg score"));
        // Tabs and line breaks inside a value never split a row; numbers are raw.
        QCOMPARE(lines.at(1), QStringLiteral("tab here newline\t0.00123456789\t3\t"));
        QCOMPARE(lines.at(2), QStringLiteral("team/alpha/bob\t0\t1200\t0.5"));
        QVERIFY(lines.at(3).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTableText)
#include "tst_tabletext.moc"
