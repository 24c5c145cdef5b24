// <table data-sortable>: header buttons sort the rows of the table on this page by that column (numbers by
// their data-sort value, text by its content); aria-sort tells assistive technology the current order.
function sortTable(table: HTMLTableElement, col: number, button: HTMLButtonElement): void {
  const th = button.closest('th')!;
  const asc = th.getAttribute('aria-sort') !== 'ascending';
  for (const other of table.querySelectorAll('th[aria-sort]')) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  const body = table.tBodies[0];
  if (!body) return;
  const key = (row: HTMLTableRowElement): string | number => {
    const cell = row.cells[col];
    const raw = cell?.dataset.sort;
    if (raw !== undefined && raw !== '' && !Number.isNaN(Number(raw))) return Number(raw);
    return (raw ?? cell?.textContent ?? '').trim().toLowerCase();
  };
  const rows = [...body.rows].map((r) => [key(r), r] as const);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (asc ? 1 : -1));
  body.append(...rows.map((r) => r[1]));
}

export function enhanceSortableTables(root: ParentNode = document): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table[data-sortable]')) {
    if (table.dataset.enhanced) continue;
    table.dataset.enhanced = '1';
    const heads = table.tHead?.rows[0]?.cells ?? [];
    [...heads].forEach((th, col) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.append(...th.childNodes);
      button.addEventListener('click', () => sortTable(table, col, button));
      th.append(button);
    });
  }
}
