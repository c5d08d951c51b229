import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Why a test that needs these commands (and files) cannot run here, or '' when it can. In CI it always
 * runs (`.ci/run` installs them), so a missing tool fails there instead of skipping.
 */
export function skipReason(commands: string[], files: string[] = []): string {
  if (process.env.CI) return '';
  const missing = [
    ...commands.filter((command) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0),
    ...files.filter((file) => !existsSync(file)),
  ];
  if (missing.length > 0) return `not installed: ${missing.join(', ')} (.ci/run installs them)`;
  if (process.getuid?.() !== 0) return 'buildah chroot isolation and network namespaces need root';
  return '';
}
