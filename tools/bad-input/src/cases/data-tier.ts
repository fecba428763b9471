import { DataTier, type DataTierArgs } from "@e2e-infra/stack-kit";
import { join } from "node:path";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { CHECKOUT, fakeCluster, fakeKindTarget, files } from "../fakes";

// A cluster both in-cluster components and image loads take (a KindCluster is both).
const good = (): DataTierArgs =>
  ({ cluster: { ...fakeCluster(), ...fakeKindTarget() }, namespace: "kubernaut-system", repository: CHECKOUT }) as unknown as DataTierArgs;
const { bad, baseline } = casesFor<DataTierArgs>("DataTier", (name, args) => new DataTier(name, args), good, "data");
const NODE_PORT = "expected a NodePort from 30000 to 32767";

/** DataTier (stack-kit): every argument (cluster, namespace, repository, dataStorageNodePort, postgresNodePort, migrations, coverage). */
export const dataTier: ComponentCatalogue = {
  component: "DataTier",
  args: { file: "packages/stack-kit/src/environment.ts", type: "DataTierArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad(
      "a repository that does not exist",
      { repository: join(files.dir, "kubernaut") },
      "repository",
      join(files.dir, "kubernaut"),
      "expected a checkout of the service repository",
    ),
    bad(
      "a repository without the DataStorage Dockerfile",
      { repository: files.dir },
      "repository",
      files.dir,
      "it has no docker/data-storage.Dockerfile",
    ),
    bad("a DataStorage NodePort outside the range", { dataStorageNodePort: 8081 }, "dataStorageNodePort", 8081, NODE_PORT),
    bad("a Postgres NodePort given as a string", { postgresNodePort: "30432" }, "postgresNodePort", "30432", NODE_PORT),
    bad(
      "the Postgres NodePort DataStorage has",
      { postgresNodePort: 30081 },
      "postgresNodePort",
      30081,
      "NodePort 30081 is already used by",
    ),
    bad("migrations as one string", { migrations: "013" }, "migrations", "013", "expected a list of migration file names or versions"),
    bad('coverage as the string "true"', { coverage: "true" }, "coverage", "true", "expected true or false"),
  ],
};
