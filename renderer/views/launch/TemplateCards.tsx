// The template catalogue of a cluster as cards: icon, name, description. Choosing one opens its form.
import type { TemplateSummary } from '../../../main/api';
import { TemplateIcon } from './TemplateIcon';

export function TemplateCards({ templates, onChoose }: { templates: TemplateSummary[]; onChoose: (templateId: string) => void }) {
  return (
    <ul className="template-grid" aria-label="Templates">
      {templates.map((t) => (
        <li key={t.id} className="card template-card">
          <button type="button" className="template-button" onClick={() => onChoose(t.id)} aria-describedby={`template-${t.id}-desc`}>
            <TemplateIcon icon={t.icon} />
            <span className="template-name">{t.name}</span>
          </button>
          <p id={`template-${t.id}-desc`} className="muted">
            {t.description}
          </p>
          <p className="muted small">
            {t.kind === 'sunshine' ? 'Moonlight stream' : 'VNC desktop in this window'}
            {t.source !== 'builtin' ? ` · from the ${t.source}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}
