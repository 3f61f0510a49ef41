// SPDX-License-Identifier: GPL-3.0-or-later
// Replays the fuzz corpus (tests/data/fuzz-corpus) and every JSON fixture through the fuzz
// entry point, so any compiler (gcc included) keeps the inputs libFuzzer found honest.
#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

class TestFuzzReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestFuzzReplay::replay_data()
{
    QTest::addColumn<QString>("path");
    int corpus = 0;
    for (const QString &dir :
         {QStringLiteral(XEROML_TEST_DATA), QStringLiteral(XEROML_TEST_DATA "/fuzz-corpus")}) {
        const QFileInfoList files = QDir(dir).entryInfoList(QDir::Files, QDir::Name);
        for (const QFileInfo &file : files) {
            QTest::newRow(qPrintable(file.fileName())) << file.filePath();
            corpus += dir.endsWith(QLatin1String("fuzz-corpus")) ? 1 : 0;
        }
    }
    QVERIFY2(corpus >= 20, "the fuzz corpus is missing");
}

void TestFuzzReplay::replay()
{
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                    size_t(bytes.size())),
             0);
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzzreplay.moc"
