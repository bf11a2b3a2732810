// The Source gutter's context menu, VS Code's: on a line without a breakpoint, add one,
// a conditional one or a logpoint; on one with a breakpoint, edit, disable or enable, or
// remove it. Arrow keys move through it, Escape or a click elsewhere closes it.
import { type KeyboardEvent, useEffect, useRef } from 'react';

import type { WireBreakpoint } from '../../../native/common/protocol/messages';

export type MenuChoice = 'add' | 'add-conditional' | 'add-logpoint' | 'edit' | 'toggle-enabled' | 'remove';

interface MenuProps {
  breakpoint: WireBreakpoint | undefined;
  x: number;
  y: number;
  onChoose(choice: MenuChoice): void;
  onClose(): void;
}

export function BreakpointMenu({ breakpoint, x, y, onChoose, onClose }: MenuProps) {
  const menu = useRef<HTMLUListElement>(null);
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent) => menu.current?.contains(event.target as Node) || onClose();
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);

  const items: [MenuChoice, string][] = breakpoint
    ? [
        ['edit', 'Edit Breakpoint…'],
        ['toggle-enabled', breakpoint.enabled ? 'Disable Breakpoint' : 'Enable Breakpoint'],
        ['remove', 'Remove Breakpoint'],
      ]
    : [
        ['add', 'Add Breakpoint'],
        ['add-conditional', 'Add Conditional Breakpoint…'],
        ['add-logpoint', 'Add Logpoint…'],
      ];
  const key = (event: KeyboardEvent) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') entries[(at + 1) % entries.length]?.focus();
    else if (event.key === 'ArrowUp') entries[(at - 1 + entries.length) % entries.length]?.focus();
    else return;
    event.preventDefault();
  };
  return (
    <ul ref={menu} role="menu" aria-label="Breakpoint" className="context-menu" style={{ left: x, top: y }} onKeyDown={key}>
      {items.map(([choice, label]) => (
        <li key={choice} role="none">
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              onClose();
              onChoose(choice);
            }}
          >
            {label}
          </button>
        </li>
      ))}
    </ul>
  );
}
