// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer entry point for the JSON body decoders of api/: any byte string, parsed as JSON,
// goes through every decoder. A decoder may refuse it, but must not crash, hang, read out of
// bounds, or report failure without an error (or an error with success).
#include "api/jsonreader.h"
#include "tests/support/decoders.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    for (const QString &name : decoders::names()) {
        QString error;
        const qsizetype items = decoders::run(name, doc, &error);
        if ((items >= 0) != error.isEmpty())
            std::abort();
    }
    // Time stamps arrive as arbitrary text too.
    const QDateTime time = parseIsoTime(QString::fromUtf8(bytes.left(64)));
    if (time.isValid() && time.timeSpec() != Qt::UTC)
        std::abort();
    return 0;
}
