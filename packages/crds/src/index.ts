export { CustomResourceDefinitions, readDefinitions, type CustomResourceDefinitionsArgs } from "./crds";
