export { webDemoRoutes } from './routes.ts'
export type { DemoPageConfig } from './routes.ts'
