// The history list, virtualised: only the rows in view are in the DOM, so 10,000 sessions
// render and scroll as fast as 10.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { HistoryRecord } from '../../logic/history-search';
import { HistoryRow } from './HistoryRow';

const ROW_HEIGHT = 58;

export function HistoryList({ records }: { records: HistoryRecord[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  return (
    <div className="history-scroller" ref={scroller} tabIndex={0} role="region" aria-label="History list, scrollable">
      <ul role="list" aria-label="History" className="history-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <li
            key={records[item.index].key}
            className="history-item"
            aria-setsize={records.length}
            aria-posinset={item.index + 1}
            style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
          >
            <HistoryRow record={records[item.index]} />
          </li>
        ))}
      </ul>
    </div>
  );
}
