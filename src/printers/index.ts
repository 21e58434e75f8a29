// The printers layer: everything kubectl prints for objects (tables, describe, JSON/YAML,
// JSONPath, custom columns, names). Pure functions; `now` (epoch ms) is always passed in.

export { ageOf, humanDuration, parseTime, rfc1123z, shortHumanDuration } from './duration.js';
export { goTabwriter, layoutTable, sanitizeCell, TabWriter } from './tabwriter.js';
export { printTableGroups, tableFor, tableRows, type TableOptions } from './table.js';
export { podStatusCells } from './tables/pods.js';
export { compareKeys, listWrap, sortKeysDeep, toCompactJson, toJson } from './json.js';
export { toYaml } from './yaml.js';
export {
  compileJsonPath,
  executeJsonPath,
  findJsonPathResults,
  jsonPath,
  jsonPathExecutionErrorMessage,
  JsonPathExecError,
  JsonPathSyntaxError,
  jsonPathValues,
  relaxedJsonPath,
  type CompiledJsonPath,
  type ExecuteOptions,
} from './jsonpath.js';
export { customColumns, CustomColumnsError, parseCustomColumnsSpec, parseCustomColumnsTemplate, printCustomColumns, type CustomColumn } from './customcolumns.js';
export { groupKindPrefix, nameLine, printNames } from './name.js';
export { describeObject, podQOS, type DescribeContext } from './describe/index.js';
export { canonicalQuantity, formatQuantity, parseQuantity } from './quantity.js';
export { execGoTemplate, goTemplate, parseGoTemplate, TemplateError } from './gotemplate.js';
export { goV } from './gotemplate-fmt.js';
export { goQuote } from './gofmt.js';
export { goSort, sortByField } from './sort.js';
export { setLocalZone } from './localtime.js';
