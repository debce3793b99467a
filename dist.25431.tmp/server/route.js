/** Declares a route; the handler's input types come from its schemas. */
export function defineRoute(spec) {
    // The shell only calls `handle` with values its schemas produced, so erasing the types here is safe.
    return spec;
}
//# sourceMappingURL=route.js.map