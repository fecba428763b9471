import { claimNodePort } from "@e2e-infra/core";
import { Postgres, type PostgresArgs } from "@e2e-infra/postgres";
import { casesFor, componentCase, type ComponentCatalogue } from "../catalogue";
import { fakeCluster } from "../fakes";

const SERVICE = "expected a DNS-1035 label";
const IMAGE = "expected an image reference";
const IDENTIFIER = "expected a PostgreSQL identifier";
const NODE_PORT = "expected a NodePort from 30000 to 32767";
const SIZE = "expected a size of at least 64Mi as a whole number of Mi, Gi or Ti";

const good = (): PostgresArgs => ({ cluster: fakeCluster(), namespace: "kubernaut-system" });
const { bad, baseline } = casesFor<PostgresArgs>("Postgres", (name, args) => new Postgres(name, args), good, "pg");

/** Postgres: every argument (cluster, namespace, serviceName, image, database, user, password, generatePassword, initSql, nodePort, serverArgs, storageSize). */
export const postgres: ComponentCatalogue = {
  component: "Postgres",
  args: { file: "packages/postgres/src/postgres.ts", type: "PostgresArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("a cluster that is a string", { cluster: "kind-pg" }, "cluster", "kind-pg", "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad(
      "a namespace that is no DNS-1123 label",
      { namespace: "Kubernaut_System" },
      "namespace",
      "Kubernaut_System",
      "expected a namespace",
    ),
    bad("a Service name starting with a digit", { serviceName: "1postgres" }, "serviceName", "1postgres", SERVICE),
    bad("a Service name with upper case and _", { serviceName: "Postgres_DB" }, "serviceName", "Postgres_DB", SERVICE),
    bad("a Service name of 64 characters", { serviceName: "p".repeat(64) }, "serviceName", "p".repeat(64), SERVICE),
    bad("an empty image", { image: "" }, "image", "", IMAGE),
    bad("an image with an upper-case repository", { image: "Postgres:16" }, "image", "Postgres:16", IMAGE),
    bad("an image with a space", { image: "postgres:16 alpine" }, "image", "postgres:16 alpine", IMAGE),
    bad("an image with an empty tag", { image: "postgres:" }, "image", "postgres:", IMAGE),
    bad("a database name with a -", { database: "action-history" }, "database", "action-history", IDENTIFIER),
    bad("an empty database name", { database: "" }, "database", "", IDENTIFIER),
    bad("a user with a space", { user: "slm user" }, "user", "slm user", IDENTIFIER),
    bad("a user of 64 characters", { user: "u".repeat(64) }, "user", "u".repeat(64), IDENTIFIER),
    bad("an empty password", { password: "" }, "password", "", "expected a non-empty password"),
    bad("a password that is a number", { password: 1234 }, "password", 1234, "expected a non-empty password"),
    bad(
      "generatePassword together with password (one would be dropped)",
      { generatePassword: true, password: "x" },
      "generatePassword",
      true,
      "expected either password or generatePassword, not both",
    ),
    bad('generatePassword as the string "true"', { generatePassword: "true" }, "generatePassword", "true", "expected true or false"),
    bad("an empty init SQL", { initSql: "" }, "initSql", "", "expected SQL statements"),
    bad("an init SQL that is a number", { initSql: 42 }, "initSql", 42, "expected SQL statements"),
    bad("a NodePort that is the server port", { nodePort: 5432 }, "nodePort", 5432, NODE_PORT),
    bad("a NodePort given as a string", { nodePort: "30432" }, "nodePort", "30432", NODE_PORT),
    bad("a NodePort that is no integer", { nodePort: 30432.5 }, "nodePort", 30432.5, NODE_PORT),
    componentCase(
      "Postgres",
      "a NodePort another component of the cluster has",
      () => {
        const cluster = fakeCluster();
        claimNodePort('Redis "redis"', "nodePort", cluster, 30432);
        return new Postgres("pg", { cluster, namespace: "kubernaut-system", nodePort: 30432 });
      },
      {
        subject: 'Postgres "pg"',
        field: "nodePort",
        value: "30432",
        valid: 'NodePort 30432 is already used by Redis "redis" nodePort in this cluster',
      },
    ),
    bad("server args as one string", { serverArgs: "-c fsync=off" }, "serverArgs", "-c fsync=off", "expected a list of strings"),
    bad("a server arg that is a number", { serverArgs: ["-c", 1] }, "serverArgs[1]", 1, "expected a string"),
    bad("a storage size without a unit (bytes)", { storageSize: "1073741824" }, "storageSize", "1073741824", SIZE),
    bad("a storage size with a decimal unit", { storageSize: "10G" }, "storageSize", "10G", SIZE),
    bad("a storage size with a fraction", { storageSize: "1.5Gi" }, "storageSize", "1.5Gi", SIZE),
    bad("a storage size too small for initdb", { storageSize: "16Mi" }, "storageSize", "16Mi", SIZE),
    bad("a storage size of zero", { storageSize: "0Gi" }, "storageSize", "0Gi", SIZE),
    bad("a storage size given as a number", { storageSize: 1 }, "storageSize", 1, SIZE),
  ],
};
