// Renders the nginx templates: every ${CTM_*} placeholder is replaced (the same envsubst-style syntax the
// nginx image's /etc/nginx/templates mechanism uses), nginx's own $variables are left alone, and a
// placeholder without a value is an error rather than an empty directive.
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const missing = new Set<string>();
  const out = template.replace(/\$\{(CTM_[A-Z0-9_]+)\}/g, (_match, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return value;
  });
  if (missing.size > 0) throw new Error(`nginx template: no value for ${[...missing].join(', ')}`);
  return out;
}
