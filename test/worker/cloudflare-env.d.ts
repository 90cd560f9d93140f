// Types for `cloudflare:test` and `cloudflare:workers` in this suite: our Worker's bindings and main module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../../worker/index");
    durableNamespaces: "SessionRoom";
  }
  interface Env extends import("../../worker/env").Env {}
}
