// The desktop image's recipe (templates/vnc-desktop/desktop.def) against the job library that runs
// programs inside it. Apptainer cannot run here, so the image is never built: what is checked is
// that the two agree (every program the job library and the templates on this image run inside
// the runtime is installed and listed in the recipe's %test, which fails a build that lacks one),
// that the image path is the one the templates and the admin guide name, and that the recipe's
// shell sections are valid shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shippedJobLibrary, shippedTemplate } from './fixtures';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const recipeText = readFileSync(`${root}templates/vnc-desktop/desktop.def`, 'utf8');
const imagePath = shippedTemplate('vnc-desktop').file.image;

/** Where each program comes from in the image: a Debian package named in %post, or the VirtualGL .deb. */
const PACKAGE_OF_PROGRAM: Record<string, string> = {
  sh: '(Debian base)',
  xauth: 'xauth',
  vncpasswd: 'tigervnc-tools',
  Xvnc: 'tigervnc-standalone-server',
  startxfce4: 'xfce4',
  xterm: 'xterm',
  vglrun: '(VirtualGL .deb)',
  xprintidle: 'xprintidle',
};

interface Recipe {
  header: Record<string, string>;
  /** Section name → its body; the options after the name (`%post -c /bin/bash`) in `options`. */
  sections: Map<string, { options: string; body: string }>;
}

/** An Apptainer definition file: `Key: value` header lines, then `%section [options]` blocks. */
function parseRecipe(text: string): Recipe {
  const header: Record<string, string> = {};
  const sections = new Map<string, { options: string; body: string }>();
  let current: { options: string; body: string } | undefined;
  for (const line of text.split('\n')) {
    const section = /^%(\w+)\s*(.*)$/.exec(line);
    if (section) {
      current = { options: section[2], body: '' };
      sections.set(section[1], current);
    } else if (current) current.body += `${line}\n`;
    else {
      const field = /^(\w+):\s*(.+)$/.exec(line);
      if (field) header[field[1]] = field[2].trim();
    }
  }
  return { header, sections };
}

const recipe = parseRecipe(recipeText);
const section = (name: string): string => {
  const found = recipe.sections.get(name);
  assert.ok(found, `the recipe has no %${name} section`);
  return found.body;
};

/** The shell text of everything that runs on this image: the job library and each template whose image it is. */
function scriptsOnThisImage(): string[] {
  const templates = readdirSync(`${root}templates`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'lib')
    .map((entry) => shippedTemplate(entry.name))
    .filter((template) => template.file.image === imagePath);
  return [shippedJobLibrary, ...templates.map((template) => template.jobScript)];
}

/**
 * The programs a script runs inside the runtime: the word after "${run_in_runtime[@]}" (and the
 * arrays passed before it), what porthole_runtime_has looks for, the X server given to
 * porthole_start_x_server, and the window manager the job library tries first (the others are
 * fallbacks for nodes without the image).
 */
function programsRunInRuntime(script: string): string[] {
  const programs = new Set<string>();
  const arrays = new Map([...script.matchAll(/\b(\w+)=\(([A-Za-z][\w.-]*)/g)].map((m) => [m[1], m[2]]));
  for (const m of script.matchAll(/"\$\{run_in_runtime\[@\]\}"(?:\s+"\$[^"]*")*\s+([A-Za-z][\w.-]*)/g)) programs.add(m[1]);
  for (const m of script.matchAll(/\bporthole_runtime_has\s+([A-Za-z][\w.-]*)/g)) programs.add(m[1]);
  for (const m of script.matchAll(/\bporthole_start_x_server\s+(?:"\$\{(\w+)\[@\]\}"|([A-Za-z][\w.-]*))/g)) {
    const program = m[2] ?? arrays.get(m[1]);
    assert.ok(program, `porthole_start_x_server is given "\${${m[1]}[@]}", an array this script does not set`);
    programs.add(program);
  }
  const windowManagers = /porthole_start_window_manager\(\) \{[\s\S]*?for program in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/);
  if (windowManagers) programs.add(windowManagers[0]);
  return [...programs].sort();
}

const requiredPrograms = [...new Set(scriptsOnThisImage().flatMap(programsRunInRuntime))].sort();

/** Packages the recipe installs with apt-get (continuation lines joined). */
function aptPackages(post: string): string[] {
  return [...post.replace(/\\\n/g, ' ').matchAll(/apt-get install ([^\n]+)/g)].flatMap((m) =>
    m[1].split(/\s+/).filter((word) => word && !word.startsWith('-')),
  );
}

describe('the desktop image recipe', () => {
  it('is the image the desktop templates name, on a Debian base, and the admin guide says so', () => {
    assert.equal(imagePath, '/opt/apptainers/desktop/desktop.sif');
    assert.equal(shippedTemplate('xterm').file.image, imagePath, 'xterm runs on the same image');
    assert.equal(recipe.header.Bootstrap, 'docker');
    assert.match(recipe.header.From, /^(debian|ubuntu):/);
    const guide = readFileSync(`${root}docs/admin.md`, 'utf8');
    assert.ok(guide.includes(imagePath), `docs/admin.md does not name ${imagePath}`);
    assert.ok(guide.includes('templates/vnc-desktop/desktop.def'), 'docs/admin.md does not name the recipe');
  });

  it('finds the programs the job library runs inside the runtime', () => {
    // A guard on the reading above: if these are not found, the next checks prove nothing.
    for (const program of ['Xvnc', 'xauth', 'vncpasswd', 'startxfce4', 'xterm', 'vglrun', 'xprintidle'])
      assert.ok(requiredPrograms.includes(program), program);
  });

  it('installs every program the job library runs inside the runtime, and its %test checks each one', () => {
    const post = section('post');
    const installed = aptPackages(post);
    for (const program of requiredPrograms) {
      const origin = PACKAGE_OF_PROGRAM[program];
      assert.ok(origin, `the job library runs ${program} inside the image: install it in desktop.def and name its package here`);
      if (origin === '(VirtualGL .deb)') {
        const destination = /\{\{\s*VIRTUALGL_DEB\s*\}\}\s+(\S+)/.exec(section('files'))?.[1];
        assert.ok(destination, '%files does not copy the VirtualGL .deb ({{ VIRTUALGL_DEB }})');
        assert.ok(installed.includes(destination), `%post does not install ${destination}`);
        assert.match(section('arguments'), /^\s*VIRTUALGL_DEB=\S+\.deb$/m);
      } else if (!origin.startsWith('(')) {
        assert.ok(installed.includes(origin), `${program} needs package ${origin}, which %post does not install`);
      }
    }
    const checked = /for program in ([^;]+);/.exec(section('test'))?.[1].trim().split(/\s+/).sort();
    assert.deepEqual(checked, requiredPrograms, "%test's list of programs is not the job library's");
  });

  it('names for each program the Debian package that has it, where this machine has both', () => {
    for (const [program, origin] of Object.entries(PACKAGE_OF_PROGRAM)) {
      if (origin.startsWith('(')) continue;
      const path = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();
      if (!path) continue;
      const owner = spawnSync('dpkg', ['-S', realpathSync(path)], { encoding: 'utf8' }).stdout.split(':')[0];
      if (owner === origin) continue;
      // A metapackage (xfce4) counts when it depends on the package that has the program.
      const dependencies = spawnSync('apt-cache', ['depends', '--no-recommends', '--no-suggests', origin], { encoding: 'utf8' }).stdout;
      assert.ok(dependencies.includes(`Depends: ${owner}\n`), `${program} is in ${owner} here, not in ${origin} or what it depends on`);
    }
  });

  it('leaves the session environment to the job and runs what it is given', () => {
    const environment = section('environment');
    for (const variable of ['DISPLAY', 'XAUTHORITY', 'LC_ALL', 'HOME', 'PORTHOLE_'])
      assert.ok(!new RegExp(`\\b${variable}\\w*=`).test(environment), `%environment sets ${variable}, which the job sets`);
    assert.match(section('runscript'), /^\s*exec "\$@"\s*$/m);
  });

  it('has shell sections that bash and shellcheck accept', () => {
    const post = recipe.sections.get('post')!;
    assert.match(post.options, /-c \/bin\/bash/, '%post does not ask for bash, yet uses set -o pipefail');
    for (const [name, shell] of [
      ['post', 'bash'],
      ['environment', 'sh'],
      ['runscript', 'sh'],
      ['test', 'sh'],
    ] as const) {
      const body = section(name);
      const syntax = spawnSync(shell, ['-n'], { input: body, encoding: 'utf8' });
      assert.equal(syntax.status, 0, `%${name} is not valid ${shell}: ${syntax.stderr}`);
      const lint = spawnSync('shellcheck', [`--shell=${shell}`, '-'], { input: body, encoding: 'utf8' });
      assert.equal(lint.error, undefined, `shellcheck could not run: ${lint.error?.message}`);
      assert.equal(lint.status, 0, `shellcheck of %${name}:\n${lint.stdout}`);
    }
  });
});
