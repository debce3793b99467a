export { runDemo, loadDemoConfig, prepareDataDir, DEMO_INTERVALS } from './run.ts'
export type { DemoDataSource, DemoIntervals, DemoOptions, DemoPipeline, DemoResult, DemoService, DemoTrainingReport, StartDemoService } from './run.ts'
export type { DemoEvent, DemoEventKind } from './timeline.ts'
