// The virtual module build/bundle.mjs compiles from templates/<id>/ (template.json + job.sh).
declare module 'porthole:builtin-templates' {
  const builtinTemplates: { dir: string; templateJson: string; jobScript: string }[];
  export default builtinTemplates;
}
declare const __PORTHOLE_VERSION__: string;
