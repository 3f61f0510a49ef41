// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace xeroml::server {

/// xoshiro256** seeded through splitmix64. Our own generator, and only integer and basic
/// IEEE operations on top of it, so a seed gives the same data set with every compiler and
/// standard library (std:: distributions differ between implementations).
class Xoshiro256
{
public:
    explicit Xoshiro256(quint64 seed)
    {
        for (quint64 &word : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            quint64 z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }

    quint64 next()
    {
        const quint64 result = rotl(m_state[1] * 5, 7) * 9;
        const quint64 t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [0, n); the modulo bias is below 2^-40 for the small n used here.
    quint64 below(quint64 n) { return n == 0 ? 0 : next() % n; }
    qint64 between(qint64 low, qint64 high) // inclusive
    {
        return low + static_cast<qint64>(below(static_cast<quint64>(high - low + 1)));
    }
    bool chance(double probability) { return uniform() < probability; }

private:
    static quint64 rotl(quint64 x, int k) { return (x << k) | (x >> (64 - k)); }
    quint64 m_state[4];
};

} // namespace xeroml::server
