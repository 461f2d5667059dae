export * from './api.module';
export * from './api-docs';
export * from './http-edge';
export * from './auth/admin-token.guard';
export * from './auth/telegram-login';
export * from './auth/session-token';
export * from './errors/api.error';
export * from './admin/roles/role-mappings.service';
