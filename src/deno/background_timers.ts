// Lets the background timers of src/web (the hourly token validation of
// Twitch and TokenProvider) not keep a Deno process alive: a script that
// sets a token and returns exits at once. Imported by mod.ts for this effect.

import { useTimerUnref } from "../web/_background_timer.ts";

useTimerUnref(Deno.unrefTimer);
