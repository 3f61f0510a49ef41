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
        QTest::newRow("tags") << QVariant(
                                     QStringList{QStringLiteral("prod"), QStringLiteral("beta")})
                              << QStringLiteral("prod, beta");
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

    void markdownCell_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("cell");
        QTest::newRow("plain") << QStringLiteral("alice@example.com")
                               << QStringLiteral("alice@example.com");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("pipe") << QStringLiteral("a|b") << QStringLiteral("a\\|b");
        // A backslash before a pipe must not swallow the pipe's escape.
        QTest::newRow("backslash")
            << QStringLiteral("C:\\x\\|y") << QStringLiteral("C:\\\\x\\\\\\|y");
        QTest::newRow("LF") << QStringLiteral("one\ntwo") << QStringLiteral("one<br>two");
        QTest::newRow("CRLF is one break")
            << QStringLiteral("one\r\ntwo") << QStringLiteral("one<br>two");
        QTest::newRow("CR") << QStringLiteral("one\rtwo") << QStringLiteral("one<br>two");
        QTest::newRow("tab") << QStringLiteral("a\tb") << QStringLiteral("a b");
        QTest::newRow("unicode") << QStringLiteral("Zoë 👩‍💻")
                                 << QStringLiteral("Zoë 👩‍💻");
    }
    void markdownCell()
    {
        QFETCH(QString, text);
        QFETCH(QString, cell);
        QCOMPARE(TableText::markdownCell(text), cell);
    }

    void markdownOfSelectedRowsAndColumns()
    {
        UserListModel model;
        Page<UserSummary> page;
        UserSummary a;
        a.userId = QStringLiteral("pipe|user\nline two");
        a.totalTraces = 3;
        a.totalCost = 0.1 + 0.2;
        a.firstTraceAt = QDateTime(QDate(2026, 12, 1), QTime(8, 0), Qt::UTC);
        UserSummary b;
        b.userId = QStringLiteral("not selected");
        UserSummary c;
        c.userId = QStringLiteral("bob");
        c.totalTraces = 1200;
        c.averageScore = 0.5;
        page.items = {a, b, c};
        page.meta.totalItems = 3;
        model.appendPage(page);

        // Columns in the order asked for (the displayed order), not the model's; aligned as
        // the table aligns them (times too are right-aligned there).
        const QString md = TableText::toMarkdown(
            model, {0, 2},
            {UserListModel::UserIdColumn, UserListModel::CostColumn, UserListModel::TracesColumn,
             UserListModel::AverageScoreColumn, UserListModel::FirstTraceColumn},
            UserListModel::ValueRole, UserListModel::NumericRole);
        QCOMPARE(md, QStringLiteral("| User ID | Cost (USD) | Traces | Avg score | First trace |\n"
                                    "| --- | ---: | ---: | ---: | ---: |\n"
                                    "| pipe\\|user<br>line two | 0.30000000000000004 | 3 |  | "
                                    "2026-12-01T08:00:00.000Z |\n"
                                    "| bob | 0 | 1200 | 0.5 |  |\n"));
    }

    void markdownWithoutRowsIsJustTheHeader()
    {
        UserListModel model;
        const QString md =
            TableText::toMarkdown(model, {}, {UserListModel::UserIdColumn},
                                  UserListModel::ValueRole, UserListModel::NumericRole);
        QCOMPARE(md, QStringLiteral("| User ID |\n| --- |\n"));
    }
};

QTEST_GUILESS_MAIN(TestTableText)
#include "tst_tabletext.moc"
