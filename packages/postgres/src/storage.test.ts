import { describe, expect, it } from "vitest";
import { dataClaimName, requireStorageSize } from "./storage";

describe("data volume size and claim name", () => {
  it.each(["64Mi", "512Mi", "1Gi", "20Gi", "1Ti"])("GIVEN %s THEN it is accepted as written", (size) => {
    expect(requireStorageSize('Postgres "pg"', "storageSize", size)).toBe(size);
  });

  it.each<[unknown]>([["63Mi"], ["0Gi"], ["01Gi"], ["1.5Gi"], ["1G"], ["1gi"], ["1e9"], [" 1Gi"], [""], [null], [1024]])(
    "GIVEN %j THEN it is refused naming the field, the value and what is valid",
    (size) => {
      expect(() => requireStorageSize('Postgres "pg"', "storageSize", size)).toThrow(
        `Postgres "pg": storageSize is ${JSON.stringify(size)}; expected a size of at least 64Mi as a whole number of Mi, Gi or Ti, e.g. "1Gi"`,
      );
    },
  );

  it("GIVEN a size THEN the claim is named after the Service and the size; another size is another claim, also for a long Service name", () => {
    expect(dataClaimName("postgresql", "1Gi")).toBe("postgresql-data-1gi");
    expect(dataClaimName("postgresql", "1024Mi")).toBe("postgresql-data-1024mi");
    const long = "p".repeat(63);
    expect(dataClaimName(long, "1Gi")).toHaveLength(63);
    expect(dataClaimName(long, "1Gi")).not.toBe(dataClaimName(long, "2Gi"));
  });
});
