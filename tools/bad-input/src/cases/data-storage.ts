import { claimNodePort } from "@e2e-infra/core";
import { DataStorage, type DataStorageArgs } from "@e2e-infra/data-storage";
import { casesFor, componentCase, type ComponentCatalogue } from "../catalogue";
import { fakeCluster, fakeImage, fakeMigrations, fakePostgres, fakeRedis } from "../fakes";

const good = (): DataStorageArgs =>
  ({
    cluster: fakeCluster(),
    namespace: "kubernaut-system",
    image: fakeImage(),
    database: fakePostgres(),
    redis: fakeRedis(),
    migrations: fakeMigrations(),
  }) as unknown as DataStorageArgs;
const { bad, baseline } = casesFor<DataStorageArgs>("DataStorage", (name, args) => new DataStorage(name, args), good, "ds");
const NODE_PORT = "expected a NodePort from 30000 to 32767";

/** DataStorage: every argument (cluster, namespace, image, database, redis, migrations, nodePort, serviceName, logLevel, coverage, pinToControlPlane). */
export const dataStorage: ComponentCatalogue = {
  component: "DataStorage",
  args: { file: "packages/data-storage/src/data-storage.ts", type: "DataStorageArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad("a namespace with a dot", { namespace: "kubernaut.system" }, "namespace", "kubernaut.system", "expected a namespace"),
    bad("no image", { image: undefined }, "image", undefined, "expected an ImageBuildLoad"),
    bad(
      "an image reference instead of an ImageBuildLoad",
      { image: "localhost/datastorage:1" },
      "image",
      "localhost/datastorage:1",
      "expected an ImageBuildLoad",
    ),
    bad("no database", { database: undefined }, "database", undefined, "expected a Postgres component"),
    bad("no Redis", { redis: undefined }, "redis", undefined, "expected a Redis component"),
    bad("a Redis address instead of the component", { redis: "redis:6379" }, "redis", "redis:6379", "expected a Redis component"),
    bad("no migrations", { migrations: undefined }, "migrations", undefined, "expected a Migrations component"),
    bad("a NodePort outside the range", { nodePort: 8080 }, "nodePort", 8080, NODE_PORT),
    bad("a NodePort given as a string", { nodePort: "30081" }, "nodePort", "30081", NODE_PORT),
    componentCase(
      "DataStorage",
      "a NodePort another component of the cluster has",
      () => {
        const cluster = fakeCluster();
        claimNodePort('ServiceDeployment "app"', "ports[0].nodePort", cluster, 30081);
        return new DataStorage("ds", { ...good(), cluster });
      },
      { subject: 'DataStorage "ds"', field: "nodePort", value: "30081", valid: "NodePort 30081 is already used by" },
    ),
    bad(
      "a Service name starting with a digit",
      { serviceName: "1datastorage" },
      "serviceName",
      "1datastorage",
      "expected a DNS-1035 label",
    ),
    bad("a Service name in camel case", { serviceName: "dataStorage" }, "serviceName", "dataStorage", "expected a DNS-1035 label"),
    bad("a log level in upper case", { logLevel: "DEBUG" }, "logLevel", "DEBUG", "expected one of debug, info, warn, error"),
    bad("a log level that is a number", { logLevel: 3 }, "logLevel", 3, "expected one of debug, info, warn, error"),
    bad('coverage as the string "true" (would be off)', { coverage: "true" }, "coverage", "true", "expected true or false"),
    bad('coverage as the string "false"', { coverage: "false" }, "coverage", "false", "expected true or false"),
    bad(
      'pinToControlPlane as the string "false" (would pin)',
      { pinToControlPlane: "false" },
      "pinToControlPlane",
      "false",
      "expected true or false",
    ),
  ],
};
