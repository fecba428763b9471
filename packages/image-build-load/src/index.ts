export { ImageBuildLoad, LOAD_SCRIPT, BUILD_SCRIPT, type ImageBuildLoadArgs } from "./image-build-load";
export { contentTaggedReference, requireImageName, validateImageBuildLoadArgs } from "./image-args";
