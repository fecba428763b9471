import { Redis, type RedisArgs } from "@e2e-infra/redis";
import { casesFor, type ComponentCatalogue } from "../catalogue";
import { fakeCluster } from "../fakes";

const SERVICE = "expected a DNS-1035 label";
const IMAGE = "expected an image reference";
const NODE_PORT = "expected a NodePort from 30000 to 32767";

const good = (): RedisArgs => ({ cluster: fakeCluster(), namespace: "kubernaut-system" });
const { bad, baseline } = casesFor<RedisArgs>("Redis", (name, args) => new Redis(name, args), good, "redis");

/** Redis: every argument (cluster, namespace, serviceName, image, nodePort). */
export const redis: ComponentCatalogue = {
  component: "Redis",
  args: { file: "packages/redis/src/redis.ts", type: "RedisArgs" },
  baseline,
  cases: [
    bad("no cluster", { cluster: undefined }, "cluster", undefined, "expected a cluster"),
    bad("no namespace", { namespace: undefined }, "namespace", undefined, "expected a namespace"),
    bad("a namespace with a space", { namespace: "kubernaut system" }, "namespace", "kubernaut system", "expected a namespace"),
    bad("a namespace that is a number", { namespace: 7 }, "namespace", 7, "expected a namespace"),
    bad("a Service name starting with a digit", { serviceName: "6redis" }, "serviceName", "6redis", SERVICE),
    bad("a Service name in upper case", { serviceName: "Redis" }, "serviceName", "Redis", SERVICE),
    bad("an empty image", { image: "" }, "image", "", IMAGE),
    bad("an image with an upper-case repository", { image: "quay.io/jordigilh/Redis:7" }, "image", "quay.io/jordigilh/Redis:7", IMAGE),
    bad("an image with a space", { image: "quay.io/jordigilh/redis:7 alpine" }, "image", "quay.io/jordigilh/redis:7 alpine", IMAGE),
    bad("an image with an empty tag", { image: "quay.io/jordigilh/redis:" }, "image", "quay.io/jordigilh/redis:", IMAGE),
    bad("a NodePort that is the server port", { nodePort: 6379 }, "nodePort", 6379, NODE_PORT),
    bad("a NodePort given as a string", { nodePort: "30379" }, "nodePort", "30379", NODE_PORT),
  ],
};
