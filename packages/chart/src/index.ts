export { ChartObjects, objectKey, podReferences, type ChartObject, type ChartObjectsArgs } from "./chart-objects";
export { helmTemplateArgv, renderChart, type ChartRender } from "./render";
