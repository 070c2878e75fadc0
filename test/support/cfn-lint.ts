// AWS's own template linter (cfn-lint, a Python tool on PATH on the machine image and in CI) as an
// independent check of what the generator emits: our spec validator shows what we meant, cfn-lint
// whether CloudFormation agrees. It starts slowly (~seconds), so every template of a test goes
// through ONE process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedTemplates, Template } from '../../src/cloudformation/index.js';

/** A template to lint, under a name that becomes its file name (and appears in failures). */
export interface NamedTemplate {
  name: string;
  template: Template | Record<string, unknown>;
}

export interface CfnLintFinding {
  rule: string;
  level: string;
  file: string;
  line?: number;
  path?: string;
  message: string;
}

interface RawFinding {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location?: { Start?: { LineNumber?: number }; Path?: unknown[] };
}

/**
 * Rules switched off for every template, each for a reason that holds for all of them. Keep this
 * empty unless a rule is wrong about templates CloudFormation accepts.
 */
const IGNORED_RULES: string[] = [];

/** The root and every nested template of a generateTemplates result, named `<prefix>/<id>`. */
export function templatesOf(prefix: string, generated: GeneratedTemplates): NamedTemplate[] {
  return [
    { name: `${prefix}/root`, template: generated.root },
    ...generated.children.map((child) => ({ name: `${prefix}/${child.logicalId}`, template: child.template })),
  ];
}

function fileNameOf(name: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]+/g, '_')}.json`;
}

export interface CfnLintOptions {
  /** The executable; `cfn-lint` on PATH unless a test of this helper names another. */
  command?: string;
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
      if (code === 'ENOENT') {
        // CI has cfn-lint; a missing checker must fail loudly, never pass by checking nothing.
        reject(new Error(`${command} is not on PATH: install cfn-lint (\`pip install cfn-lint==1.51.0\`) to run the template lint check`));
        return;
      }
      resolve({ code: typeof code === 'number' ? code : 0, stdout, stderr });
    });
  });
}

/** Lints the templates in one cfn-lint run and returns every finding, warnings and errors. */
export async function cfnLint(templates: readonly NamedTemplate[], options: CfnLintOptions = {}): Promise<CfnLintFinding[]> {
  if (templates.length === 0) throw new Error('cfnLint: no templates given');
  const dir = mkdtempSync(join(tmpdir(), 'sls-ts-cfn-lint-'));
  try {
    const files = new Map<string, string>();
    for (const { name, template } of templates) {
      const file = join(dir, fileNameOf(name));
      if (files.has(file)) throw new Error(`cfnLint: two templates named ${name}`);
      files.set(file, name);
      // Indented, so cfn-lint's line numbers point somewhere readable.
      writeFileSync(file, JSON.stringify(template, null, 1));
    }
    const ignore = IGNORED_RULES.length > 0 ? ['--ignore-checks', ...IGNORED_RULES] : [];
    const { code, stdout, stderr } = await run(options.command ?? 'cfn-lint', ['--non-zero-exit-code', 'warning', '--format', 'json', ...ignore, '--', ...files.keys()]);
    let raw: RawFinding[];
    try {
      raw = JSON.parse(stdout || '[]') as RawFinding[];
    } catch {
      throw new Error(`cfn-lint printed no JSON (exit ${code}): ${stderr || stdout}`);
    }
    // A non-zero exit with nothing reported means cfn-lint itself failed (bad option, crash).
    if (code !== 0 && raw.length === 0) throw new Error(`cfn-lint failed (exit ${code}): ${stderr}`);
    return raw.map((finding) => ({
      rule: finding.Rule.Id,
      level: finding.Level,
      file: files.get(finding.Filename) ?? finding.Filename,
      ...(finding.Location?.Start?.LineNumber !== undefined ? { line: finding.Location.Start.LineNumber } : {}),
      ...(finding.Location?.Path ? { path: finding.Location.Path.join('/') } : {}),
      message: finding.Message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per finding: `E3012 example/root Resources/Api/Properties/Name: message`. */
export function formatFindings(findings: readonly CfnLintFinding[]): string {
  return findings.map((f) => `${f.rule} [${f.level}] ${f.file}${f.path ? ` ${f.path}` : f.line ? `:${f.line}` : ''}: ${f.message}`).join('\n');
}

/** Fails with every rule id, template and message when cfn-lint reports a warning or an error. */
export async function expectCfnLintClean(templates: readonly NamedTemplate[]): Promise<void> {
  const findings = (await cfnLint(templates)).filter((finding) => finding.level !== 'Informational');
  if (findings.length > 0) throw new Error(`cfn-lint found ${findings.length} problem(s) in ${templates.length} template(s):\n${formatFindings(findings)}`);
}
