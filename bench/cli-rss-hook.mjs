// Preloaded (`node --import`) into every process bench/cli.ts measures: as the process exits it writes its peak
// resident set size to file descriptor 3, a pipe the bench reads. process.resourceUsage().maxRSS is getrusage's
// ru_maxrss in kB, the high-water mark of the whole process's RSS (VmHWM), which /proc can no longer be asked for
// once the process is gone and which sampling would miss for a run of ~100 ms.
/* global process */
import { writeSync } from 'node:fs'

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`)
  } catch {
    // run without the bench's pipe: nothing to report to
  }
})
