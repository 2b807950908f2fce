/**
 * The command line's exit codes.
 *
 * @module
 */

/** Exit code: the command worked. */
export const EXIT_OK = 0;
/** Exit code: the sign-in or a call to Twitch failed or was refused. */
export const EXIT_FAILED = 1;
/** Exit code: the command line was wrong. */
export const EXIT_USAGE = 2;
/** Exit code: interrupted with Ctrl+C. */
export const EXIT_INTERRUPTED = 130;
