// Text for an HTML element or a quoted attribute of the pages ctm writes as strings (the status page, the
// archive listing, a snapshot's note): the five characters HTML gives meaning to, as entities.
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
