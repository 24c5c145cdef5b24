// A model id as a table or a status line has room for: `claude-sonnet-4-5-20250929` → `sonnet-4-5`.
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}
