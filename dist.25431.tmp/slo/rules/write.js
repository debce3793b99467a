import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuleSloError } from "./errors.js";
import { generateRules } from "./generate.js";
import { renderRuleFile } from "./render.js";
const FILE_SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Writes one rule file per SLO, `<outDir>/<id>.yml`, for `highway rules --out DIR`. Every SLO is checked
 * before the first file is written. Each file is written beside its target and renamed over it, so a
 * Prometheus reloading meanwhile reads the old file or the new one, never half of one. Files of SLOs
 * that no longer exist are left alone. Failures are returned, not thrown.
 */
export async function writeRuleFiles(options) {
    const { outDir, slos, ...generateOptions } = options;
    try {
        slos.forEach((slo, index) => {
            if (!FILE_SAFE_ID.test(slo.id))
                throw new RuleSloError(`slos[${index}].id`, slo.id, 'an id usable as a file name ([A-Za-z0-9][A-Za-z0-9._-]*)');
        });
        generateRules(slos, generateOptions);
        await mkdir(outDir, { recursive: true });
        const files = [];
        for (const slo of slos) {
            const file = join(outDir, `${slo.id}.yml`);
            const partial = `${file}.${process.pid}.tmp`;
            await writeFile(partial, renderRuleFile(generateRules([slo], generateOptions).groups), 'utf8');
            await rename(partial, file);
            files.push(file);
        }
        return { ok: true, files };
    }
    catch (error) {
        return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
}
//# sourceMappingURL=write.js.map