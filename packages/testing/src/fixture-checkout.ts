import { join } from "node:path";

/** A stand-in checkout of the service repository (Dockerfiles, migrations, CRDs), for stack tests under mocks. */
export function fixtureCheckout(): string {
  return join(__dirname, "..", "examples", "kubernaut-checkout");
}
