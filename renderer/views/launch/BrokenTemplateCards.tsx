// Templates that did not load, shown to every user with why: a broken template that silently
// vanished left users wondering and admins unaware. Not launchable: there is no button.
import type { BrokenTemplate } from '../../../main/api';

export function BrokenTemplateCards({ broken }: { broken: BrokenTemplate[] }) {
  if (!broken.length) return null;
  return (
    <ul className="template-grid" aria-label="Broken templates">
      {broken.map((t, index) => (
        // Two template folders may share a name (the user's and one from agent.json): the place keeps keys apart.
        <li key={`${t.source}:${t.id}:${index}`} className="card template-card broken-template" aria-label={`Broken template ${t.id}`}>
          <p className="template-name">{t.id}</p>
          <p className="error-text">Cannot be launched. {whoFixes(t.source)}</p>
          <ul className="muted small broken-problems" aria-label={`Problems of ${t.id}`}>
            {t.problems.map((p) => (
              <li key={`${p.file}:${p.line}:${p.column}:${p.message}`}>
                <code>
                  {p.file}:{p.line}:{p.column}
                </code>{' '}
                {p.message}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** Who can fix it; `templates.check` shows the same problems to whoever does. */
function whoFixes(source: BrokenTemplate['source']): string {
  if (source === 'user') return 'It is one of your own templates: fix it (node agent.cjs templates.check <folder> checks it).';
  if (source === 'site') return 'Tell your site’s admin: the site’s template has these problems.';
  return 'This copy of Porthole ships it broken: please report it.';
}
