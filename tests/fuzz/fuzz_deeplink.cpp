// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for DeepLink::parse: never crashes, and whatever it accepts the builder
// writes back so that it parses to the same link (ids decoded exactly once).
#include "api/deeplink.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<DeepLink> link = DeepLink::parse(text, &error);
    if (!link) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    const std::optional<DeepLink> again = DeepLink::parse(link->toString(), &error);
    if (!again || !(*again == *link))
        std::abort();
    return 0;
}
