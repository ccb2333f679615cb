// One program, two front ends over the same analyzer: `hotpath server` (the language server)
// and `hotpath check` (the command line).
import { version } from '../../package.json';
import { CHECK_HELP, runCheck } from './cli/check';
import { EXIT_CLEAN, EXIT_USAGE, UsageError } from './cli/usage';
import { startServer } from './lsp/server';

const HELP = `Usage: hotpath <command> [options]

Commands:
  check [--format text|json|sarif] [--select IDS] [--ignore IDS] PATH...
                     report the slow paths in Python files and directories
  server --stdio | --node-ipc | --socket=PORT | --pipe=NAME
                     run the language server

Options:
  -h, --help         show this help (\`hotpath check --help\` for check's own)
  --version          print the version
`;

const SERVER_TRANSPORTS = /^--(stdio|node-ipc|socket|pipe)(=|$)/;

async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...args] = argv;
  switch (command) {
    case 'check':
      return runCheck(args, {
        out: (text) => process.stdout.write(text),
        warn: (message) => process.stderr.write(`hotpath: warning: ${message}\n`),
        cwd: process.cwd(),
        version,
      });
    case 'server':
      if (!args.some((a) => SERVER_TRANSPORTS.test(a))) {
        throw new UsageError('server: name a transport: --stdio, --node-ipc, --socket=PORT or --pipe=NAME');
      }
      startServer(version);
      return undefined; // The connection keeps the process alive until the client says exit.
    case '--version':
    case 'version':
      process.stdout.write(`${version}\n`);
      return EXIT_CLEAN;
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return EXIT_CLEAN;
    case undefined:
      process.stderr.write(HELP);
      return EXIT_USAGE;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      const help = process.argv[2] === 'check' ? CHECK_HELP.split('\n')[0] : "Run 'hotpath --help' for usage.";
      process.stderr.write(`hotpath: error: ${err.message}\n${help}\n`);
    } else {
      process.stderr.write(`hotpath: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
