// What an ingest commit touched, as the keys report pages are built from: days, hours, sessions, projects
// and models. The refresher and the live stream use it to update only what changed.
export class ChangeSet {
  readonly days = new Set<string>();
  readonly hours = new Set<string>();
  readonly sessions = new Set<string>();
  readonly projects = new Set<string>();
  readonly models = new Set<string>();

  add(day: string, hour: number, session: string, project: string, model?: string): void {
    this.days.add(day);
    this.hours.add(`${day}T${String(hour).padStart(2, '0')}`);
    this.sessions.add(session);
    this.projects.add(project);
    if (model !== undefined) this.models.add(model);
  }

  get size(): number {
    return this.days.size;
  }

  merge(other: ChangeSet): void {
    for (const key of ['days', 'hours', 'sessions', 'projects', 'models'] as const) {
      for (const value of other[key]) this[key].add(value);
    }
  }

  toJSON(): { days: string[]; hours: string[]; sessions: string[]; projects: string[]; models: string[] } {
    return {
      days: [...this.days].sort(),
      hours: [...this.hours].sort(),
      sessions: [...this.sessions].sort(),
      projects: [...this.projects].sort(),
      models: [...this.models].sort(),
    };
  }
}
