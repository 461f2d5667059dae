/** The admin token of every app a bench or drill starts (loopback only, never a real one). */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const BENCH_SESSION_SECRET = 'bench-session-secret-0123456789abcdef0123456789';
