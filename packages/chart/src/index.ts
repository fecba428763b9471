export { ChartObjects, objectKey, podReferences, prepareObjects, type ChartObject, type ChartObjectsArgs } from "./chart-objects";
export { helmTemplateArgv, renderChart, type ChartRender } from "./render";
