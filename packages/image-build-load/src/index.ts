export { ImageBuildLoad, BUILD_SCRIPT, type ImageBuildLoadArgs } from "./image-build-load";
export { LOAD_SCRIPT } from "./kind-load";
export { LocalImage, requireLocalImages, type LocalImageArgs } from "./local-image";
export { RegistryImage, PULL_SCRIPT, type RegistryImageArgs } from "./registry-image";
export { contentTaggedReference, requireBuildArgs, requireImageName, validateImageBuildLoadArgs } from "./image-args";
