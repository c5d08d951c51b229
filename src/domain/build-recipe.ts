/**
 * Whether a CodeBuild project the config names builds with docker/ (the recipe). A project that
 * builds something else (4dn-cloud-infra's builds cgap-portal from GitHub with cgap-portal's own
 * buildspec) would start, succeed and be recorded as the release's build although docker/ was never
 * applied: such a project is refused before any build starts, saying what to change.
 */

/** What CodeBuild says of a project's source (BatchGetProjects). */
export interface BuildProjectSource {
  name: string;
  /** NO_SOURCE, GITHUB, S3, CODECOMMIT, ... */
  sourceType: string;
  /** Inline buildspec text, a path in the source, or '' for the source's own buildspec.yml. */
  buildspec: string;
}

/** The conductor's buildspec (buildspec/buildspec.yml), by its path or by the command only it runs. */
export const RECIPE_BUILDSPEC_PATH = 'buildspec/buildspec.yml';
export const RECIPE_BUILD_COMMAND = 'docker build --file docker/Dockerfile';

/** Why the project would not apply docker/, or undefined when it does. */
export function recipeProblem(project: BuildProjectSource | undefined, name: string): string | undefined {
  if (!project) return `CodeBuild project ${name} does not exist`;
  const { buildspec, sourceType } = project;
  if (buildspec.includes(RECIPE_BUILD_COMMAND)) return undefined;
  if (buildspec.trim() === RECIPE_BUILDSPEC_PATH && sourceType !== 'NO_SOURCE') return undefined;
  const builds =
    buildspec.trim() === ''
      ? `builds its ${sourceType} source with that source's own buildspec.yml`
      : `runs a buildspec that is not buildspec/buildspec.yml (${sourceType} source)`;
  return (
    `CodeBuild project ${name} ${builds}, so docker/ would never be applied and its images would be ` +
    `recorded as this release's builds: leave codebuild.project out (the conductor's stack then creates a ` +
    `project that runs the recipe), point the project at ${RECIPE_BUILDSPEC_PATH} in a source holding docker/, ` +
    `or set image.shape single-image to run the pushed image as it is`
  );
}
