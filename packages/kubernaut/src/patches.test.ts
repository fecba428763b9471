import { describe, expect, it } from "vitest";
import { withConfigFile } from "./index";

describe("withConfigFile", () => {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "remediationorchestrator-config" },
    data: { "remediationorchestrator.yaml": "timeouts:\n  global: 1h\n", other: "kept" },
  };

  it("GIVEN a setting the chart's values cannot say THEN it is written into the file, beside the file's own, the other files kept", () => {
    const patched = withConfigFile(configMap, "remediationorchestrator.yaml", (config) => ({
      ...config,
      timeouts: { ...(config["timeouts"] as object), awaitingApproval: "3s" },
    }));
    expect(patched["data"]).toStrictEqual({
      "remediationorchestrator.yaml": "timeouts:\n  global: 1h\n  awaitingApproval: 3s\n",
      other: "kept",
    });
    expect(configMap.data["remediationorchestrator.yaml"]).toBe("timeouts:\n  global: 1h\n");
  });

  it("GIVEN a file the ConfigMap does not have THEN it says which it has", () => {
    expect(() => withConfigFile(configMap, "config.yaml", (config) => config)).toThrow(
      "ConfigMap has no file config.yaml; it has remediationorchestrator.yaml, other",
    );
  });
});
