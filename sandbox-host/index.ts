// Public entry of the local sandbox host: start it in-process and get its URLs back.
export { startSandboxHost, type SandboxHost, type SandboxHostOptions } from "./server";
