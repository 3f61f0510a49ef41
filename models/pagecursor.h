// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <algorithm>

/// Where a paged model stands in the server's order: which page to ask for next, and whether
/// there is more. A small first page draws fast; later pages are large. The limit of each
/// request is chosen so that its page starts exactly at the first row not yet received.
class PageCursor
{
public:
    PageCursor(int firstLimit, int bulkLimit)
        : m_firstLimit(firstLimit)
        , m_bulkLimit(bulkLimit)
    {}

    void setFirstLimit(int rows) { m_firstLimit = std::max(1, rows); }
    void setBulkLimit(int rows) { m_bulkLimit = std::max(1, rows); }
    [[nodiscard]] int firstLimit() const { return m_firstLimit; }
    [[nodiscard]] int bulkLimit() const { return m_bulkLimit; }

    void reset() { *this = PageCursor(m_firstLimit, m_bulkLimit); }

    /// The limit of the next request.
    [[nodiscard]] int limit() const
    {
        if (m_covered == 0)
            return m_firstLimit;
        if (m_covered % m_bulkLimit == 0)
            return m_bulkLimit;
        // A bulk page would start before the first missing row: fetch small pages until the
        // rows received line up with the bulk size (rows received twice are dropped anyway).
        return m_covered % m_firstLimit == 0 ? m_firstLimit : m_bulkLimit;
    }
    /// The page (from 1) of the next request.
    [[nodiscard]] int page() const { return int(m_covered / limit()) + 1; }

    /// Records an answer: page/limit as requested, items as received, the server's total.
    void received(int page, int limit, qsizetype items, qint64 totalItems)
    {
        m_answered = true;
        m_total = totalItems;
        m_covered = std::max(m_covered, qint64(page - 1) * limit + items);
        // An empty page before the announced end (rows vanished meanwhile) ends the list
        // instead of asking for the same page forever.
        if (items == 0)
            m_total = std::min(m_total, m_covered);
    }

    [[nodiscard]] bool answered() const { return m_answered; }
    [[nodiscard]] qint64 total() const { return m_total; }
    [[nodiscard]] qint64 covered() const { return m_covered; }
    [[nodiscard]] bool hasMore() const { return !m_answered || m_covered < m_total; }

private:
    int m_firstLimit;
    int m_bulkLimit;
    qint64 m_covered = 0; // rows of the server's order received, from the first on
    qint64 m_total = 0;
    bool m_answered = false;
};
