// One program, three front ends: `hotpath server` (the language server), `hotpath check` (the
// analyzer on the command line) and `hotpath profile` (the profiler on the command line).
import { version } from '../../package.json';
import { CHECK_HELP, runCheck } from './cli/check';
import { PROFILE_HELP, runProfileCommand } from './cli/profile';
import { EXIT_CLEAN, EXIT_USAGE, UsageError } from './cli/usage';
import { startServer } from './lsp/server';

const HELP = `Usage: hotpath <command> [options]

Commands:
  check [--format text|json|sarif] [--select IDS] [--ignore IDS] PATH...
                     report the slow paths in Python files and directories
  profile [--backend auto|builtin|py-spy|torch] [--mode wall|cpu] [--rate HZ]
          [--format text|json|speedscope] [-o FILE] -- PYTHON SCRIPT.py ARGS...
                     run a Python program under a sampling profiler (\`hotpath profile --help\`)
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
    case 'profile':
      return runProfileCommand(args, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        warn: (message) => process.stderr.write(`hotpath: warning: ${message}\n`),
        cwd: process.cwd(),
        stderrIsTTY: process.stderr.isTTY === true,
        onInterrupt: (handler) => {
          process.on('SIGINT', handler);
          return () => process.off('SIGINT', handler);
        },
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
      const help =
        process.argv[2] === 'check'
          ? CHECK_HELP.split('\n')[0]
          : process.argv[2] === 'profile'
            ? PROFILE_HELP.split('\n')[0]
            : "Run 'hotpath --help' for usage.";
      process.stderr.write(`hotpath: error: ${err.message}\n${help}\n`);
    } else {
      process.stderr.write(`hotpath: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
