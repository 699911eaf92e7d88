export { serve, type RunningServe } from './commands/serve';
export { readServeCommand, UsageError, type ServeCommand } from './commands/serve-options';
export { main } from './main';
export { codegen, runCodegen } from './commands/codegen';
export { generateTypeScript } from './codegen/typescript-types';
export { generateJavaScript } from './codegen/javascript-models';
export { amplifyIntrospection, generateAmplifyModels } from './codegen/amplify-introspection';
export { importCommand, IMPORT_USAGE, type ImportResult } from './commands/import';
export { importDynamoDbJson, ImportValidationError, type ImportOptions, type ImportProblem, type ImportReport } from './import/import-records';
