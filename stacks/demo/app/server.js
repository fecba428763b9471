"use strict";
// The e2e-infra demo service: GET /health (Postgres and Redis answer), GET /visits (counts a
// visit in Redis and records it in Postgres). Configured by libpq's PG* variables and REDIS_ADDR.
const http = require("node:http");
const net = require("node:net");
const { Pool } = require("pg");

const pool = new Pool({ max: 4, connectionTimeoutMillis: 3000 });
const [redisHost, redisPort] = (process.env.REDIS_ADDR || "127.0.0.1:6379").split(":");

/** Sends one command to Redis (RESP) and resolves with its reply: enough for PING and INCR. */
function redis(...args) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: redisHost, port: Number(redisPort) });
    let buffer = "";
    socket.setTimeout(3000, () => socket.destroy(new Error("redis: timeout")));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      if (!buffer.endsWith("\r\n")) return;
      socket.end();
      const type = buffer[0];
      const body = buffer.slice(1, -2);
      if (type === "-") reject(new Error(`redis: ${body}`));
      else resolve(type === ":" ? Number(body) : body);
    });
    socket.write(`*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(String(arg))}\r\n${arg}\r\n`).join(""));
  });
}

async function handle(request) {
  if (request.method === "GET" && request.url === "/health") {
    await pool.query("SELECT 1");
    if ((await redis("PING")) !== "PONG") throw new Error("redis: no PONG");
    return [200, { status: "ok" }];
  }
  if (request.method === "GET" && request.url === "/visits") {
    const visits = await redis("INCR", "demo:visits");
    await pool.query("INSERT INTO visits (visit) VALUES ($1)", [visits]);
    const { rows } = await pool.query("SELECT count(*) AS recorded FROM visits");
    return [200, { visits, recorded: Number(rows[0].recorded) }];
  }
  return [404, { error: "not found" }];
}

const server = http.createServer((request, response) => {
  handle(request)
    .catch((error) => [503, { error: error.message }])
    .then(([status, body]) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body) + "\n");
    });
});
server.listen(Number(process.env.PORT || 8080), () => console.log(`demo listening on ${server.address().port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => pool.end().then(() => process.exit(0))));
