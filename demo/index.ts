export { runDemo, loadDemoConfig, prepareDataDir } from './run.ts'
export type { DemoDataSource, DemoOptions, DemoPipeline, DemoResult, DemoService, DemoTrainingReport, StartDemoService } from './run.ts'
export type { DemoEvent, DemoEventKind } from './timeline.ts'
