import { capturedResource, ResourceGraph, type CapturedResource } from "@e2e-infra/testing";
import { describe, expect, it } from "vitest";
import { phasedSchedule, schedule, sequentialSeconds, tasksOf } from "./index";

const t = (id: string, seconds: number, dependsOn: string[] = []) => ({ id, seconds, dependsOn });
const times = (result: ReturnType<typeof schedule>) =>
  Object.fromEntries(result.tasks.map((task) => [task.id, [task.start, task.finish, task.slack]]));

describe("schedule", () => {
  it("GIVEN a chain THEN one after another, all critical", () => {
    const result = schedule([t("a", 2), t("b", 3, ["a"]), t("c", 1, ["b"])], 8);
    expect(result.seconds).toBe(6);
    expect(times(result)).toStrictEqual({ a: [0, 2, 0], b: [2, 5, 0], c: [5, 6, 0] });
    expect(result.criticalPath).toStrictEqual(["a", "b", "c"]);
  });

  it("GIVEN a diamond THEN the branches run at once and the short one has slack", () => {
    const result = schedule([t("top", 1), t("long", 5, ["top"]), t("short", 2, ["top"]), t("bottom", 1, ["long", "short"])], 8);
    expect(result.seconds).toBe(7);
    expect(times(result)).toStrictEqual({ top: [0, 1, 0], long: [1, 6, 0], short: [1, 3, 3], bottom: [6, 7, 0] });
    expect(result.criticalPath).toStrictEqual(["top", "long", "bottom"]);
    expect(sequentialSeconds([t("top", 1), t("long", 5, ["top"]), t("short", 2, ["top"]), t("bottom", 1, ["long", "short"])])).toBe(9);
  });

  it("GIVEN a wide fan-out THEN the parallel limit decides: 1 runs them in turn, 2 in pairs", () => {
    const tasks = [t("root", 1), ...["a", "b", "c", "d"].map((id) => t(id, 2, ["root"]))];
    const one = schedule(tasks, 1);
    expect(one.seconds).toBe(9);
    expect(times(one)).toMatchObject({ a: [1, 3, 0], b: [3, 5, 0], c: [5, 7, 0], d: [7, 9, 0] });
    const two = schedule(tasks, 2);
    expect(two.seconds).toBe(5);
    expect(times(two)).toMatchObject({ a: [1, 3, 0], b: [1, 3, 0], c: [3, 5, 0], d: [3, 5, 0] });
    expect(two.criticalPath).toStrictEqual(["root", "a", "c"]);
  });

  it("GIVEN barrier phases THEN a task waits for the whole phase before it, with or without a real edge", () => {
    const tasks = [t("build", 10), t("cluster", 3), t("load", 1, ["build", "cluster"]), t("db", 5, ["cluster"])];
    expect(schedule(tasks, 8).seconds).toBe(11);
    const phased = phasedSchedule(tasks, 8, (task) => ({ build: 0, cluster: 1, load: 2, db: 2 })[task.id]!);
    expect(phased.seconds).toBe(18);
  });

  it("GIVEN a cycle or a bad limit THEN it says so", () => {
    expect(() => schedule([t("a", 1, ["b"]), t("b", 1, ["a"])], 2)).toThrow("dependency cycle: a -> b -> a");
    expect(() => schedule([t("a", 1)], 0)).toThrow("parallel must be a positive integer, got 0");
  });
});

describe("tasksOf a captured graph", () => {
  const resource = (name: string, extra: Partial<CapturedResource> = {}) => capturedResource(`urn:${name}`, "t:T", name, extra);

  it("GIVEN a resource that depends on a component whose children finish at different times THEN it starts when the last child is done", () => {
    const graph = new ResourceGraph("p", "s", [
      resource("comp", { custom: false }),
      resource("fast", { parent: "urn:comp" }),
      resource("slow", { parent: "urn:comp" }),
      resource("user", { dependencies: ["urn:comp"] }),
    ]);
    const profile = { defaultSeconds: 1, rules: [{ name: "^slow$", seconds: 7, source: "test" }] };
    const tasks = tasksOf(graph, profile);
    expect(tasks.find((task) => task.id === "user")!.dependsOn.sort()).toStrictEqual(["fast", "slow"]);
    const result = schedule(tasks, 8);
    expect(times(result)["user"]).toStrictEqual([7, 8, 0]);
    expect(result.criticalPath).toStrictEqual(["slow", "user"]);
  });
});
