/**
 * The HA lease: of several Highway processes on one ClickHouse, only the holder evaluates, records transitions
 * and notifies, so nothing is notified twice. Time is cut into terms of `leaseSeconds`; a process holds a term
 * by claiming it, and every claimant of one term learns the same holder. The holder claims the next term during
 * the last fifth of its own, so it nearly always keeps the lease; a holder that dies loses it at the end of its
 * term (failover within one lease period). Clock skew between processes shorter than that fifth cannot make two
 * holders of one term; larger skew can overlap two adjacent terms for the skew (see docs/alerts.md).
 */

/** Who may act now. */
export interface LeasePort {
  /** Whether `holder` holds the lease at `nowMs` (claiming it when free). */
  holds(holder: string, nowMs: number): Promise<boolean>
}

/** Claims one term and answers the holder of it: the only primitive a backend needs. */
export type ClaimTerm = (term: number, holder: string, nowMs: number) => Promise<string>

/** A lease over a term-claiming backend (ClickHouse in server mode, a map in one process). */
export function createTermLease(options: { leaseSeconds: number; claim: ClaimTerm }): LeasePort {
  const termMs = options.leaseSeconds * 1000
  const known = new Map<number, string>()
  const holderOf = async (term: number, holder: string, nowMs: number): Promise<string> => {
    let h = known.get(term)
    if (h === undefined) {
      h = await options.claim(term, holder, nowMs)
      known.set(term, h)
      for (const k of known.keys()) if (k < term - 2) known.delete(k)
    }
    return h
  }
  return {
    async holds(holder, nowMs) {
      const term = Math.floor(nowMs / termMs)
      const current = await holderOf(term, holder, nowMs)
      if (current === holder && nowMs - term * termMs >= termMs * 0.8) await holderOf(term + 1, holder, nowMs)
      return current === holder
    },
  }
}

/** The embedded-mode backend: chDB binds a data directory to one process, so its evaluators share one map. */
export function createInProcessClaims(): ClaimTerm {
  const terms = new Map<number, string>()
  return (term, holder) => {
    const h = terms.get(term) ?? holder
    terms.set(term, h)
    for (const k of terms.keys()) if (k < term - 2) terms.delete(k)
    return Promise.resolve(h)
  }
}
