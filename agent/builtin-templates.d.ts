// The virtual module build/bundle.mjs compiles from templates/<id>/ (template.json + job.sh)
// and templates/lib/job-lib.sh.
declare module 'porthole:builtin-templates' {
  const builtinTemplates: { dir: string; templateJson: string; jobScript: string }[];
  export default builtinTemplates;
  /** templates/lib/job-lib.sh: the porthole_* shell functions every batch script carries. */
  export const jobLibrary: string;
}
declare const __PORTHOLE_VERSION__: string;
