// RowBinary for the predictions insert. ClickHouse parses it at about half the CPU of JSONCompactEachRow (no
// float text to read: 14.2 against 26.7 CPU-µs per row, docs/storage.md), which is most of an insert.
/** A growable buffer with ClickHouse's RowBinary encodings; map keys (feature names) are encoded once. */
class RowBinaryWriter {
    #buf = Buffer.allocUnsafe(1 << 16);
    #at = 0;
    #keys = new Map();
    /** The bytes written: a view of the buffer, not a copy (a writer serves one payload). */
    bytes() {
        return this.#buf.subarray(0, this.#at);
    }
    #room(n) {
        if (this.#at + n <= this.#buf.length)
            return;
        const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n));
        this.#buf.copy(grown, 0, 0, this.#at);
        this.#buf = grown;
    }
    #varint(n) {
        this.#room(5);
        while (n >= 0x80) {
            this.#buf[this.#at++] = (n & 0x7f) | 0x80;
            n >>>= 7;
        }
        this.#buf[this.#at++] = n;
    }
    string(s) {
        const length = Buffer.byteLength(s);
        this.#varint(length);
        this.#room(length);
        this.#at += this.#buf.write(s, this.#at, 'utf8');
    }
    key(s) {
        let encoded = this.#keys.get(s);
        if (encoded === undefined) {
            const start = this.#at;
            this.string(s);
            encoded = Buffer.from(this.#buf.subarray(start, this.#at));
            this.#keys.set(s, encoded);
            return;
        }
        this.#room(encoded.length);
        this.#at += encoded.copy(this.#buf, this.#at);
    }
    /** DateTime64(3) as Int64 milliseconds; validation keeps them positive and below 2^53. */
    millis(ms) {
        this.#room(8);
        this.#buf.writeUInt32LE(ms % 0x1_0000_0000, this.#at);
        this.#buf.writeUInt32LE(Math.floor(ms / 0x1_0000_0000), this.#at + 4);
        this.#at += 8;
    }
    float(x) {
        this.#room(8);
        this.#buf.writeDoubleLE(x, this.#at);
        this.#at += 8;
    }
    nullableFloat(x) {
        this.#room(1);
        this.#buf[this.#at++] = x === null ? 1 : 0;
        if (x !== null)
            this.float(x);
    }
    numberMap(m) {
        const keys = Object.keys(m);
        this.#varint(keys.length);
        for (const k of keys) {
            this.key(k);
            this.float(m[k]);
        }
    }
    stringMap(m) {
        const keys = Object.keys(m);
        this.#varint(keys.length);
        for (const k of keys) {
            this.key(k);
            this.string(m[k]);
        }
    }
}
/** A line that is not a predictions row as `encodePrediction` writes it: ClickHouse would refuse it too. */
export class RowBinaryEncodeError extends Error {
    name = 'RowBinaryEncodeError';
}
const SHAPE = ['string', 'string', 'string', 'number', 'number', 'object', 'object', 'object', 'nullable', 'string', 'object', 'nullable', 'string'];
function parseLine(line, row) {
    let r;
    try {
        r = JSON.parse(line);
    }
    catch (err) {
        throw new RowBinaryEncodeError(`row ${row}: not JSON (${err.message})`);
    }
    if (!Array.isArray(r) || r.length !== SHAPE.length)
        throw new RowBinaryEncodeError(`row ${row}: expected an array of ${SHAPE.length} columns`);
    SHAPE.forEach((kind, i) => {
        const v = r[i];
        const ok = kind === 'nullable' ? v === null || typeof v === 'number' : kind === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : typeof v === kind;
        if (!ok)
            throw new RowBinaryEncodeError(`row ${row}: column ${i + 1} is ${JSON.stringify(v)?.slice(0, 40)}, expected ${kind}`);
    });
    return r;
}
/**
 * Re-encodes predictions rows from the JSONCompactEachRow lines `encodePrediction` wrote (the spool keeps those)
 * into RowBinary, in the same column order (insertColumns('predictions')). Line by line, so no batch-sized array of rows lives
 * on the heap at once, and in slices of 500 rows between which other work runs.
 */
export async function predictionLinesToRowBinary(payload) {
    const w = new RowBinaryWriter();
    let start = 0;
    let row = 0;
    while (start < payload.length) {
        // ~6 µs a row: give the event loop back every 500 rows, so a large batch never holds requests up for long.
        if (row > 0 && row % 500 === 0)
            await new Promise((resolve) => setImmediate(resolve));
        let end = payload.indexOf('\n', start);
        if (end === -1)
            end = payload.length;
        const r = parseLine(payload.slice(start, end), row++);
        start = end + 1;
        w.string(r[0]);
        w.string(r[1]);
        w.string(r[2]);
        w.millis(r[3]);
        w.millis(r[4]);
        w.numberMap(r[5]);
        w.stringMap(r[6]);
        w.stringMap(r[7]);
        w.nullableFloat(r[8]);
        w.string(r[9]);
        w.numberMap(r[10]);
        w.nullableFloat(r[11]);
        w.string(r[12]);
    }
    return w.bytes();
}
//# sourceMappingURL=row-binary.js.map