import { parseFlags } from "./flags.js";
import { COMMAND_HELP, isCommandName, overviewHelp } from "./help.js";
/**
 * The parse stage: argv (without node and the script) to a command to run or an answer to print. Pure: no I/O and
 * no imports beyond the help texts, so `--help`, `--version` and usage errors never load a component.
 * Exit codes: help 0 (1 when no command was given at all), version 0, usage errors 2.
 */
export function parseInvocation(argv, version) {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
        return { kind: 'exit', exitCode: command === undefined ? 1 : 0, stdout: `${overviewHelp(version)}\n` };
    }
    if (command === '--version' || command === '-v')
        return { kind: 'exit', exitCode: 0, stdout: `${version}\n` };
    if (!isCommandName(command))
        return { kind: 'exit', exitCode: 2, stderr: `highway: unknown command "${command}"\n\n${overviewHelp(version)}\n` };
    const help = COMMAND_HELP[command];
    let args;
    try {
        args = parseFlags(rest);
    }
    catch (err) {
        return { kind: 'exit', exitCode: 2, stderr: `highway ${command}: ${err.message}\n\n${help}\n` };
    }
    if (args.values.help)
        return { kind: 'exit', exitCode: 0, stdout: `${help}\n` };
    const port = args.values.port === undefined ? undefined : Number(args.values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        return { kind: 'exit', exitCode: 2, stderr: `highway ${command}: --port must be an integer from 0 to 65535, got "${args.values.port}"\n` };
    }
    return { kind: 'run', command, args, port, help };
}
//# sourceMappingURL=parse-invocation.js.map