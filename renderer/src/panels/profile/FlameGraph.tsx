// A call tree as a flame graph: root at the top (icicle) or, switched, at the bottom
// (classic flame), each frame as wide as its total count. Hover says what a frame is; a
// click zooms to it (its subtree fills the width, the path back above as a breadcrumb) and
// opens its function; the search marks matching frames. Frames are elements, not a canvas:
// each is a button a screen reader names and the arrow keys walk (up and down the calls,
// left and right between siblings); the tree merged by function stays small, and frames
// too narrow to see are not drawn.
import { type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject, useEffect, useMemo, useRef, useState } from 'react';

import { layoutFrames } from './flame_graph_layout';
import { percent } from './profile_tables';
import { type FlameNode, type FlameTree, pathTo, searchTree } from './profile_tree';

const rowHeight = 18;
/** Before the first measure (and where nothing measures, as in tests). */
const defaultWidth = 800;

export interface FlameGraphProps {
  tree: FlameTree;
  /** "Flame graph", "Differential flame graph". */
  label: string;
  colorOf(node: FlameNode): string;
  /** What a screen reader says of a frame, its name first. */
  summary(node: FlameNode): string;
  /** The tooltip's lines under the frame's name. */
  details(node: FlameNode): string[];
  /** A frame was clicked (after it is zoomed to). */
  onOpen?(node: FlameNode): void;
  /** More controls for the toolbar (the colour). */
  controls?: ReactNode;
}

export function FlameGraph({ tree, label, colorOf, summary, details, onOpen, controls }: FlameGraphProps) {
  const [focusId, setFocusId] = useState(0);
  const [flame, setFlame] = useState(false);
  const [query, setQuery] = useState('');
  const [hovered, setHovered] = useState<{ node: FlameNode; x: number; y: number } | null>(null);
  const [framesRef, width] = useWidth();
  const box = useRef<HTMLDivElement>(null);
  const focus = tree.nodes[focusId] ?? tree.root;
  const layout = useMemo(() => layoutFrames(focus, width), [focus, width]);
  const search = useMemo(() => searchTree(tree, query), [tree, query]);
  const top = (depth: number) => (flame ? layout.rows - 1 - depth : depth) * rowHeight;

  const zoom = (node: FlameNode) => {
    setFocusId(node.id);
    setHovered(null);
    if (node !== tree.root) onOpen?.(node);
  };
  const drawn = useMemo(() => new Set(layout.boxes.map((b) => b.node)), [layout]);
  // The arrow keys walk the tree: toward the leaves is down in an icicle, up in a flame.
  const walk = (event: KeyboardEvent, node: FlameNode) => {
    const siblings = node.parent?.children ?? [node];
    const at = siblings.indexOf(node);
    const deeper = flame ? 'ArrowUp' : 'ArrowDown';
    const next =
      event.key === deeper
        ? node.children[0]
        : event.key === (flame ? 'ArrowDown' : 'ArrowUp')
          ? node.parent
          : event.key === 'ArrowRight'
            ? siblings[at + 1]
            : event.key === 'ArrowLeft'
              ? siblings[at - 1]
              : undefined;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      zoom(node);
    } else if (next && drawn.has(next)) {
      event.preventDefault();
      box.current?.querySelector<HTMLElement>(`[data-id="${next.id}"]`)?.focus();
    }
  };

  return (
    <div className="flame-graph">
      <div className="row wrap" role="toolbar" aria-label={`${label} controls`}>
        <input aria-label="Search frames" type="search" placeholder="search functions" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted" role="status" aria-label="Search matches">
          {query.trim() &&
            `${search.matches.size.toLocaleString()} ${search.matches.size === 1 ? 'frame matches' : 'frames match'}, ${percent(search.share)} of the total`}
        </span>
        <span className="spacer" />
        {controls}
        <label className="check">
          <input type="checkbox" checked={flame} onChange={(e) => setFlame(e.target.checked)} /> root at the bottom
        </label>
      </div>
      <nav className="row zoom-path" aria-label="Zoom path">
        {pathTo(focus).map((node) => (
          <button key={node.id} type="button" className="link" aria-current={node === focus ? 'true' : undefined} onClick={() => zoom(node)}>
            {node.function}
          </button>
        ))}
        <button type="button" className="link" disabled={focus === tree.root} onClick={() => zoom(tree.root)}>
          Reset zoom
        </button>
      </nav>
      <div className="flame-frames" ref={framesRef} onMouseLeave={() => setHovered(null)}>
        <div ref={box} role="group" aria-label={label} style={{ height: layout.rows * rowHeight, position: 'relative' }}>
          {layout.boxes.map(({ node, x, width: w }) => {
            const matched = search.matches.has(node);
            const classes = ['frame', node.inlined ? 'inlined' : '', matched ? 'match' : '', query.trim() && !matched ? 'dimmed' : ''];
            return (
              <div
                key={node.id}
                role="button"
                tabIndex={node === focus ? 0 : -1}
                data-id={node.id}
                data-depth={node.depth}
                aria-label={summary(node)}
                className={classes.filter(Boolean).join(' ')}
                style={{ left: x, width: Math.max(1, w - 1), top: top(node.depth), background: colorOf(node) }}
                onClick={() => zoom(node)}
                onKeyDown={(e) => walk(e, node)}
                onMouseMove={(e) => setHovered({ node, x: e.clientX, y: e.clientY })}
                onFocus={(e) => {
                  const rect = e.currentTarget.getBoundingClientRect();
                  setHovered({ node, x: rect.left, y: rect.bottom });
                }}
                onBlur={() => setHovered(null)}
              >
                {w > 28 ? node.function : ''}
              </div>
            );
          })}
        </div>
      </div>
      {layout.hidden > 0 && <p className="muted">{layout.hidden.toLocaleString()} frames too narrow to draw: zoom in to see them.</p>}
      {hovered && (
        <div role="tooltip" className="frame-tooltip" style={tooltipPlace(hovered.x, hovered.y)}>
          <strong>{hovered.node.function}</strong>
          {hovered.node.inlined && <span className="badge">inlined</span>}
          {details(hovered.node).map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Beside the pointer, on whichever side keeps the tooltip in the window. */
function tooltipPlace(x: number, y: number): CSSProperties {
  const left = x > window.innerWidth - 440;
  const above = y > window.innerHeight - 120;
  return { left: left ? x - 12 : x + 12, top: above ? y - 14 : y + 14, transform: `translate(${left ? '-100%' : '0'}, ${above ? '-100%' : '0'})` };
}

/** A ref for an element, and its width, followed as it resizes. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const [value, setValue] = useState(defaultWidth);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => element.clientWidth > 0 && setValue(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, value];
}
