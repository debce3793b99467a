import { storageFaultsSuite } from './support/storage-faults-suite.ts'

storageFaultsSuite('stored')
