// Where each frame of a call tree goes in the flame graph: the zoomed frame fills the
// width, its callers above it (full width, as the path to it), and what ran under it in
// proportion to total count. Frames too narrow to see are left out with what they call
// (and counted), so a big profile draws only what a screen can show.
import type { FlameNode } from './profile_tree';

export interface FrameBox {
  node: FlameNode;
  x: number;
  width: number;
  /** The node's depth: row 0 is the root. */
  row: number;
}

export interface FrameLayout {
  boxes: FrameBox[];
  rows: number;
  /** Frames too narrow to draw, or beyond the most drawn; what they call isn't counted. */
  hidden: number;
}

/** Narrower than this (px), a frame isn't drawn. */
export const minimumWidth = 1;
/** The most frames drawn at once. */
export const maxFrames = 4000;

export function layoutFrames(focus: FlameNode, width: number): FrameLayout {
  const boxes: FrameBox[] = [];
  for (let at = focus.parent; at; at = at.parent) boxes.unshift({ node: at, x: 0, width, row: at.depth });
  let hidden = 0;
  let rows = focus.depth + 1;
  const scale = width / Math.max(1, focus.total);
  // Breadth-first, so a frame cap leaves out the deepest rows, not a side of the graph.
  let level: { node: FlameNode; x: number }[] = [{ node: focus, x: 0 }];
  while (level.length) {
    const next: typeof level = [];
    for (const { node, x } of level) {
      const w = node.total * scale;
      if (w < minimumWidth || boxes.length >= maxFrames) {
        hidden++;
        continue;
      }
      boxes.push({ node, x, width: w, row: node.depth });
      rows = Math.max(rows, node.depth + 1);
      let left = x;
      for (const child of node.children) {
        next.push({ node: child, x: left });
        left += child.total * scale;
      }
    }
    level = next;
  }
  return { boxes, rows, hidden };
}
