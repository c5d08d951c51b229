/** A container image reference split into its parts: `repo:tag`, `repo@sha256:…` or `repo:tag@sha256:…`. */
export interface ImageReference {
  /** Everything before the tag and digest, registry included (`123.dkr.ecr.us-east-1.amazonaws.com/cgap`). */
  repository: string;
  tag: string | null;
  digest: string | null;
}

export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? null : image.slice(at + 1) || null;
  // A colon is a tag separator only after the last slash: `registry:5000/repo` has a port, not a tag.
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) || null : null,
    digest,
  };
}
