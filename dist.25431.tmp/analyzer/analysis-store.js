export {};
//# sourceMappingURL=analysis-store.js.map