import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hermeticPath, SCRIPT_UTILITIES } from "./hermetic-path";

/** A server started for a test on 127.0.0.1; stop() ends it. */
export interface LocalServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface LocalPostgres extends LocalServer {
  /** The superuser ("postgres"), trusted on loopback: no password. */
  user: string;
  /** libpq variables for psql and friends: PGHOST, PGPORT, PGUSER, PGDATABASE. */
  env: Record<string, string>;
  /** Runs SQL with psql (ON_ERROR_STOP) and returns stdout; throws with psql's stderr on failure. */
  psql(sql: string, database?: string): string;
  /**
   * A PATH for a script run against this server: the script utilities and Debian's psql and
   * pg_isready, nothing else of this machine's (hermeticPath).
   */
  scriptPath(): string;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version === undefined) throw new Error("PostgreSQL is not installed (looked in /usr/lib/postgresql; apt-get install postgresql)");
  return join(root, version, "bin");
}

/** Spawn options that run a process as the postgres user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function waitFor(what: string, ready: () => boolean, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${what} was not ready within 20 s: ${log()}`);
}

function stopper(child: ChildProcess, signal: NodeJS.Signals): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });
}

/**
 * Starts a real PostgreSQL (Debian's `postgresql` package) in a fresh data directory, on a free
 * loopback port, with trust authentication, fsync off and minimal WAL. For tests that run SQL for
 * real. stop() ends it and removes its data directory (a migrated schema leaves hundreds of MB).
 */
export async function startPostgres(): Promise<LocalPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "e2e-infra-pg-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    return await runPostgres(bin, dir, remove);
  } catch (error) {
    remove();
    throw error;
  }
}

async function runPostgres(bin: string, dir: string, remove: () => void): Promise<LocalPostgres> {
  const user = asPostgres();
  if (user.uid !== undefined && user.gid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const init = spawnSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"], {
    encoding: "utf8",
    cwd: dir,
    ...user,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  const port = await freePort();
  const args = [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "wal_level=minimal",
    "-c",
    "max_wal_senders=0",
    "-c",
    "max_wal_size=64MB",
    "-c",
    "min_wal_size=32MB",
  ];
  let output = "";
  const child = spawn(join(bin, "postgres"), args, { stdio: ["ignore", "pipe", "pipe"], cwd: dir, ...user });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const env = { PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: "postgres", PGDATABASE: "postgres" };
  await waitFor(
    "postgres",
    () => spawnSync("pg_isready", ["--quiet", "-h", "127.0.0.1", "-p", String(port)]).status === 0,
    child,
    () => output,
  );
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    env,
    psql(sql: string, database = "postgres"): string {
      const result = spawnSync("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database], {
        input: sql,
        encoding: "utf8",
        env: { ...process.env, ...env },
      });
      if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
      return result.stdout;
    },
    scriptPath: () => hermeticPath({ utilities: [...SCRIPT_UTILITIES, "psql", "pg_isready"] }),
    stop: async () => {
      await stopper(child, "SIGINT")();
      remove();
    },
  };
}

/** Starts a real redis-server (Debian's `redis-server` package) on a free loopback port, without persistence. */
export async function startRedis(extraArgs: string[] = []): Promise<LocalServer> {
  if (spawnSync("redis-server", ["--version"]).error !== undefined) {
    throw new Error("redis-server is not installed (looked for it on PATH; apt-get install redis-server)");
  }
  const port = await freePort();
  let output = "";
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    "redis-server",
    () => output.includes("Ready to accept connections"),
    child,
    () => output,
  );
  return { host: "127.0.0.1", port, stop: stopper(child, "SIGTERM") };
}
