// Finds the templates: the ones built into agent.cjs, then the site's (/etc/porthole/templates),
// then the user's (~/.porthole/templates); a later one with the same id replaces an earlier one.
// A template that does not pass its check (template-check.ts) is never half-used: it is kept
// as broken, with its problems, so that the app shows it and why instead of hiding it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BrokenTemplate, TemplateSummary } from './protocol';
import { checkTemplateSource } from './template-check';
import type { Template } from './template-schema';

export interface TemplateSource {
  dir: string;
  templateJson: string;
  jobScript: string;
}

export interface TemplateCatalog {
  templates: Map<string, Template>;
  broken: BrokenTemplate[];
}

/** One template folder's files; a missing job.sh reads as empty, which the check refuses. */
export function readTemplateFolder(dir: string): TemplateSource {
  const jobFile = join(dir, 'job.sh');
  return {
    dir,
    templateJson: readFileSync(join(dir, 'template.json'), 'utf8'),
    jobScript: existsSync(jobFile) ? readFileSync(jobFile, 'utf8') : '',
  };
}

/** The template folders (those with a template.json) inside `root`, by name. */
export function readTemplateDir(root: string): TemplateSource[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'template.json')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => readTemplateFolder(join(root, entry.name)));
}

export function buildCatalog(layers: { source: TemplateSummary['source']; templates: TemplateSource[] }[]): TemplateCatalog {
  const templates = new Map<string, Template>();
  const broken: BrokenTemplate[] = [];
  for (const layer of layers) {
    for (const source of layer.templates) {
      const checked = checkTemplateSource(source);
      if (checked.template)
        templates.set(checked.template.id, { file: checked.template, jobScript: source.jobScript, source: layer.source });
      else broken.push({ id: basename(source.dir), source: layer.source, problems: checked.problems });
    }
  }
  return { templates, broken };
}

export function loadCatalog(builtin: TemplateSource[], home: string, extraDirs: string[] = []): TemplateCatalog {
  return buildCatalog([
    { source: 'builtin', templates: builtin },
    { source: 'site', templates: readTemplateDir('/etc/porthole/templates') },
    { source: 'user', templates: [join(home, '.porthole', 'templates'), ...extraDirs].flatMap(readTemplateDir) },
  ]);
}
