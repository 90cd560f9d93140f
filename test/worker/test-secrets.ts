// Secrets of the workerd suite's Worker: fixed, so tests can sign or present them; never used outside tests.
export const TEST_SIGNING_KEY = "test-signing-key-0123456789abcdef-0123456789abcdef";
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";
