// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

namespace xeroml::server {
/// Everything the local server logs; never a key, never an Authorization header.
Q_DECLARE_LOGGING_CATEGORY(lcServer)
} // namespace xeroml::server
