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

  // The last keys added: a commit's rows mostly repeat them (one session, its day and hour), and a set only
  // grows, so a repeat is already in (a cold load adds a row's keys for each of 100k+ rows).
  #lastDay = '';
  #lastHour = -1;
  #lastSession = '';
  #lastProject = '';
  #lastModel = '';

  add(day: string, hour: number, session: string, project: string, model?: string): void {
    if (day !== this.#lastDay || hour !== this.#lastHour) {
      this.days.add(day);
      this.hours.add(`${day}T${String(hour).padStart(2, '0')}`);
      this.#lastDay = day;
      this.#lastHour = hour;
    }
    if (session !== this.#lastSession) this.sessions.add((this.#lastSession = session));
    if (project !== this.#lastProject) this.projects.add((this.#lastProject = project));
    if (model !== undefined && model !== this.#lastModel) this.models.add((this.#lastModel = model));
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
