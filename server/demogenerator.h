// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/localserver.h"

#include <QString>

#include <functional>

namespace xeroml::server {

class Store;

/// Writes the deterministic demo data set (DemoOptions) into a Store in one transaction:
/// a Zipf-like spread of traces over users, sessions, GENERATION/SPAN/EVENT observations
/// with token usage and list-price costs, and NUMERIC/BOOLEAN/CATEGORICAL scores.
class DemoGenerator
{
public:
    explicit DemoGenerator(Store &store)
        : m_store(store)
    {}

    [[nodiscard]] bool run(const DemoOptions &options,
                           const std::function<void(qint64 done, qint64 total)> &progress,
                           QString *error);

private:
    Store &m_store;
};

} // namespace xeroml::server
