// Checks a template folder the way the agent loads it, and says where each problem is written
// (`file:line:column: message`): the same check decides whether a template loads, so what
// `templates.check` passes, the agent launches, and what it refuses shows in the app as broken.
import { join } from 'node:path';
import type { TemplateProblem } from './protocol';
import type { TemplateSource } from './template-loader';
import { checkTemplateJson, type TemplateFile } from './template-schema';

export type TemplateCheck =
  { dir: string; template: TemplateFile; problems: [] } | { dir: string; template?: undefined; problems: TemplateProblem[] };

/** template.json (its syntax, shape and meaning) and a job.sh that is not empty. */
export function checkTemplateSource(source: TemplateSource): TemplateCheck {
  const checked = checkTemplateJson(source.templateJson, join(source.dir, 'template.json'));
  const problems = [...checked.problems];
  if (!source.jobScript.trim())
    problems.push({
      file: join(source.dir, 'job.sh'),
      line: 1,
      column: 1,
      message: 'job.sh is missing or empty; it is the body of the batch script',
    });
  return checked.template && !problems.length
    ? { dir: source.dir, template: checked.template, problems: [] }
    : { dir: source.dir, problems };
}
