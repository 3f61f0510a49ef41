// SPDX-License-Identifier: GPL-3.0-or-later
// A recording proxy for run.mjs (COMPAT_CAPTURE_DIR): forwards each request to the server as
// it came (method, path, headers including Transfer-Encoding / Content-Encoding, body) and
// writes it to DIR as NNN-METHOD-path.txt (headers, status, reply) and NNN-…-body.json
// (the body, gunzipped when it was gzip), so people can see exactly what an SDK sends.
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export function startCapture(targetUrl, dir) {
    mkdirSync(dir, { recursive: true });
    const target = new URL(targetUrl);
    let n = 0;
    const proxy = createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const stem = `${String(++n).padStart(3, "0")}-${req.method}-${req.url.split("?")[0].replace(/[^A-Za-z0-9]+/g, "_")}`;
            const headers = { ...req.headers, host: target.host };
            const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (reply) => {
                const replyChunks = [];
                reply.on("data", (c) => replyChunks.push(c));
                reply.on("end", () => {
                    const replyBody = Buffer.concat(replyChunks);
                    let readable = body;
                    try {
                        if (/gzip/i.test(req.headers["content-encoding"] ?? ""))
                            readable = gunzipSync(body);
                    } catch {
                        // keep the raw bytes
                    }
                    writeFileSync(join(dir, `${stem}.txt`),
                        `${req.method} ${req.url} HTTP/${req.httpVersion}\n` +
                        Object.entries(req.headers).map(([k, v]) => `${k}: ${k === "authorization" ? "(hidden)" : v}`).join("\n") +
                        `\n\nbody: ${body.length} bytes on the wire (chunks as received: ${chunks.length})\n\n` +
                        `reply: HTTP ${reply.statusCode}\n${replyBody.toString("utf8").slice(0, 20000)}\n`);
                    writeFileSync(join(dir, `${stem}-body.json`), readable);
                    res.writeHead(reply.statusCode, reply.headers);
                    res.end(replyBody);
                });
            });
            out.on("error", (e) => {
                res.writeHead(502);
                res.end(String(e));
            });
            out.end(body);
        });
    });
    return new Promise((resolve) => {
        proxy.listen(0, "127.0.0.1", () => {
            resolve({ url: `http://127.0.0.1:${proxy.address().port}`, close: () => proxy.close() });
        });
    });
}
