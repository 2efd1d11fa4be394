/**
 * The worklist's views (#37), as counts: what a team lead reads at a glance. Each open request
 * is one fact: its status, when its current promise is due, and whom it is with.
 */
export interface WorklistFact {
  status: string;
  /** When the promise it waits on is due (ISO): the response, then the completion. */
  dueAt: string;
  /** Whom it is assigned to, or dispatched to when no one is assigned. */
  assignee?: string;
}

export interface WorklistCounts {
  open: number;
  byStatus: Record<string, number>;
  /** Its current promise is past its deadline. */
  breached: number;
  /** Its current promise falls due before the end of the tenant's day (breached ones included). */
  dueToday: number;
  unassigned: number;
  /** With the person asking (absent for an API key). */
  mine?: number;
}

export function worklistCounts(
  facts: readonly WorklistFact[],
  at: { now: Date; endOfToday: Date },
  staffId?: string,
): WorklistCounts {
  const now = at.now.toISOString();
  const endOfToday = at.endOfToday.toISOString();
  const counts: WorklistCounts = {
    open: facts.length,
    byStatus: {},
    breached: 0,
    dueToday: 0,
    unassigned: 0,
    ...(staffId ? { mine: 0 } : {}),
  };
  for (const fact of facts) {
    counts.byStatus[fact.status] = (counts.byStatus[fact.status] ?? 0) + 1;
    if (fact.dueAt < now) counts.breached += 1;
    if (fact.dueAt < endOfToday) counts.dueToday += 1;
    if (!fact.assignee) counts.unassigned += 1;
    else if (staffId && fact.assignee === staffId) counts.mine! += 1;
  }
  return counts;
}
