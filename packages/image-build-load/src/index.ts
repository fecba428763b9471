export { ImageBuildLoad, LOAD_SCRIPT, PODMAN_BUILD_SCRIPT, type ImageBuildLoadArgs } from "./image-build-load";
export { contentTaggedReference, requireImageName, validateImageBuildLoadArgs } from "./image-args";
