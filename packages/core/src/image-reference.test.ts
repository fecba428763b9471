import { describe, expect, it } from "vitest";
import { isImageReference, requireImageReference } from "./index";

describe("image references", () => {
  it.each([
    "postgres",
    "postgres:16-alpine",
    "quay.io/jordigilh/redis:7-alpine",
    "kindest/node:v1.36.1",
    "localhost/datastorage:0123456789abcdef",
    "localhost:5000/app",
    "registry.example.com:5000/team/app_v2:1.0",
    `postgres@sha256:${"a".repeat(64)}`,
    `postgres:16@sha256:${"a".repeat(64)}`,
    "[::1]:5000/app:latest",
  ])("GIVEN %s THEN it is an image reference", (value) => {
    expect(isImageReference(value)).toBe(true);
  });
  it.each([
    "",
    " ",
    "postgres 16",
    "Postgres:16",
    "kindest/Node:v1",
    "Kindest/node:v1",
    "postgres:",
    "postgres:-16",
    "postgres:16:17",
    `postgres:${"x".repeat(129)}`,
    "postgres@sha256:abc",
    "/postgres",
    "postgres/",
    "quay.io//redis",
    "-postgres",
    "postgres:16\n",
  ])("GIVEN %j THEN it is not", (value) => {
    expect(isImageReference(value)).toBe(false);
  });
  it("GIVEN an upper-case repository WHEN required THEN the error names the field, the value and the grammar", () => {
    expect(() => requireImageReference('Postgres "pg"', "image", "Postgres:16")).toThrow(
      'Postgres "pg": image is "Postgres:16"; expected an image reference such as "postgres:16-alpine": [registry/]repository[:tag][@digest], the repository in lower case, no spaces',
    );
  });
});
