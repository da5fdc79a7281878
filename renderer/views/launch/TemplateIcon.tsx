// A template's icon, drawn as SVG inside the bundle: emoji showed as empty boxes where no emoji
// font is installed (Debian's Chromium). A template names its icon; a name not known here, an
// emoji included, gets the default icon.
import type { ReactElement } from 'react';

// Each drawing is 24×24, stroked in the text's colour so it follows the colour scheme.
const DRAWINGS = {
  desktop: (
    <>
      <rect x="3" y="4" width="18" height="12" rx="1.5" />
      <path d="M12 16v4M8 20h8" />
    </>
  ),
  terminal: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M7 9l3 3-3 3M12 15h5" />
    </>
  ),
  gpu: (
    <>
      <rect x="2" y="6" width="17" height="11" rx="1" />
      <circle cx="10.5" cy="11.5" r="3" />
      <path d="M19 9h3v5h-3M5 17v3M9 17v3M13 17v3" />
    </>
  ),
  chart: <path d="M4 4v16h16M8 16v-4M12 16V8M16 16v-6" />,
  notebook: (
    <>
      <rect x="5" y="3" width="14" height="18" rx="1.5" />
      <path d="M9 3v18M12 8h4M12 12h4" />
    </>
  ),
  package: <path d="M12 3l8 4.5v9L12 21l-8-4.5v-9zM4 7.5l8 4.5 8-4.5M12 12v9" />,
} satisfies Record<string, ReactElement>;

export type IconName = keyof typeof DRAWINGS;

// The names a template may give, the earlier ones (monitor, moonlight, paraview, jupyter) included.
const ICON_BY_NAME: Record<string, IconName> = {
  desktop: 'desktop',
  monitor: 'desktop',
  terminal: 'terminal',
  gpu: 'gpu',
  moonlight: 'gpu',
  chart: 'chart',
  paraview: 'chart',
  notebook: 'notebook',
  jupyter: 'notebook',
};

export function iconNameOf(templateIcon: string): IconName {
  return ICON_BY_NAME[templateIcon.trim().toLowerCase()] ?? 'package';
}

/** Decorative: the template's name next to it says what it is. */
export function TemplateIcon({ icon }: { icon: string }) {
  const name = iconNameOf(icon);
  return (
    <svg
      className="template-icon"
      data-icon={name}
      viewBox="0 0 24 24"
      width="28"
      height="28"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {DRAWINGS[name]}
    </svg>
  );
}
