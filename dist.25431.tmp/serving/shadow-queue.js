/** A bounded queue of background work, run one job at a time after the current turn of the event loop. */
export class ShadowQueue {
    #max;
    #jobs = [];
    #onDrop;
    #running;
    #dropped = 0;
    constructor(options) {
        if (!(Number.isInteger(options.maxQueued) && options.maxQueued >= 1))
            throw new Error(`shadow queue size must be a positive integer, got ${options.maxQueued}`);
        this.#max = options.maxQueued;
        this.#onDrop = options.onDrop;
    }
    /** Jobs waiting. */
    get size() {
        return this.#jobs.length;
    }
    /** Jobs refused because the queue was full. */
    get dropped() {
        return this.#dropped;
    }
    /** Queues a job; returns false (and counts a drop) when full. Never runs it synchronously. */
    push(job) {
        if (this.#jobs.length >= this.#max) {
            this.#dropped++;
            this.#onDrop();
            return false;
        }
        this.#jobs.push(job);
        // setImmediate runs after I/O callbacks: the response of the request that queued the job has been written.
        if (!this.#running)
            this.#running = new Promise((resolve) => setImmediate(() => void this.#drain().finally(resolve)));
        return true;
    }
    /** Resolves when the queue is empty and nothing runs. */
    async idle() {
        while (this.#running)
            await this.#running;
    }
    async #drain() {
        try {
            for (let job = this.#jobs.shift(); job; job = this.#jobs.shift()) {
                try {
                    await job();
                }
                catch {
                    // jobs report their own outcome; one failure must not stop the others
                }
            }
        }
        finally {
            this.#running = undefined;
        }
    }
}
//# sourceMappingURL=shadow-queue.js.map