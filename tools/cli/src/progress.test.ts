import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withProgress } from "./progress";

function sink() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe("withProgress", () => {
  afterEach(() => vi.useRealTimers());

  it("GIVEN work over a second THEN one line when it passes a second and one with its duration when it ends", async () => {
    vi.useFakeTimers();
    const err = sink();
    let finish: (value: string) => void = () => {};
    const running = withProgress(
      err.stream,
      "graph: running demo-e2e's program",
      () => new Promise<string>((resolve) => (finish = resolve)),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(err.text()).toBe("");
    await vi.advanceTimersByTimeAsync(1);
    expect(err.text()).toBe("e2e-infra: graph: running demo-e2e's program ...\n");
    await vi.advanceTimersByTimeAsync(2500);
    finish("done");
    await expect(running).resolves.toBe("done");
    expect(err.text()).toBe("e2e-infra: graph: running demo-e2e's program ...\ne2e-infra: graph: running demo-e2e's program: 3.5 s\n");
  });

  it("GIVEN work under a second THEN nothing on stderr, and a failure passes through", async () => {
    const err = sink();
    await expect(withProgress(err.stream, "plan", () => Promise.resolve(1))).resolves.toBe(1);
    await expect(withProgress(err.stream, "plan", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(err.text()).toBe("");
  });
});
