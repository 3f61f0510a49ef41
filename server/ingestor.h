// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "server/pricetable.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

struct sqlite3;

namespace xeroml::server {

class Store;

/// Fields of one trace as an event or span states them; absent fields leave the stored ones.
struct TracePatch
{
    QString id;
    std::optional<qint64> ts;
    bool earliestTs = false; ///< ts only moves the trace's time earlier (OTLP spans)
    bool createOnly = false; ///< only creates a missing trace (an observation's implicit one)
    std::optional<QString> name;
    std::optional<QString> userId;
    std::optional<QString> sessionId;
    std::optional<QString> environment;
    std::optional<QString> release;
    std::optional<QString> version;
    std::optional<QString> tags;     ///< JSON array text
    std::optional<QString> metadata; ///< JSON text; objects merge key by key
    std::optional<QString> input;    ///< JSON text
    std::optional<QString> output;   ///< JSON text

    /// Takes every field `later` states (later non-null fields win).
    void merge(const TracePatch &later);
};

/// Fields of one observation as an event or span states them.
struct ObservationPatch
{
    QString id;
    QString traceId;
    std::optional<QString> parentId;
    std::optional<QString> type; ///< SPAN, GENERATION, EVENT
    std::optional<QString> name;
    std::optional<qint64> startMs;
    std::optional<qint64> endMs;
    std::optional<qint64> completionStartMs;
    std::optional<QString> model;
    std::optional<QString> level;
    std::optional<QString> statusMessage;
    std::optional<QString> input;
    std::optional<QString> output;
    std::optional<QString> metadata;
    std::optional<QString> environment;
    std::optional<UsageDetails> usage;
    std::optional<CostNanos> cost; ///< as sent: wins over the price table
    qint64 fallbackMs = 0;         ///< start time of a new row when none is stated

    void merge(const ObservationPatch &later);
};

/// One score, complete.
struct ScoreRecord
{
    QString id;
    std::optional<QString> traceId;
    std::optional<QString> observationId;
    std::optional<QString> sessionId;
    QString name;
    std::optional<double> value;
    std::optional<QString> stringValue;
    QString dataType; ///< NUMERIC, BOOLEAN, CATEGORICAL
    QString source;   ///< API, ANNOTATION, EVAL
    std::optional<QString> comment;
    std::optional<QString> authorUserId;
    qint64 ts = 0;
    std::optional<QString> environment;
};

/// What one request asks the store to take: patches keyed by id (merged in arrival order).
struct IngestBatch
{
    std::vector<TracePatch> traces;
    std::vector<ObservationPatch> observations;
    std::vector<ScoreRecord> scores;

    void add(TracePatch patch);
    void add(ObservationPatch patch);
    void add(ScoreRecord score);
    /// The observation with this id stated earlier in the batch, or nullptr.
    [[nodiscard]] const ObservationPatch *observation(const QString &id) const;
    [[nodiscard]] bool isEmpty() const
    {
        return traces.empty() && observations.empty() && scores.empty();
    }

private:
    QHash<QString, size_t> m_traceIndex;
    QHash<QString, size_t> m_observationIndex;
    QHash<QString, size_t> m_scoreIndex;
};

/// One batch-ingestion event, decoded (and validated) apart from the store.
struct DecodedEvent
{
    enum class Kind { None, Trace, Observation, Score, Log };
    QString id; ///< empty: no usable id (idValue is what was sent)
    QJsonValue idValue;
    QString error; ///< why the event is refused; empty = valid
    Kind kind = Kind::None;
    TracePatch trace;
    ObservationPatch observation;
    ScoreRecord score;
};

/// Validation helpers shared by the batch events and the OTLP decoder.
namespace ingest {
/// A JSON value as stored text: JSON serialisation of anything but null.
[[nodiscard]] std::optional<QString> jsonText(const QJsonValue &value);
/// Text that is JSON stays as it is; other text is stored as a JSON string.
[[nodiscard]] QString jsonTextFromString(const QString &text);
/// ISO 8601 time → ms since the epoch; nullopt when unparsable.
[[nodiscard]] std::optional<qint64> parseTime(const QString &text);
/// usage / usageDetails (Langfuse, OpenAI or Anthropic keys) → input/output/total and other
/// types; total = the sum of the rest when absent. False with a message on bad values.
[[nodiscard]] bool normaliseUsage(const QJsonObject &usage, UsageDetails *out, QString *error);
/// costDetails {input, output, total} in USD → nano-USD; total = input + output when absent.
[[nodiscard]] bool normaliseCost(const QJsonObject &cost, std::optional<CostNanos> *out,
                                 QString *error);
} // namespace ingest

/// Writes ingested traces, observations and scores into the store, one transaction per
/// request: the answer goes out only after the commit (WAL, synchronous=NORMAL: a committed
/// transaction survives a killed process). Keeps the store's invariants: per-trace aggregates
/// recomputed from the raw rows of every touched trace, costs in integer nano-USD, rows changed
/// with INSERT / UPDATE only (the daily rollup triggers see every change), and
/// Store::traceChanged() after the commit so that /users answers with the new rows at once.
///
/// Lives in the server's thread, on the store's own connection.
class Ingestor
{
public:
    explicit Ingestor(Store &store);
    ~Ingestor();
    Q_DISABLE_COPY_MOVE(Ingestor)

    /// How long an event id is remembered for deduplication, and how often older ones go.
    static constexpr qint64 EventIdRetentionMs = 7LL * 24 * 3600 * 1000;
    static constexpr qint64 EventIdPruneIntervalMs = 3600LL * 1000;

    /// Result of POST /api/public/ingestion.
    struct BatchResult
    {
        QJsonArray successes;
        QJsonArray errors;
    };
    /// Validates and writes a batch of events ({id, timestamp, type, body}); events already
    /// seen (by id, persisted) succeed without being applied again. nullopt + error when the
    /// store failed (nothing of the batch was written).
    [[nodiscard]] std::optional<BatchResult> ingestEvents(const QJsonArray &batch, QString *error);
    /// A score body (score-create event, POST /scores) → record; false with a message.
    [[nodiscard]] static bool readScore(const QJsonObject &body, qint64 fallbackMs,
                                        ScoreRecord *score, QString *error);
    /// Writes an already decoded batch (OTLP spans, POST /scores).
    [[nodiscard]] bool write(const IngestBatch &batch, QString *error);

    /// Group commit: begin(), any number of *In() calls collecting the changed trace rows,
    /// then commit() (which brings the in-memory trace columns up to date) or rollback().
    [[nodiscard]] bool begin(QString *error);
    [[nodiscard]] bool commit(const QList<qint64> &changed, QString *error);
    void rollback();
    /// Decodes and validates events; no store access, so any thread may call it.
    [[nodiscard]] static std::vector<DecodedEvent> decodeEvents(const QJsonArray &events);
    /// Dedupes by event id (in the store and within the batch) and writes the valid events.
    [[nodiscard]] std::optional<BatchResult> ingestEventsIn(const std::vector<DecodedEvent> &events,
                                                            QList<qint64> *changed, QString *error);
    [[nodiscard]] bool writeIn(const IngestBatch &batch, QList<qint64> *changed, QString *error);

    /// Observations whose usage no price table entry and no sent cost prices, by model.
    [[nodiscard]] QJsonObject stats(QString *error) const;
    [[nodiscard]] const PriceTable &prices() const { return m_prices; }

private:
    struct Statements;
    [[nodiscard]] bool writeInTransaction(const IngestBatch &batch, const QStringList &eventIds,
                                          QList<qint64> *changedRows, QString *error);
    [[nodiscard]] bool prepare(QString *error);
    [[nodiscard]] bool eventSeen(const QString &id, bool *seen, QString *error);
    [[nodiscard]] bool storedTraceOf(const QString &observationId, QString *traceId,
                                     QString *error);

    Store &m_store;
    PriceTable m_prices;
    std::unique_ptr<Statements> m_statements;
    sqlite3 *m_db = nullptr;  ///< the store's connection, for the write path
    qint64 m_lastPruneMs = 0; ///< when ingested_events was last cut to the retention window
};

} // namespace xeroml::server
