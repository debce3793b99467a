/** The API keys of the compose stack: which secret file, which scopes. */
export declare const STACK_KEYS: ReadonlyArray<{ readonly id: string; readonly file: string; readonly scopes: readonly string[] }>
/** deploy/highway.yaml as a document, with `auth.keys` built from the given secrets (key id → key text). */
export declare function stackConfig(baseYaml: string, secrets: Readonly<Record<string, string>>): Record<string, unknown>
