// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/apierror.h"

#include <QTest>

#include <optional>

/// Collects the result of one ApiClient callback and waits for it with the event loop
/// running, so replies arrive asynchronously as in the app.
template<typename T> struct Waiter
{
    std::optional<ApiResult<T>> result;
    int calls = 0;
    auto callback()
    {
        return [this](const ApiResult<T> &r) {
            result = r;
            ++calls;
        };
    }
    bool wait(int ms = 15000)
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, ms);
    }
    [[nodiscard]] bool ok() const { return result && result->ok(); }
    [[nodiscard]] QString detail() const
    {
        if (!result)
            return QStringLiteral("no result");
        return result->ok() ? QString() : result->error().detail;
    }
};
