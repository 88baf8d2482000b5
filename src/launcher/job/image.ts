import { TOOL_VERSION } from '../../version.js';

/** Where the project publishes its image; the one place to change when it moves. */
export const IMAGE_REPOSITORY = 'ghcr.io/irsa-doctor/irsa-doctor';

/** Pinned to the launcher's own version, so the agent speaks the report schema this launcher reads. */
export const DEFAULT_IMAGE = `${IMAGE_REPOSITORY}:${TOOL_VERSION}`;
