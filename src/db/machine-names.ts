// Machines and users as reports name them. This machine's own rows are stored under '' (machine and user
// alike, migration 007) and shown under its CTM_MACHINE and CTM_USER; a hub's other rows under the names
// their machines sent. A name asked for matches both when it is this machine's own.

export interface LocalNames {
  machine: string;
  user: string;
}

/** The stored values a machine or user name stands for. */
export function storedNames(name: string, local: string): string[] {
  return name === local ? ['', name] : [name];
}

/** SQL of a column's display name: '' becomes the parameter holding this machine's own name. */
export function displayName(column: 'machine' | 'user_name', param: string): string {
  return `CASE ${column} WHEN '' THEN ${param} ELSE ${column} END`;
}
