export { toTable, tableForWatchEvent, bookmarkTable, wantsTable, parseIncludeObject, partialObjectMetadata, printerFor } from './table.js';
export type { IncludeObject, TableOptions } from './table.js';
export type { Table, TableRow, TableColumnDefinition, PartialObjectMetadata, KindPrinter } from './types.js';
export { humanDuration, translateTimestampSince } from './duration.js';
export { negotiateTable } from '../discovery/accept.js';
