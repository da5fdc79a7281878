// Finds the templates: the ones built into agent.cjs, then the site's (/etc/porthole/templates),
// then the user's (~/.porthole/templates); a later one with the same id replaces an earlier one.
// A template that does not parse is left out and reported (doctor), never half-used.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateSummary } from './protocol';
import { parseTemplateFile, type Template } from './template-schema';

export interface TemplateSource {
  dir: string;
  templateJson: string;
  jobScript: string;
}

export interface TemplateCatalog {
  templates: Map<string, Template>;
  problems: string[];
}

export function readTemplateDir(root: string): TemplateSource[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'template.json')))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => ({
      dir: join(root, entry.name),
      templateJson: readFileSync(join(root, entry.name, 'template.json'), 'utf8'),
      jobScript: existsSync(join(root, entry.name, 'job.sh')) ? readFileSync(join(root, entry.name, 'job.sh'), 'utf8') : '',
    }));
}

export function buildCatalog(layers: { source: TemplateSummary['source']; templates: TemplateSource[] }[]): TemplateCatalog {
  const templates = new Map<string, Template>();
  const problems: string[] = [];
  for (const layer of layers) {
    for (const source of layer.templates) {
      try {
        const file = parseTemplateFile(source.templateJson, `template ${source.dir}/template.json`);
        if (!source.jobScript.trim()) throw new Error(`template ${source.dir}: job.sh is missing or empty`);
        templates.set(file.id, { file, jobScript: source.jobScript, source: layer.source });
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return { templates, problems };
}

export function loadCatalog(builtin: TemplateSource[], home: string, extraDirs: string[] = []): TemplateCatalog {
  return buildCatalog([
    { source: 'builtin', templates: builtin },
    { source: 'site', templates: readTemplateDir('/etc/porthole/templates') },
    { source: 'user', templates: [join(home, '.porthole', 'templates'), ...extraDirs].flatMap(readTemplateDir) },
  ]);
}
