/**
 * Runs `work`; when it takes over a second, says on stderr what is going on, and when it ended.
 * A sign of life for graph and plan, which load and run a whole stack program.
 */
export async function withProgress<T>(stderr: NodeJS.WritableStream, label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let shown = false;
  const timer = setTimeout(() => {
    shown = true;
    stderr.write(`e2e-infra: ${label} ...\n`);
  }, 1000);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (shown) stderr.write(`e2e-infra: ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
