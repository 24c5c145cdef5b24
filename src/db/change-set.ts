// What an ingest commit touched, as the keys report pages are built from: days, hours, sessions, projects
// and models. The ingest worker makes it, the refresh and the live stream use it to update only what changed;
// it crosses between them as its JSON (toJSON, fromJSON).
const KINDS = ['days', 'hours', 'sessions', 'projects', 'models'] as const;

export type ChangeSetJson = Record<(typeof KINDS)[number], string[]>;

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

  merge(other: ChangeSet | ChangeSetJson): void {
    for (const key of KINDS) {
      for (const value of other[key]) this[key].add(value);
    }
  }

  toJSON(): ChangeSetJson {
    return Object.fromEntries(KINDS.map((key) => [key, [...this[key]].sort()])) as ChangeSetJson;
  }

  static fromJSON(json: ChangeSetJson): ChangeSet {
    const set = new ChangeSet();
    set.merge(json);
    return set;
  }
}
