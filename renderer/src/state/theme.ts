// Light or dark: the system's (prefers-color-scheme) unless the user picked one, kept in
// localStorage. The choice is the root element's data-theme, which styles.css reads.
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';

const themeKey = 'microscope.theme';

function savedTheme(): ThemeChoice {
  try {
    const saved = localStorage.getItem(themeKey);
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

interface ThemeState {
  choice: ThemeChoice;
  choose(choice: ThemeChoice): void;
}

export const useTheme = create<ThemeState>((set) => {
  const choice = savedTheme();
  apply(choice);
  return {
    choice,
    choose(next) {
      if (next === 'system') localStorage.removeItem(themeKey);
      else localStorage.setItem(themeKey, next);
      apply(next);
      set({ choice: next });
    },
  };
});
