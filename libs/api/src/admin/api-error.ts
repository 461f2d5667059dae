// Re-exported so the admin feature folders import it one level up (lint bans ../../).
export { ApiError } from '../errors/api.error';
