# examples/cloudflare_worker.ts on this machine, in Cloudflare's own runtime
# (workerd, from npm), with its Durable Object's storage in a local folder:
#
#   deno bundle --platform browser -o examples/workerd/worker.js examples/cloudflare_worker.ts
#   mkdir -p .tmp/do-disk
#   npx workerd serve examples/workerd/config.capnp --directory-path do-disk=.tmp/do-disk
#
# It listens on http://localhost:8787 (--socket-addr http=HOST:PORT to move it)
# and reads its settings from the environment: TWITCH_CLIENT_ID,
# TWITCH_CLIENT_SECRET, TWITCH_REDIRECT_URL (http://localhost:8787/callback,
# registered for the app), COOKIE_SECRET (openssl rand -base64 32) and, for a
# mock Twitch, TWITCH_AUTH_BASE_URL.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Twitch, or a mock on loopback (workerd's default outbound is public only).
    (name = "net", network = (allow = ["public", "private", "local"])),
    # The Durable Object's storage: give its folder with --directory-path.
    (name = "do-disk", disk = (writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "net",
  durableObjectNamespaces = [
    (className = "TwitchTokenObject", uniqueKey = "twitch-auth-token-object"),
  ],
  durableObjectStorage = (localDisk = "do-disk"),
  bindings = [
    (name = "TWITCH_CLIENT_ID", fromEnvironment = "TWITCH_CLIENT_ID"),
    (name = "TWITCH_CLIENT_SECRET", fromEnvironment = "TWITCH_CLIENT_SECRET"),
    (name = "TWITCH_REDIRECT_URL", fromEnvironment = "TWITCH_REDIRECT_URL"),
    (name = "COOKIE_SECRET", fromEnvironment = "COOKIE_SECRET"),
    (name = "TWITCH_AUTH_BASE_URL", fromEnvironment = "TWITCH_AUTH_BASE_URL"),
    (name = "TOKENS", durableObjectNamespace = "TwitchTokenObject"),
  ],
);
