export { runDemo, loadDemoConfig, prepareDataDir } from './run.ts'
export type { DemoOptions, DemoResult, DemoService, StartDemoService } from './run.ts'
export type { DemoEvent, DemoEventKind } from './timeline.ts'
