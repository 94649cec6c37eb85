// The filter language lives in the store layer (ops and the CLI use it too).
export { compileFilter, type CompiledFilter, type FieldValue, type FilterSpec } from '../store/filter.js';
