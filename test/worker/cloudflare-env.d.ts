// Types for `cloudflare:test` and `cloudflare:workers` in this suite: our Worker's bindings and main module.
declare namespace Cloudflare {
  type NightonaEnv = import("../../worker/env").Env;
  interface GlobalProps {
    mainModule: typeof import("../../worker/index");
    durableNamespaces: "SessionRoom";
  }
  interface Env extends NightonaEnv {}
}
