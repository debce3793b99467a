/** JSON lines on stderr (stdout stays free for `--json` output); `quiet` keeps only warnings and errors. */
export function createLogger(options = {}) {
    const write = options.write ?? ((line) => process.stderr.write(line));
    const emit = (level) => (msg, fields = {}) => {
        write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
    };
    const none = () => { };
    return { info: options.quiet ? none : emit('info'), warn: emit('warn'), error: emit('error') };
}
//# sourceMappingURL=logger.js.map