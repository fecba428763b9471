import { describe, expect, it } from "vitest";
import { requireHostPath, requireNodeCrypto, requireServices, requireValidity, serviceDnsNames } from "./spec";

describe("spec", () => {
  it("GIVEN a service and a namespace THEN its DNS names in the Go setup's order", () => {
    expect(serviceDnsNames("gateway-service", "gw")).toStrictEqual([
      "localhost",
      "gateway-service",
      "gateway-service.gw",
      "gateway-service.gw.svc",
      "gateway-service.gw.svc.cluster.local",
    ]);
  });

  it("GIVEN no validity THEN a year, renewed 30 days before; GIVEN a short validity THEN renewed in its last third", () => {
    expect(requireValidity("X", {})).toStrictEqual({ validityDays: 365, renewBeforeDays: 30 });
    expect(requireValidity("X", { validityDays: 30 })).toStrictEqual({ validityDays: 30, renewBeforeDays: 10 });
    expect(requireValidity("X", { validityDays: 1 })).toStrictEqual({ validityDays: 1, renewBeforeDays: 0 });
    expect(requireValidity("X", { validityDays: 90, renewBeforeDays: 7 })).toStrictEqual({ validityDays: 90, renewBeforeDays: 7 });
    expect(() => requireValidity("X", { validityDays: "365" })).toThrow(
      'X: validityDays is "365"; expected a whole number of days from 1 to 3650',
    );
  });

  it("GIVEN this Node THEN it can sign; GIVEN a Node whose KeyObject has no toCryptoKey (before 22.10) THEN an error naming its version and the one needed", () => {
    expect(() => requireNodeCrypto("X")).not.toThrow();
    expect(() => requireNodeCrypto('TlsCertificate "ca"', {}, "v20.19.0")).toThrow(
      'TlsCertificate "ca": Node.js v20.19.0 cannot sign certificates (no KeyObject.toCryptoKey); Node.js 22.12 or newer is needed',
    );
  });

  it("GIVEN names and objects THEN each service with its Secret name", () => {
    expect(requireServices("X", ["dex", { serviceName: "data-storage-service", secretName: "datastorage-tls" }])).toStrictEqual([
      { serviceName: "dex", secretName: "dex-tls" },
      { serviceName: "data-storage-service", secretName: "datastorage-tls" },
    ]);
    expect(() => requireServices("X", [null])).toThrow("X: services[0] is null; expected a service name or { serviceName, secretName }");
    expect(() => requireServices("X", "dex")).toThrow('X: services is "dex"; expected a non-empty list');
  });

  it("GIVEN host paths THEN absolute and ~/ paths pass, others fail", () => {
    expect(requireHostPath("X", "caFile", "/a/b.pem")).toBe("/a/b.pem");
    expect(requireHostPath("X", "caFile", "~/.kube/ca.pem")).toBe("~/.kube/ca.pem");
    for (const bad of ["b.pem", "~user/b.pem", "/a/\nb.pem", "~/", ""])
      expect(() => requireHostPath("X", "caFile", bad)).toThrow("X: caFile is");
  });
});
