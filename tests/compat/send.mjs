// SPDX-License-Identifier: GPL-3.0-or-later
// An application instrumented the way Langfuse's documentation says: @langfuse/tracing spans
// and generations under propagateAttributes({ userId, sessionId }), exported through the
// OpenTelemetry Node SDK by @langfuse/otel's LangfuseSpanProcessor, and a score posted with
// @langfuse/client. It reads LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY
// like any real application, and prints what it sent as one JSON line for run.mjs to check.
//
// usage: node send.mjs batched|immediate
import { LangfuseClient } from "@langfuse/client";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import { propagateAttributes, startActiveObservation, startObservation } from "@langfuse/tracing";
import { DiagConsoleLogger, DiagLogLevel, diag } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

const exportMode = process.argv[2] ?? "batched";
if (exportMode !== "batched" && exportMode !== "immediate")
    throw new Error(`export mode must be batched or immediate, not ${exportMode}`);
for (const name of ["LANGFUSE_BASE_URL", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY"]) {
    if (!process.env[name])
        throw new Error(`set ${name}`);
}

// Export failures must fail the test, not vanish into a log line: the OpenTelemetry SDK
// reports dropped exports only through its diagnostic logger.
const exportErrors = [];
diag.setLogger({
    ...new DiagConsoleLogger(),
    error: (...args) => {
        exportErrors.push(args.map((a) => a?.message ?? String(a)).join(" "));
        console.error("otel error:", ...args);
    },
    warn: (...args) => console.error("otel warning:", ...args),
}, DiagLogLevel.WARN);
const processor = new LangfuseSpanProcessor({ exportMode, flushAt: 7, flushInterval: 1 });
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
provider.register();
const langfuse = new LangfuseClient();

// Users with ids that need care in URLs; each gets traces in one or two sessions, with
// generations whose usage and cost the SDK reports. One generation names a model no price
// table knows and sends no cost: it must count its tokens but add no cost.
const plan = [
    { userId: "alice@example.com", sessions: ["s-alice-1"], traces: 3, scores: [0.9, 0.7] },
    { userId: "bob/with slash & space", sessions: ["s-bob-1", "s-bob-2"], traces: 4, scores: [0.25] },
    { userId: "Zoë 🚀 ünicode", sessions: ["s-zoe-1"], traces: 2, scores: [] },
];
const run = `${Date.now().toString(36)}`;

const sent = { exportMode, users: [], traces: [], scores: [] };
let counter = 0;
const money = (x) => Math.round(x * 1e6) / 1e6;

for (const user of plan) {
    for (let t = 0; t < user.traces; ++t) {
        const n = ++counter;
        const sessionId = `${user.sessions[t % user.sessions.length]}-${run}`;
        const trace = {
            userId: user.userId, sessionId, name: `chat-turn-${n}`, id: "",
            inputTokens: 0, outputTokens: 0, totalCost: 0, observations: 0,
        };
        await startActiveObservation(trace.name, async (root) => {
            trace.id = root.otelSpan.spanContext().traceId;
            trace.observations += 1;
            await propagateAttributes({ userId: user.userId, sessionId }, async () => {
                root.update({ input: { question: `question ${n}` } });
                const generations = 1 + (n % 3);
                for (let g = 0; g < generations; ++g) {
                    const input = 100 * n + 7 * g + 11;
                    const output = 40 * n + 3 * g + 5;
                    const unpriced = n === 5 && g === 0;
                    const cost = unpriced ? null
                        : { input: money(input * 2.5e-6), output: money(output * 1e-5) };
                    const gen = startObservation(`llm-call-${g}`, {
                        model: unpriced ? "compat-test-model-without-price" : "gpt-4o-2024-08-06",
                        input: [{ role: "user", content: `question ${n}.${g}` }],
                    }, { asType: "generation" });
                    gen.update({
                        output: { role: "assistant", content: `answer ${n}.${g}` },
                        usageDetails: { input, output },
                        ...(cost ? { costDetails: { ...cost, total: money(cost.input + cost.output) } } : {}),
                    });
                    gen.end();
                    trace.inputTokens += input;
                    trace.outputTokens += output;
                    if (cost)
                        trace.totalCost += cost.input + cost.output;
                    trace.observations += 1;
                }
                if (n % 2 === 0) {
                    const tool = startObservation("lookup", { input: { q: n } }, { asType: "tool" });
                    tool.update({ output: { hits: n } });
                    tool.end();
                    trace.observations += 1;
                }
                root.update({ output: { answer: `answer ${n}` } });
            });
        });
        trace.totalCost = money(trace.totalCost);
        sent.traces.push(trace);
        // "immediate" is for serverless functions, which flush at the end of each request
        // (Langfuse's advice); without that, spans made faster than the exporter's 30
        // concurrent requests drain are dropped by the SDK ("Concurrent export limit reached").
        if (exportMode === "immediate")
            await processor.forceFlush();
    }
}

// Spans first, so that the scores below name traces the server has.
try {
    await processor.forceFlush();
} catch (e) {
    exportErrors.push(String(e));
}

const userTraces = (id) => sent.traces.filter((t) => t.userId === id);
for (const user of plan) {
    user.scores.forEach((value, i) => {
        const trace = userTraces(user.userId)[i];
        langfuse.score.create({ traceId: trace.id, name: "helpfulness", value, comment: `compat ${i}` });
        sent.scores.push({ userId: user.userId, traceId: trace.id, name: "helpfulness", value });
    });
}
await langfuse.score.flush();
await langfuse.shutdown?.();
try {
    await provider.shutdown();
} catch (e) {
    exportErrors.push(String(e));
}

for (const user of plan) {
    const traces = userTraces(user.userId);
    const scores = sent.scores.filter((s) => s.userId === user.userId);
    const inputTokens = traces.reduce((a, t) => a + t.inputTokens, 0);
    const outputTokens = traces.reduce((a, t) => a + t.outputTokens, 0);
    sent.users.push({
        userId: user.userId,
        totalTraces: traces.length,
        totalSessions: new Set(traces.map((t) => t.sessionId)).size,
        totalObservations: traces.reduce((a, t) => a + t.observations, 0),
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        totalCost: money(traces.reduce((a, t) => a + t.totalCost, 0)),
        scoreCount: scores.length,
        averageScore: scores.length ? scores.reduce((a, s) => a + s.value, 0) / scores.length : null,
    });
}
sent.exportErrors = exportErrors;
process.stdout.write(`SENT ${JSON.stringify(sent)}\n`);
