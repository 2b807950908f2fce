# examples/cloudflare_worker.ts in Cloudflare's own runtime, workerd, on this
# machine: bundle it next to this folder, then serve it on http://localhost:8787
#
#   deno bundle --platform browser -o worker.js examples/cloudflare_worker.ts
#   npx workerd serve examples/cloudflare_worker.capnp
#
# The worker's variables come from the environment (the mock's export lines,
# plus COOKIE_SECRET and TWITCH_REDIRECT_URL=http://localhost:8787/callback);
# the Durable Object keeps its tokens in the folder .workerd-tokens.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # workerd's default outbound reaches public addresses only; the mock is on loopback.
    (name = "loopback-net", network = (allow = ["public", "private", "local"])),
    (name = "tokens-disk", disk = (path = ".workerd-tokens", writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "../worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback-net",
  durableObjectNamespaces = [
    (className = "TwitchTokenObject", uniqueKey = "twitch-auth-tokens"),
  ],
  durableObjectStorage = (localDisk = "tokens-disk"),
  bindings = [
    (name = "TWITCH_CLIENT_ID", fromEnvironment = "TWITCH_CLIENT_ID"),
    (name = "TWITCH_CLIENT_SECRET", fromEnvironment = "TWITCH_CLIENT_SECRET"),
    (name = "TWITCH_REDIRECT_URL", fromEnvironment = "TWITCH_REDIRECT_URL"),
    (name = "TWITCH_AUTH_BASE_URL", fromEnvironment = "TWITCH_AUTH_BASE_URL"),
    (name = "COOKIE_SECRET", fromEnvironment = "COOKIE_SECRET"),
    (name = "TOKENS", durableObjectNamespace = "TwitchTokenObject"),
  ],
);
