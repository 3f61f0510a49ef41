// SPDX-License-Identifier: GPL-3.0-or-later
// The real-client test (ctest tst_compat_langfuse_js_*): starts the real xeroml-server on a
// free port with a fresh database and its own key pair, runs send.mjs (the Langfuse JS SDKs)
// against it through LANGFUSE_BASE_URL / LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, then
// reads /api/public/users, /traces?userId= and /v2/scores?userId= back and compares them
// with what send.mjs says it sent. Exit 0 only when every figure matches.
//
// usage: node run.mjs PATH/TO/xeroml-server batched|immediate
// COMPAT_CAPTURE_DIR=DIR: the SDK talks to a recording proxy in front of the server, which
// writes every request (method, path, headers, body) to DIR for people to read.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCapture } from "./capture.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [serverBinary, exportMode = "batched"] = process.argv.slice(2);
const failures = [];
const fail = (message) => failures.push(message);

function die(message) {
    process.stderr.write(`FAIL: ${message}\n`);
    process.exit(1);
}

if (!serverBinary || !existsSync(serverBinary))
    die(`usage: node run.mjs PATH/TO/xeroml-server batched|immediate (got "${serverBinary ?? ""}")`);
for (const pkg of ["@langfuse/tracing", "@langfuse/otel", "@langfuse/client", "@opentelemetry/sdk-trace-node"]) {
    if (!existsSync(join(here, "node_modules", pkg, "package.json")))
        die(`the npm package ${pkg} is not installed in ${here}/node_modules: run scripts/setup.sh ` +
            `(or "npm ci" in tests/compat) before this test`);
}

const work = mkdtempSync(join(tmpdir(), "xeroml-compat-"));
const publicKey = `pk-compat-${randomBytes(6).toString("hex")}`;
const secretKey = `sk-compat-${randomBytes(18).toString("hex")}`;
let server;
let capture;

function cleanUp() {
    if (server && server.exitCode === null)
        server.kill("SIGTERM");
    capture?.close();
    rmSync(work, { recursive: true, force: true });
}

// Starts xeroml-server and resolves with its base URL once it prints where it listens.
function startServer() {
    return new Promise((resolve, reject) => {
        server = spawn(serverBinary, [
            "--db", join(work, "compat.sqlite"), "--listen", "127.0.0.1:0",
            "--public-key", publicKey, "--secret-key-env", "XEROML_COMPAT_SECRET",
        ], { env: { ...process.env, XEROML_COMPAT_SECRET: secretKey }, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`xeroml-server did not start in 30 s: ${err}`)), 30000);
        server.stdout.on("data", (chunk) => {
            out += chunk;
            const m = out.match(/listening on (http:\/\/\S+)/);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        });
        server.stderr.on("data", (chunk) => {
            err += chunk;
            process.stderr.write(chunk);
        });
        server.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`xeroml-server exited with ${code} before listening: ${err}`));
        });
    });
}

function runSender(baseUrl) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(here, "send.mjs"), exportMode], {
            cwd: here,
            env: {
                ...process.env,
                LANGFUSE_BASE_URL: baseUrl,
                LANGFUSE_PUBLIC_KEY: publicKey,
                LANGFUSE_SECRET_KEY: secretKey,
            },
            stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error("send.mjs did not finish in 60 s"));
        }, 60000);
        child.stdout.on("data", (chunk) => { out += chunk; });
        child.on("exit", (code) => {
            clearTimeout(timer);
            const line = out.split("\n").find((l) => l.startsWith("SENT "));
            if (code !== 0 || !line)
                return reject(new Error(`send.mjs exited with ${code}: ${out}`));
            resolve(JSON.parse(line.slice(5)));
        });
    });
}

const auth = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString("base64")}`;
async function get(baseUrl, path) {
    const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: auth } });
    const text = await response.text();
    if (!response.ok)
        throw new Error(`GET ${path}: HTTP ${response.status}: ${text}`);
    return JSON.parse(text);
}

// Every page of a paged endpoint.
async function getAll(baseUrl, path) {
    const rows = [];
    for (let page = 1; ; ++page) {
        const sep = path.includes("?") ? "&" : "?";
        const body = await get(baseUrl, `${path}${sep}page=${page}&limit=100`);
        rows.push(...body.data);
        if (page >= (body.meta?.totalPages ?? 1))
            return rows;
    }
}

const close = (a, b) => Math.abs(a - b) <= 1e-9 + 1e-6 * Math.abs(b);
function expectEqual(what, actual, expected) {
    const same = typeof expected === "number" && typeof actual === "number" ? close(actual, expected)
        : actual === expected;
    if (!same)
        fail(`${what}: expected ${JSON.stringify(expected)}, the server says ${JSON.stringify(actual)}`);
}

async function check(baseUrl, sent) {
    const users = await getAll(baseUrl, "/api/public/users?orderBy=userId.asc");
    expectEqual("number of users in /api/public/users", users.length, sent.users.length);
    for (const expected of sent.users) {
        const row = users.find((u) => u.userId === expected.userId);
        if (!row) {
            fail(`/api/public/users has no row for "${expected.userId}" (has: ${users.map((u) => u.userId).join(", ")})`);
            continue;
        }
        for (const field of ["totalTraces", "totalSessions", "totalObservations", "inputTokens",
            "outputTokens", "totalTokens", "totalCost", "scoreCount", "averageScore"])
            expectEqual(`/users "${expected.userId}" ${field}`, row[field], expected[field]);

        const q = encodeURIComponent(expected.userId);
        const traces = await getAll(baseUrl, `/api/public/traces?userId=${q}`);
        const mine = sent.traces.filter((t) => t.userId === expected.userId);
        expectEqual(`/traces?userId=${expected.userId} count`, traces.length, mine.length);
        for (const t of mine) {
            const got = traces.find((x) => x.id === t.id);
            if (!got) {
                fail(`/traces?userId=${expected.userId} lacks trace ${t.id} (${t.name}); ids: ${traces.map((x) => x.id).join(", ")}`);
                continue;
            }
            expectEqual(`trace ${t.name} name`, got.name, t.name);
            expectEqual(`trace ${t.name} userId`, got.userId, t.userId);
            expectEqual(`trace ${t.name} sessionId`, got.sessionId, t.sessionId);
            expectEqual(`trace ${t.name} inputTokens`, got.inputTokens, t.inputTokens);
            expectEqual(`trace ${t.name} outputTokens`, got.outputTokens, t.outputTokens);
            expectEqual(`trace ${t.name} totalTokens`, got.totalTokens, t.inputTokens + t.outputTokens);
            expectEqual(`trace ${t.name} totalCost`, got.totalCost, t.totalCost);
            expectEqual(`trace ${t.name} observationCount`, got.observationCount, t.observations);
        }

        const scores = await getAll(baseUrl, `/api/public/v2/scores?userId=${q}`);
        const sentScores = sent.scores.filter((s) => s.userId === expected.userId);
        expectEqual(`/v2/scores?userId=${expected.userId} count`, scores.length, sentScores.length);
        for (const s of sentScores) {
            const got = scores.find((x) => x.traceId === s.traceId && x.name === s.name);
            if (!got) {
                fail(`/v2/scores?userId=${expected.userId} lacks the score on trace ${s.traceId}`);
                continue;
            }
            expectEqual(`score on ${s.traceId} value`, got.value, s.value);
            expectEqual(`score on ${s.traceId} dataType`, got.dataType, "NUMERIC");
        }
    }
}

try {
    const serverUrl = await startServer();
    let sdkUrl = serverUrl;
    if (process.env.COMPAT_CAPTURE_DIR) {
        capture = await startCapture(serverUrl, process.env.COMPAT_CAPTURE_DIR);
        sdkUrl = capture.url;
    }
    const started = Date.now();
    const sent = await runSender(sdkUrl);
    process.stdout.write(`sent ${sent.traces.length} traces and ${sent.scores.length} scores for ` +
        `${sent.users.length} users (${exportMode}) in ${Date.now() - started} ms\n`);
    for (const e of sent.exportErrors)
        fail(`the SDK reported an export error: ${e}`);
    // An acknowledged trace shows on the next request: no waiting, no retries.
    await check(serverUrl, sent);
    if (failures.length === 0)
        process.stdout.write("every figure matches what the SDKs sent\n");
} catch (e) {
    fail(e.stack ?? String(e));
} finally {
    cleanUp();
}
for (const f of failures)
    process.stderr.write(`FAIL: ${f}\n`);
process.exit(failures.length ? 1 : 0);
