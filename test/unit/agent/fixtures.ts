// Templates and Slurm outputs for the agent's unit tests, read from the repository itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTemplateFile, type TemplateFile } from '../../../agent/template-schema';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** templates/lib/job-lib.sh, as the bundler gives it to the agent. */
export const shippedJobLibrary = readFileSync(`${root}templates/lib/job-lib.sh`, 'utf8');

export function shippedTemplate(id: string): { file: TemplateFile; jobScript: string } {
  return {
    file: parseTemplateFile(readFileSync(`${root}templates/${id}/template.json`, 'utf8'), id),
    jobScript: readFileSync(`${root}templates/${id}/job.sh`, 'utf8'),
  };
}
