// Top functions: each function of a CPU profile with its self and total counts and shares,
// the most self first; a column's header sorts by it (again: the other way). A function's
// name opens it in the Source and Disassembly views with its counts.
import { useMemo, useState } from 'react';

import type { CpuProfile } from '../../../../native/common/cpu_profile';
import { formatNs } from '../durations';
import { countNs, type FunctionRow, percent } from './profile_tables';

export type FunctionColumn = 'function' | 'file' | 'self' | 'selfShare' | 'total' | 'totalShare';

const columns: { key: FunctionColumn; title: string; numeric: boolean }[] = [
  { key: 'function', title: 'Function', numeric: false },
  { key: 'file', title: 'File', numeric: false },
  { key: 'self', title: 'Self', numeric: true },
  { key: 'selfShare', title: 'Self %', numeric: true },
  { key: 'total', title: 'Total', numeric: true },
  { key: 'totalShare', title: 'Total %', numeric: true },
];

/** The rows by `column`: counts and shares the most first, names A to Z, unless `reversed`. */
export function sortRows(rows: FunctionRow[], column: FunctionColumn, reversed: boolean): FunctionRow[] {
  const numeric = columns.find((c) => c.key === column)!.numeric;
  const order = (a: FunctionRow, b: FunctionRow) =>
    numeric ? (b[column] as number) - (a[column] as number) : String(a[column]).localeCompare(String(b[column]));
  // Ties keep the profile's own order (most self first).
  return [...rows].sort((a, b) => (reversed ? -order(a, b) : order(a, b)));
}

export interface ProfileTableProps {
  profile: CpuProfile;
  rows: FunctionRow[];
  /** The function opened from here or the flame graph. */
  opened: string | null;
  onOpen(row: FunctionRow): void;
}

export function ProfileTable({ profile, rows, opened, onOpen }: ProfileTableProps) {
  const [sort, setSort] = useState<{ column: FunctionColumn; reversed: boolean }>({ column: 'self', reversed: false });
  const sorted = useMemo(() => sortRows(rows, sort.column, sort.reversed), [rows, sort]);
  const time = (count: number) => {
    const ns = countNs(profile, count);
    return ns === null ? '' : ` (${formatNs(ns)})`;
  };
  const by = (column: FunctionColumn) => setSort({ column, reversed: sort.column === column ? !sort.reversed : false });

  return (
    <table className="profile-table" aria-label="Top functions">
      <thead>
        <tr>
          {columns.map((c) => {
            const ascending = c.numeric === sort.reversed;
            return (
              <th key={c.key} aria-sort={sort.column === c.key ? (ascending ? 'ascending' : 'descending') : undefined} className={c.numeric ? 'numeric' : ''}>
                <button type="button" className="link" onClick={() => by(c.key)}>
                  {c.title}
                  {sort.column === c.key && <span aria-hidden="true">{ascending ? ' ▲' : ' ▼'}</span>}
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => {
          const key = `${row.function}\u0000${row.file}`;
          return (
            <tr key={key} aria-current={opened === key ? 'true' : undefined}>
              <td>
                <button type="button" className="link" title={`Open ${row.function} in the Source and Disassembly views`} onClick={() => onOpen(row)}>
                  {row.function}
                </button>
              </td>
              <td className="muted" title={row.file}>
                {row.file.split('/').pop()}
              </td>
              <td className="numeric">
                {row.self.toLocaleString()}
                {time(row.self)}
              </td>
              <td className="numeric">{percent(row.selfShare)}</td>
              <td className="numeric">
                {row.total.toLocaleString()}
                {time(row.total)}
              </td>
              <td className="numeric">{percent(row.totalShare)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
