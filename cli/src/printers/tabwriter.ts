/**
 * Column alignment with the semantics of Go's text/tabwriter, which kubectl uses for every
 * table and for describe: cells are tab-terminated, the last cell of a line is not aligned,
 * and a column block is a run of consecutive lines that all have a cell in that column.
 * Pure: `alignTabs(text, opts)` returns the aligned text.
 */

export interface TabOptions {
  minWidth: number;
  padding: number;
}

/** kubectl get: minwidth 6, padding 3 */
export const GET_TABS: TabOptions = { minWidth: 6, padding: 3 };
/** kubectl describe: minwidth 0, padding 2 */
export const DESCRIBE_TABS: TabOptions = { minWidth: 0, padding: 2 };

const width = (s: string): number => [...s].length;

export function alignTabs(text: string, opts: TabOptions): string {
  const trailingNewline = text.endsWith('\n');
  const body = trailingNewline ? text.slice(0, -1) : text;
  const lines = body.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      let s = '';
      cells.forEach((c, j) => {
        const w = widths[j];
        s += w !== undefined && j < cells.length - 1 ? c + ' '.repeat(Math.max(0, w - width(c))) : c;
      });
      out.push(s);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i]?.length ?? 0) - 1) continue;
      writeLines(start, i);
      start = i;
      let w = opts.minWidth;
      for (; i < line1; i++) {
        const cells = lines[i] ?? [];
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column] ?? '') + opts.padding);
      }
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      i--; // the outer loop's i++ revisits line i
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
