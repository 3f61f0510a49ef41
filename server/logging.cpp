// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/logging.h"

namespace xeroml::server {
Q_LOGGING_CATEGORY(lcServer, "xeroml.server", QtInfoMsg)
} // namespace xeroml::server
