/** The one error type of the SDK: thrown only by `createHighwayClient`, otherwise handed to `onError`. */
export class HighwayClientError extends Error {
    name = 'HighwayClientError';
    code;
    /** HTTP status of the answer that caused the error, when there was one. */
    status;
    constructor(code, message, details = {}) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.code = code;
        this.status = details.status;
    }
}
//# sourceMappingURL=error.js.map