import { CustomResourceDefinitions } from "@e2e-infra/crds";
import { KindCluster } from "@e2e-infra/kind-cluster";
import { join } from "node:path";

const cluster = new KindCluster("cluster", { name: "signalprocessing-e2e" });

// In a stack: join(serviceRepository, "config/crd/bases"), or a list of files.
const crds = new CustomResourceDefinitions("crds", { cluster, paths: [join(__dirname, "..", "test", "fixtures", "crds")] });

// The CRD names, once every one is Established: give it to the controller that watches them.
export const established = crds.ready;
