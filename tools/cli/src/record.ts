import { createInterface } from "node:readline";

/**
 * Copies engine events (JSON lines, e.g. `pulumi up --json` or `tail -f` of an --event-log) from
 * `input` to `output`, adding `receivedAt`: milliseconds since the epoch when the line arrived.
 * The engine's own `timestamp` is in whole seconds; this gives the timeline sub-second steps.
 */
export async function record(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, now: () => number = Date.now): Promise<number> {
  let count = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      const event = JSON.parse(trimmed) as Record<string, unknown>;
      output.write(JSON.stringify({ ...event, receivedAt: now() }) + "\n");
      count += 1;
    } catch {
      // Not an event (the CLI's own progress text); skip it.
    }
  }
  return count;
}
