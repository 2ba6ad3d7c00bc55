/** Where the bundle of the source at `path` is kept. */
export function cachedScriptPath(path: string): string;
/** The bundle of the TypeScript module at `source`, built unless fresh; or why it could not be built. */
export function cachedScript(source: URL): { url: URL; error?: undefined } | { url?: undefined; error: string };
