export { Tekton, type TektonArgs } from "./tekton";
export { DEFAULT_TEKTON_VERSION, fetchTektonRelease, prepareRelease, tektonReleaseUrl } from "./release";
