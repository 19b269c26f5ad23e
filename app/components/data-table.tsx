import type { ReactNode } from 'react'

export interface Column<Row> {
  /** Stable id of the column (React key). */
  id: string
  header: ReactNode
  cell: (row: Row) => ReactNode
  /**
   * On a phone each row becomes a card: the primary column is its heading, the
   * others are label–value lines, and `action` columns go to the card's foot.
   */
  role?: 'primary' | 'action'
  /** A plain-text label for the card layout when `header` is not a string. */
  label?: string
}

interface DataTableProps<Row> {
  /** What the table lists: its accessible name (and the scroll region's). */
  caption: string
  columns: Column<Row>[]
  rows: readonly Row[]
  rowKey: (row: Row) => string | number
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode
}

/**
 * The one table of the app. Wide screens get a table in a scroll region that the
 * keyboard can reach (it takes focus only to scroll); under 640 px every row is a card
 * with the key column as its heading and the action at its foot, so nothing lies off
 * screen (styles in app.css, `.data-table`).
 */
export function DataTable<Row>({ caption, columns, rows, rowKey, empty }: DataTableProps<Row>) {
  if (rows.length === 0 && empty) return <>{empty}</>
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="data data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.id} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td
                  key={c.id}
                  className={c.role ? `cell-${c.role}` : undefined}
                  data-label={c.label ?? (typeof c.header === 'string' ? c.header : undefined)}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
