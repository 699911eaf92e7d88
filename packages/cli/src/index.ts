export { serve, type RunningServe } from './commands/serve';
export { readServeCommand, UsageError, type ServeCommand } from './commands/serve-options';
export { main } from './main';
export { codegen, runCodegen } from './commands/codegen';
export { generateTypeScript } from './codegen/typescript-types';
