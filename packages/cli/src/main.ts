import { codegen, CODEGEN_USAGE } from './commands/codegen';
import { IMPORT_USAGE, importCommand } from './commands/import';
import { serve } from './commands/serve';
import { SERVE_USAGE, UsageError } from './commands/serve-options';
import { TOKEN_USAGE, token } from './commands/token';
import { stopOnSignals } from './commands/serve-shutdown';

const USAGE = `offgrid <command>

Commands:
  serve     run the sync server (offgrid serve --help)
  codegen   models from a schema, for Offgrid or for an Amplify app (offgrid codegen --help)
  import    records from a DynamoDB JSON export (Amplify's tables) into the server's database (offgrid import --help)
  token     a development JWT for the server's secret (offgrid token --help)
`;

/** The `offgrid` command line. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') {
      if (rest.includes('--help')) {
        console.log(SERVE_USAGE);
        return 0;
      }
      const { server, shutdownTimeoutMs } = await serve(rest);
      stopOnSignals(server, { timeoutMs: shutdownTimeoutMs, logger: server.logger });
      return 0;
    }
    if (command === 'codegen') {
      if (rest.includes('--help')) {
        console.log(CODEGEN_USAGE);
        return 0;
      }
      await codegen(rest);
      return 0;
    }
    if (command === 'import') {
      if (rest.includes('--help')) {
        console.log(IMPORT_USAGE);
        return 0;
      }
      const { ok } = await importCommand(rest);
      return ok ? 0 : 1;
    }
    if (command === 'token') {
      if (rest.includes('--help')) {
        console.log(TOKEN_USAGE);
        return 0;
      }
      console.log(await token(rest));
      return 0;
    }
    console.log(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`offgrid: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}
