// SPDX-License-Identifier: GPL-3.0-or-later
#include "server/demogenerator.h"

#include "server/batchinserter.h"
#include "server/logging.h"
#include "server/store.h"
#include "server/xoshiro256.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QSqlError>

#include <algorithm>
#include <array>
#include <vector>

namespace xeroml::server {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr qint64 kSpanDays = 90;

struct Model
{
    const char *name;
    qint64 inputNanosPerToken; // list price in USD per 1M tokens × 1000
    qint64 outputNanosPerToken;
    qint64 msPerOutputToken;
    int weight;
};

// List prices (USD per 1M input / output tokens): 2.50/10, 0.15/0.60, 3/15, 0.25/1.25, 0.88/0.88.
constexpr std::array<Model, 5> kModels{{
    {"gpt-4o", 2500, 10000, 14, 20},
    {"gpt-4o-mini", 150, 600, 8, 35},
    {"claude-3-5-sonnet", 3000, 15000, 16, 18},
    {"claude-3-haiku", 250, 1250, 7, 17},
    {"llama-3.1-70b", 880, 880, 11, 10},
}};

struct TraceKind
{
    const char *name;
    const char *tag;
    int weight;
    int inputScale; // documents make long prompts
    const char *prompts[3];
    const char *answers[3];
};

constexpr std::array<TraceKind, 6> kTraceKinds{{
    {"chat-completion",
     "chat",
     40,
     1,
     {"How do I reset my password?", "Write a haiku about autumn rain.",
      "What is the difference between TCP and UDP?"},
     {"Open Settings, choose Security and click Reset password.",
      "Soft rain on red leaves / the gutter hums its old song / tea cools by the glass",
      "TCP is connection-oriented and reliable; UDP sends datagrams without guarantees."}},
    {"summarize-document",
     "summarize",
     15,
     3,
     {"Summarize the attached quarterly report.", "Give me the key points of this contract.",
      "TL;DR of the meeting transcript, please."},
     {"Revenue grew 12% while costs stayed flat; churn fell to 2.1%.",
      "Two-year term, 30-day notice, liability capped at fees paid.",
      "The team agreed to ship on Friday and to postpone the redesign."}},
    {"code-review",
     "code",
     10,
     2,
     {"Review this function for bugs.", "Why does this loop never end?",
      "Suggest a cleaner way to parse these dates."},
     {"The index is never incremented in the error branch.",
      "The condition compares a copy, not the updated value.",
      "Use QDateTime::fromString with Qt::ISODateWithMs."}},
    {"support-answer",
     "support",
     20,
     1,
     {"My invoice shows the wrong VAT number.", "Can I export my data as CSV?",
      "Where is my order #4521?"},
     {"I have corrected the VAT number; a new invoice is on its way.",
      "Yes: Settings > Data > Export lets you download a CSV file.",
      "Order #4521 left our warehouse yesterday and arrives on Monday."}},
    {"classify-ticket",
     "classification",
     10,
     1,
     {"Classify: The app crashes when I upload a photo.", "Classify: Please add dark mode.",
      "Classify: I was charged twice."},
     {"{\\\"category\\\":\\\"bug\\\",\\\"priority\\\":\\\"high\\\"}",
      "{\\\"category\\\":\\\"feature-request\\\",\\\"priority\\\":\\\"low\\\"}",
      "{\\\"category\\\":\\\"billing\\\",\\\"priority\\\":\\\"high\\\"}"}},
    {"translate",
     "translation",
     5,
     1,
     {"Translate to German: Good morning, how are you?", "Translate to French: See you soon.",
      "Translate to Japanese: Thank you very much."},
     {"Guten Morgen, wie geht es dir?", "À bientôt.", "どうもありがとうございます。"}},
}};

// Fixed ids that exercise every awkward character class a user id may hold.
constexpr std::array<const char *, 13> kSpecialUsers{{
    "alice@example.com",
    "team/alpha/bob",
    "Maria José",
    "Zoë Ångström",
    "Анна",
    "ユーザー",
    "carol+test@example.co.uk",
    "Émile Zola",
    "team/beta/Ωmega",
    "svc:batch-runner",
    "Łukasz Żółć",
    "growth_100%",
    "dave.o'brien@corp.example",
}};

constexpr std::array<const char *, 20> kFirstNames{{
    "Emma", "Liam",  "Sofia",  "Noah", "Zoë",   "Søren", "Jürgen", "Amélie", "Mateo",  "Chloé",
    "Олег", "Мария", "さくら", "李娜", "Renée", "Ångel", "Priya",  "Kwame",  "Ingrid", "Çağla",
}};
constexpr std::array<const char *, 16> kLastNames{{
    "Schmidt",
    "Novak",
    "García",
    "Müller",
    "Rossi",
    "Öztürk",
    "Kowalski",
    "Dubois",
    "Nakamura",
    "Smith",
    "Ivanova",
    "Andersen",
    "Silva",
    "Åberg",
    "Nguyen",
    "O'Neil",
}};
constexpr std::array<const char *, 5> kDomains{{
    "example.com",
    "acme.io",
    "globex.example",
    "initech.test",
    "umbrella.example.org",
}};
constexpr std::array<const char *, 5> kTeams{
    {"alpha", "beta", "data-science", "support", "ml/ops"}};
constexpr std::array<const char *, 4> kPlans{{"free", "pro", "team", "enterprise"}};
constexpr std::array<const char *, 3> kRegions{{"eu-west-1", "us-east-1", "ap-northeast-1"}};
constexpr std::array<const char *, 4> kExtraTags{{"web", "mobile", "api", "beta"}};

// Requests per hour of day (UTC): quiet nights, a morning ramp, an afternoon peak.
constexpr std::array<int, 24> kHourWeight{
    {12, 8, 6, 5, 5, 7, 12, 22, 40, 62, 78, 86, 90, 96, 100, 98, 92, 80, 66, 52, 40, 30, 22, 16}};

struct User
{
    QString id;
    QString idLower;
    int favouriteModel = 0;
    double stagingShare = 0.04; // internal testers mostly use staging
    QString metadata;
    qint64 lastTs = -1;
    qint64 session = -1;
};

// One row of the daily rollup (Store's daily_traces / daily_models) summed while generating, so
// that a bulk load need not join every observation back to its trace afterwards.
struct RollupSums
{
    qint64 traces = 0;
    qint64 observations = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    qint64 costNanos = 0;
};

// (user, day, staging, model + 1 or 0 for the traces themselves) in one key.
quint64 rollupKey(int user, qint64 day, bool staging, int model)
{
    return (static_cast<quint64>(user) << 32) | (static_cast<quint64>(day) << 12) |
           (staging ? 0x100U : 0U) | static_cast<quint64>(model + 1);
}

template<size_t N> int pickWeighted(Xoshiro256 &rng, const std::array<int, N> &weights)
{
    int total = 0;
    for (int w : weights)
        total += w;
    int r = static_cast<int>(rng.below(static_cast<quint64>(total)));
    for (size_t i = 0; i < N; ++i) {
        if (r < weights[i])
            return static_cast<int>(i);
        r -= weights[i];
    }
    return 0;
}

// Zero-padded lower-case hex; hand-rolled because it runs several million times per load.
QString hex(quint64 value, int width)
{
    char buffer[16];
    int length = 0;
    do {
        buffer[15 - length++] = "0123456789abcdef"[value & 0xf];
        value >>= 4;
    } while (value != 0 && length < 16);
    while (length < width && length < 16)
        buffer[15 - length++] = '0';
    return QString::fromLatin1(buffer + 16 - length, length);
}

std::vector<User> makeUsers(Xoshiro256 &rng, int count)
{
    std::vector<User> users;
    users.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        User user;
        if (static_cast<size_t>(i) < kSpecialUsers.size()) {
            user.id = QString::fromUtf8(kSpecialUsers[static_cast<size_t>(i)]);
        } else {
            const QString first = QString::fromUtf8(kFirstNames[rng.below(kFirstNames.size())]);
            const QString last = QString::fromUtf8(kLastNames[rng.below(kLastNames.size())]);
            const QString n = QString::number(i);
            switch (rng.below(10)) {
            case 0:
            case 1:
            case 2:
            case 3:
                user.id = first.toLower() + QLatin1Char('.') + last.toLower() + n +
                          QLatin1Char('@') + QLatin1String(kDomains[rng.below(kDomains.size())]);
                break;
            case 4:
                user.id = QStringLiteral("team/") +
                          QLatin1String(kTeams[rng.below(kTeams.size())]) + QLatin1Char('/') +
                          first.toLower() + n;
                break;
            case 5:
            case 6:
                user.id = first + QLatin1Char(' ') + last + QLatin1Char(' ') + n;
                break;
            case 7:
                user.id = QStringLiteral("usr_") + hex(rng.next() & 0xffffffffffffULL, 12) +
                          QLatin1Char('_') + n;
                break;
            default:
                user.id = first.toLower() + QLatin1Char('_') + n;
                break;
            }
        }
        user.idLower = user.id.toLower();
        // Heavy users lean towards one model; the rest pick per request.
        user.favouriteModel = static_cast<int>(rng.below(kModels.size()));
        if (rng.chance(0.08))
            user.stagingShare = 0.6;
        user.metadata = QStringLiteral("{\"plan\":\"%1\",\"region\":\"%2\"}")
                            .arg(QLatin1String(kPlans[rng.below(kPlans.size())]),
                                 QLatin1String(kRegions[rng.below(kRegions.size())]));
        users.push_back(std::move(user));
    }
    return users;
}

// Trace times over the 90 days before the anchor with a daily and weekly rhythm and a
// growing product (later days busier); sorted, like a real ingestion log.
std::vector<qint64> makeTimestamps(Xoshiro256 &rng, qint64 count, qint64 anchorMs)
{
    const qint64 start = anchorMs - kSpanDays * kDayMs;
    const qint64 span = anchorMs - start;
    std::vector<qint64> times;
    times.reserve(static_cast<size_t>(count));
    while (static_cast<qint64>(times.size()) < count) {
        const qint64 t = start + static_cast<qint64>(rng.below(static_cast<quint64>(span)));
        const qint64 hour = (t / kHourMs) % 24;
        const qint64 weekday = (t / kDayMs + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
        const qint64 week = weekday >= 5 ? 60 : 100;
        const qint64 growth = 60 + (40 * (t - start)) / span;
        const qint64 weight = kHourWeight[static_cast<size_t>(hour)] * week * growth;
        if (static_cast<qint64>(rng.below(100 * 100 * 100)) < weight)
            times.push_back(t);
    }
    std::sort(times.begin(), times.end());
    return times;
}

QString chatJson(const char *role, const char *content)
{
    return QStringLiteral("{\"role\":\"") + QLatin1String(role) +
           QStringLiteral("\",\"content\":\"") + QString::fromUtf8(content) + QStringLiteral("\"}");
}

} // namespace

bool DemoGenerator::run(const DemoOptions &options,
                        const std::function<void(qint64 done, qint64 total)> &progress,
                        QString *error)
{
    if (options.users < 1 || options.traces < 0) {
        *error = QStringLiteral("the demo data set needs at least one user");
        return false;
    }
    QDateTime anchor = options.anchor;
    if (!anchor.isValid()) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        anchor = QDateTime::fromMSecsSinceEpoch(now - now % kHourMs, Qt::UTC);
    }
    const qint64 anchorMs = anchor.toMSecsSinceEpoch();
    const qint64 total = options.traces;
    QElapsedTimer timer;
    timer.start();

    Xoshiro256 rng(options.seed);
    std::vector<User> users = makeUsers(rng, options.users);
    const std::vector<qint64> times = makeTimestamps(rng, total, anchorMs);

    // Zipf ranks over a shuffled user list (the first user stays the heaviest): a few heavy
    // users, a long tail. Every user gets at least one trace when there are enough traces.
    std::vector<int> rank(users.size());
    for (size_t i = 0; i < rank.size(); ++i)
        rank[i] = static_cast<int>(i);
    for (size_t i = rank.size() - 1; i > 1; --i)
        std::swap(rank[i], rank[1 + rng.below(i)]);
    std::vector<double> cumulative(users.size());
    double sum = 0;
    for (size_t r = 0; r < users.size(); ++r) {
        sum += 1.0 / static_cast<double>(r + 1);
        cumulative[r] = sum;
    }
    std::vector<int> owner(static_cast<size_t>(total));
    for (size_t i = 0; i < owner.size(); ++i) {
        if (i < users.size()) {
            owner[i] = static_cast<int>(i);
        } else if (rng.chance(0.015)) {
            owner[i] = -1; // traces without a user id exist in every real project
        } else {
            const double u = rng.uniform() * sum;
            const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
            const size_t r =
                std::min<size_t>(static_cast<size_t>(it - cumulative.begin()), users.size() - 1);
            owner[i] = rank[r];
        }
    }
    for (size_t i = owner.size(); i > 1; --i)
        std::swap(owner[i - 1], owner[rng.below(i)]);

    QSqlDatabase db = m_store.database();
    const bool bulkLoad = m_store.isEmpty();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    if (bulkLoad && !m_store.dropIndexes(error)) {
        db.rollback();
        return false;
    }
    BatchInserter traces(db, QStringLiteral("traces"),
                         {QStringLiteral("id"),
                          QStringLiteral("ts"),
                          QStringLiteral("name"),
                          QStringLiteral("user_id"),
                          QStringLiteral("user_id_lower"),
                          QStringLiteral("session_id"),
                          QStringLiteral("environment"),
                          QStringLiteral("release"),
                          QStringLiteral("version"),
                          QStringLiteral("tags"),
                          QStringLiteral("metadata"),
                          QStringLiteral("input"),
                          QStringLiteral("output"),
                          QStringLiteral("latency_ms"),
                          QStringLiteral("observation_count"),
                          QStringLiteral("input_tokens"),
                          QStringLiteral("output_tokens"),
                          QStringLiteral("total_tokens"),
                          QStringLiteral("total_cost_nanos"),
                          QStringLiteral("score_sum"),
                          QStringLiteral("score_count")});
    BatchInserter observations(db, QStringLiteral("observations"),
                               {QStringLiteral("id"),
                                QStringLiteral("trace_id"),
                                QStringLiteral("parent_observation_id"),
                                QStringLiteral("type"),
                                QStringLiteral("name"),
                                QStringLiteral("start_time"),
                                QStringLiteral("end_time"),
                                QStringLiteral("completion_start_time"),
                                QStringLiteral("model"),
                                QStringLiteral("level"),
                                QStringLiteral("status_message"),
                                QStringLiteral("input"),
                                QStringLiteral("output"),
                                QStringLiteral("metadata"),
                                QStringLiteral("environment"),
                                QStringLiteral("input_tokens"),
                                QStringLiteral("output_tokens"),
                                QStringLiteral("total_tokens"),
                                QStringLiteral("input_cost_nanos"),
                                QStringLiteral("output_cost_nanos"),
                                QStringLiteral("total_cost_nanos")});
    BatchInserter scores(
        db, QStringLiteral("scores"),
        {QStringLiteral("id"), QStringLiteral("trace_id"), QStringLiteral("observation_id"),
         QStringLiteral("session_id"), QStringLiteral("name"), QStringLiteral("value"),
         QStringLiteral("string_value"), QStringLiteral("data_type"), QStringLiteral("source"),
         QStringLiteral("comment"), QStringLiteral("author_user_id"), QStringLiteral("ts"),
         QStringLiteral("environment")});

    // Ids carry the seed so that data sets with different seeds can share a database.
    const QString prefix = hex(options.seed, 1) + QLatin1Char('-');
    const QString tracePrefix = QStringLiteral("tr-") + prefix;
    const QString observationPrefix = QStringLiteral("ob-") + prefix;
    const QString scorePrefix = QStringLiteral("sc-") + prefix;
    const QString sessionPrefix = QStringLiteral("se-") + prefix;
    const QVariant null;
    const QVariant production = QStringLiteral("production");
    const QVariant staging = QStringLiteral("staging");
    std::array<int, kTraceKinds.size()> kindWeights{};
    for (size_t i = 0; i < kTraceKinds.size(); ++i)
        kindWeights[i] = kTraceKinds[i].weight;
    std::array<int, kModels.size()> modelWeights{};
    for (size_t i = 0; i < kModels.size(); ++i)
        modelWeights[i] = kModels[i].weight;
    qint64 observationCounter = 0;
    qint64 scoreCounter = 0;
    qint64 sessionCounter = 0;

    // Bulk loads write the rollup from these sums (exact: the generator knows each row), one
    // day at a time as the times ascend; otherwise the store recomputes it from the rows.
    QHash<quint64, RollupSums> rollup;
    qint64 rollupDay = -1;
    bool rollupFromSums = bulkLoad;
    BatchInserter dailyTraces(db, QStringLiteral("daily_traces"),
                              {QStringLiteral("user_id"), QStringLiteral("day"),
                               QStringLiteral("environment"), QStringLiteral("traces"),
                               QStringLiteral("observations"), QStringLiteral("cost_nanos")});
    BatchInserter dailyModels(db, QStringLiteral("daily_models"),
                              {QStringLiteral("user_id"), QStringLiteral("day"),
                               QStringLiteral("environment"), QStringLiteral("model"),
                               QStringLiteral("traces"), QStringLiteral("observations"),
                               QStringLiteral("input_tokens"), QStringLiteral("output_tokens"),
                               QStringLiteral("total_tokens"), QStringLiteral("cost_nanos")});
    const auto flushRollup = [&](QString *why) {
        std::vector<quint64> keys;
        keys.reserve(static_cast<size_t>(rollup.size()));
        for (auto it = rollup.cbegin(); it != rollup.cend(); ++it)
            keys.push_back(it.key());
        std::sort(keys.begin(), keys.end());
        for (const quint64 key : keys) {
            const RollupSums sums = rollup.value(key);
            const QString &userId = users[static_cast<size_t>(key >> 32)].id;
            const qint64 day = static_cast<qint64>((key >> 12) & 0xFFFFF);
            const QVariant &environment = (key & 0x100U) ? staging : production;
            const int model = static_cast<int>(key & 0xFF) - 1;
            BatchInserter &table = model < 0 ? dailyTraces : dailyModels;
            table.add(userId);
            table.add(day);
            table.add(environment);
            if (model >= 0)
                table.add(QLatin1String(kModels[static_cast<size_t>(model)].name));
            table.add(sums.traces);
            table.add(sums.observations);
            if (model >= 0) {
                table.add(sums.inputTokens);
                table.add(sums.outputTokens);
                table.add(sums.totalTokens);
            }
            table.add(sums.costNanos);
            if (!table.endRow(why))
                return false;
        }
        rollup.clear();
        return true;
    };

    const auto fail = [&db](QString *) {
        db.rollback();
        return false;
    };

    for (qint64 i = 0; i < total; ++i) {
        const qint64 ts = times[static_cast<size_t>(i)];
        const int userIndex = owner[static_cast<size_t>(i)];
        User *user = userIndex >= 0 ? &users[static_cast<size_t>(userIndex)] : nullptr;
        const TraceKind &kind = kTraceKinds[static_cast<size_t>(pickWeighted(rng, kindWeights))];
        const QString traceId = tracePrefix + hex(static_cast<quint64>(i), 8);
        const bool isStaging = rng.chance(user ? user->stagingShare : 0.04);
        const QVariant &environment = isStaging ? staging : production;
        const int promptIndex = static_cast<int>(rng.below(3));

        // A session continues while the user keeps coming back within a few hours.
        QVariant sessionId;
        if (user && !rng.chance(0.1)) {
            if (user->session < 0 || ts - user->lastTs > 3 * kHourMs || rng.chance(0.25))
                user->session = sessionCounter++;
            user->lastTs = ts;
            sessionId = sessionPrefix + hex(static_cast<quint64>(user->session), 6);
        }

        // Observations: a root SPAN, 1–3 GENERATIONs under it, sometimes an EVENT (≈3 per trace).
        const QString rootId =
            observationPrefix + hex(static_cast<quint64>(observationCounter++), 9);
        const int generations = 1 + (rng.chance(0.45) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0);
        const bool withEvent = rng.chance(0.4);
        qint64 clock = ts + rng.between(2, 40);
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 costNanos = 0;
        QString firstGenerationId;
        const qint64 utcDay = ts / kDayMs;
        if (rollupFromSums && (ts < 0 || utcDay >= (1 << 20) || utcDay < rollupDay))
            rollupFromSums = false; // rebuildDailyRollup() replaces what was written
        if (rollupFromSums && utcDay != rollupDay) {
            if (!flushRollup(error))
                return fail(error);
            rollupDay = utcDay;
        }
        quint32 modelsSeen = 0;
        for (int g = 0; g < generations; ++g) {
            const int modelIndex =
                user && rng.chance(0.5) ? user->favouriteModel : pickWeighted(rng, modelWeights);
            const Model &model = kModels[static_cast<size_t>(modelIndex)];
            const double u = rng.uniform();
            const double v = rng.uniform();
            const qint64 in = (120 + static_cast<qint64>(u * u * 4000.0)) * kind.inputScale;
            const qint64 out = 30 + static_cast<qint64>(v * v * 1200.0);
            const qint64 inCost = in * model.inputNanosPerToken;
            const qint64 outCost = out * model.outputNanosPerToken;
            const qint64 firstToken = clock + rng.between(150, 650);
            const qint64 end = firstToken + out * model.msPerOutputToken + rng.between(0, 300);
            const bool failed = rng.chance(0.01);
            const QString id =
                observationPrefix + hex(static_cast<quint64>(observationCounter++), 9);
            if (g == 0)
                firstGenerationId = id;
            static const char *const kGenerationNames[] = {"generate-answer", "refine-answer",
                                                           "self-check"};
            observations.add(id);
            observations.add(traceId);
            observations.add(rootId);
            observations.add(QStringLiteral("GENERATION"));
            observations.add(QLatin1String(kGenerationNames[g]));
            observations.add(clock);
            observations.add(end);
            observations.add(firstToken);
            observations.add(QLatin1String(model.name));
            observations.add(failed ? QStringLiteral("ERROR") : QStringLiteral("DEFAULT"));
            observations.add(failed ? QVariant(QStringLiteral("provider returned 529 overloaded"))
                                    : null);
            observations.add(QLatin1Char('[') + chatJson("user", kind.prompts[promptIndex]) +
                             QLatin1Char(']'));
            observations.add(chatJson("assistant", kind.answers[promptIndex]));
            observations.add(QStringLiteral("{\"temperature\":0.7}"));
            observations.add(environment);
            observations.add(in);
            observations.add(out);
            observations.add(in + out);
            observations.add(inCost);
            observations.add(outCost);
            observations.add(inCost + outCost);
            if (!observations.endRow(error))
                return fail(error);
            inputTokens += in;
            outputTokens += out;
            costNanos += inCost + outCost;
            if (rollupFromSums && user) {
                RollupSums &sums = rollup[rollupKey(userIndex, utcDay, isStaging, modelIndex)];
                if (!(modelsSeen & (1U << modelIndex)))
                    ++sums.traces;
                modelsSeen |= 1U << modelIndex;
                ++sums.observations;
                sums.inputTokens += in;
                sums.outputTokens += out;
                sums.totalTokens += in + out;
                sums.costNanos += inCost + outCost;
            }
            clock = end + rng.between(1, 30);
        }
        const qint64 endTs = clock + rng.between(1, 20);
        int observationCount = 1 + generations;
        if (withEvent) {
            static const char *const kEvents[] = {"cache-miss", "guardrail-check", "tool-call"};
            observations.add(observationPrefix +
                             hex(static_cast<quint64>(observationCounter++), 9));
            observations.add(traceId);
            observations.add(rootId);
            observations.add(QStringLiteral("EVENT"));
            observations.add(QLatin1String(kEvents[rng.below(3)]));
            observations.add(clock);
            observations.add(null);
            observations.add(null);
            observations.add(null);
            observations.add(QStringLiteral("DEFAULT"));
            observations.add(null);
            observations.add(null);
            observations.add(null);
            observations.add(QStringLiteral("{\"passed\":true}"));
            observations.add(environment);
            for (int k = 0; k < 6; ++k)
                observations.add(0);
            if (!observations.endRow(error))
                return fail(error);
            ++observationCount;
        }
        observations.add(rootId);
        observations.add(traceId);
        observations.add(null);
        observations.add(QStringLiteral("SPAN"));
        observations.add(QLatin1String(kind.name));
        observations.add(ts);
        observations.add(endTs);
        observations.add(null);
        observations.add(null);
        observations.add(QStringLiteral("DEFAULT"));
        observations.add(null);
        observations.add(null);
        observations.add(null);
        observations.add(null);
        observations.add(environment);
        for (int k = 0; k < 6; ++k)
            observations.add(0);
        if (!observations.endRow(error))
            return fail(error);

        // Scores: ≈0.3 per trace, from evaluators, annotators and users' thumbs.
        double scoreSum = 0;
        qint64 scoreCount = 0;
        const int scoreTotal = (rng.chance(0.25) ? 1 : 0) + (rng.chance(0.05) ? 1 : 0);
        for (int s = 0; s < scoreTotal; ++s) {
            const quint64 pick = rng.below(100);
            QVariant value;
            QVariant stringValue;
            QVariant comment;
            QVariant author;
            QVariant observationId;
            const char *name = nullptr;
            const char *dataType = "NUMERIC";
            const char *source = "EVAL";
            if (pick < 35) {
                name = "helpfulness";
                const double h = static_cast<double>(rng.between(20, 100)) / 100.0;
                value = h;
                observationId = firstGenerationId;
                scoreSum += h;
                ++scoreCount;
                if (h < 0.4)
                    comment = QStringLiteral("Answer missed the actual question.");
            } else if (pick < 50) {
                name = "accuracy";
                source = "ANNOTATION";
                const double a = static_cast<double>(rng.between(1, 5));
                value = a;
                author = QStringLiteral("reviewer@xeroml.dev");
                scoreSum += a;
                ++scoreCount;
                if (rng.chance(0.4))
                    comment = a >= 4 ? QStringLiteral("Correct and well sourced.")
                                     : QStringLiteral("Contains a factual error.");
            } else if (pick < 85) {
                name = "thumbs_up";
                dataType = "BOOLEAN";
                source = "API";
                const bool up = rng.chance(0.78);
                value = up ? 1.0 : 0.0;
                stringValue = up ? QStringLiteral("True") : QStringLiteral("False");
                if (!up && rng.chance(0.5))
                    comment = QStringLiteral("Too long, did not answer my question.");
            } else {
                name = "sentiment";
                dataType = "CATEGORICAL";
                static const char *const kSentiments[] = {"positive", "neutral", "negative"};
                const quint64 sentiment = rng.below(10);
                stringValue = QLatin1String(kSentiments[sentiment < 6 ? 0 : sentiment < 9 ? 1 : 2]);
            }
            scores.add(scorePrefix + hex(static_cast<quint64>(scoreCounter++), 8));
            scores.add(traceId);
            scores.add(observationId);
            scores.add(null);
            scores.add(QLatin1String(name));
            scores.add(value);
            scores.add(stringValue);
            scores.add(QLatin1String(dataType));
            scores.add(QLatin1String(source));
            scores.add(comment);
            scores.add(author);
            scores.add(endTs + rng.between(1000, 6 * kHourMs));
            scores.add(environment);
            if (!scores.endRow(error))
                return fail(error);
        }

        const qint64 day = (ts - (anchorMs - kSpanDays * kDayMs)) / kDayMs;
        const size_t extraTag = rng.below(kExtraTags.size() * 2);
        QString tags = QStringLiteral("[\"") + QLatin1String(kind.tag) + QLatin1Char('"');
        if (extraTag < kExtraTags.size())
            tags += QStringLiteral(",\"") + QLatin1String(kExtraTags[extraTag]) + QLatin1Char('"');
        tags += QLatin1Char(']');

        traces.add(traceId);
        traces.add(ts);
        traces.add(QLatin1String(kind.name));
        traces.add(user ? QVariant(user->id) : null);
        traces.add(user ? QVariant(user->idLower) : null);
        traces.add(sessionId);
        traces.add(environment);
        traces.add(QStringLiteral("2.%1.%2").arg(3 + day / 30).arg(day % 30 / 7));
        traces.add(QStringLiteral("prompt-v%1").arg(1 + day / 45));
        traces.add(tags);
        traces.add(user ? QVariant(user->metadata) : null);
        traces.add(QStringLiteral("{\"messages\":[") + chatJson("user", kind.prompts[promptIndex]) +
                   QStringLiteral("]}"));
        traces.add(chatJson("assistant", kind.answers[promptIndex]));
        traces.add(endTs - ts);
        traces.add(observationCount);
        traces.add(inputTokens);
        traces.add(outputTokens);
        traces.add(inputTokens + outputTokens);
        traces.add(costNanos);
        traces.add(scoreSum);
        traces.add(scoreCount);
        if (!traces.endRow(error))
            return fail(error);
        if (rollupFromSums && user) {
            RollupSums &sums = rollup[rollupKey(userIndex, utcDay, isStaging, -1)];
            ++sums.traces;
            sums.observations += observationCount;
            sums.costNanos += costNanos;
        }

        if (progress && (i + 1) % 10000 == 0)
            progress(i + 1, total);
    }
    if (!traces.flush(error) || !observations.flush(error) || !scores.flush(error))
        return fail(error);
    if (bulkLoad && !m_store.createIndexes(error))
        return fail(error);
    if (bulkLoad && !rollupFromSums && !m_store.rebuildDailyRollup(error))
        return fail(error);
    if (rollupFromSums &&
        (!flushRollup(error) || !dailyTraces.flush(error) || !dailyModels.flush(error)))
        return fail(error);
    if (!db.commit()) {
        *error = db.lastError().text();
        return fail(error);
    }
    m_store.analyze();
    m_store.invalidateColumns();
    if (progress)
        progress(total, total);
    const double seconds = static_cast<double>(timer.elapsed()) / 1000.0;
    qCInfo(lcServer).nospace() << "demo data: " << total << " traces, " << observations.rowCount()
                               << " observations, " << scores.rowCount() << " scores for "
                               << options.users << " users in " << seconds << " s ("
                               << (seconds > 0 ? static_cast<double>(total) / seconds : 0.0)
                               << " traces/s)";
    return true;
}

} // namespace xeroml::server
