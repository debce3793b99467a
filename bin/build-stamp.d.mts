/** Where the stamp sits inside the build directory. */
export declare const STAMP_FILE: string
/** Records every input of a build (paths relative to `root`) with its size and modification time. */
export declare function writeBuildStamp(root: string, buildDir: string, files: Iterable<string>): void
/** Whether the build in `buildDir` was built from the files under `root` as they are now. */
export declare function checkBuild(root: string, buildDir: string): { fresh: true } | { fresh: false; reason: string }
