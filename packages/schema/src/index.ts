export type * from './types';
export { parseSchema, type ParseSchemaOptions } from './parse-schema';
export { SchemaError, type SchemaErrorLocation } from './schema-error';
export { RecordKeyError } from './record-key-error';
export { modelKeyOf } from './model-key';
export { isAdditiveChange, type AdditiveChangeResult } from './schema-diff';
export { pluralize } from './pluralize';
export { schemaHash } from './schema-hash';
export { SCALAR_TYPES, isScalarType } from './scalars';
