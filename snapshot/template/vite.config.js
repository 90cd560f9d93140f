// Vite settings for an app previewed through a proxy (Daytona's preview links, or the local sandbox host's route).
// Plain object, no `import "vite"`: the local sandbox host runs Nightona's own Vite against this folder.
export default {
  server: {
    // The preview proxy's host name (e.g. 3000-<token>.proxy.daytona.works) is not known in advance; the port is
    // reachable only through that authenticated proxy.
    allowedHosts: true,
  },
};
