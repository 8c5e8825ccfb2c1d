/**
 * Body limits for posts to page routes (server actions), read by next.config.ts and the proxy.
 * A report carries up to three 5 MB screenshots (lib/reports/evidence.ts); the form's own checks
 * refuse anything larger with a translated message before this limit is reached.
 */
export const ACTION_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * The proxy's copy of a body is cut at its own limit, so it is set above the action limit: a body
 * the proxy sees as longer than ACTION_BODY_LIMIT_BYTES is refused whole (413) instead of reaching
 * the decoder cut short.
 */
export const PROXY_BODY_COPY_BYTES = ACTION_BODY_LIMIT_BYTES + 64 * 1024;
