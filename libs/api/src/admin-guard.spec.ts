import 'reflect-metadata';
import { GUARDS_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ApiModule } from './api.module';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { PlayerSessionGuard } from './auth/player-session.guard';
import { PublicThrottlerGuard } from './auth/public-throttler.guard';

type Class = (abstract new (...args: never[]) => unknown) & { name: string; prototype: object };

const guardsOf = (target: object): unknown[] =>
  (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];

const methodsOf = (type: Class): string[] =>
  Object.getOwnPropertyNames(type.prototype).filter((name) => name !== 'constructor');

/**
 * The lint-level rule "every resolver and admin route guarded", checked on the metadata Nest
 * itself reads: a new admin route or resolver without its guard fails here.
 */
describe('API guard coverage', () => {
  const controllers =
    (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, ApiModule) as Class[]) ?? [];
  const providers = (Reflect.getMetadata(MODULE_METADATA.PROVIDERS, ApiModule) as Class[]) ?? [];
  // Files and classes carry the role suffix (STYLE.md), so `*Resolver` is every resolver.
  const resolvers = providers.filter(
    (type) => typeof type === 'function' && type.name.endsWith('Resolver'),
  );

  it('finds the controllers and resolvers it checks', () => {
    expect(controllers.length).toBeGreaterThanOrEqual(5);
    expect(resolvers.length).toBeGreaterThanOrEqual(5);
  });

  it('puts AdminTokenGuard on every /admin route', () => {
    const admin = controllers.filter((type) =>
      String(Reflect.getMetadata(PATH_METADATA, type)).startsWith('admin'),
    );
    expect(admin.length).toBeGreaterThanOrEqual(4);
    for (const type of admin) {
      const classGuards = guardsOf(type);
      for (const method of methodsOf(type)) {
        const handler = (type.prototype as Record<string, object>)[method];
        const guards = [...classGuards, ...guardsOf(handler)];
        expect([type.name, method, guards.includes(AdminTokenGuard)]).toEqual([
          type.name,
          method,
          true,
        ]);
      }
    }
  });

  it('guards every resolver operation: admin resolvers with the admin token, others explicitly', () => {
    const allowed = [AdminTokenGuard, PlayerSessionGuard, PublicThrottlerGuard];
    for (const type of resolvers) {
      const classGuards = guardsOf(type);
      for (const method of methodsOf(type)) {
        const handler = (type.prototype as Record<string, object>)[method];
        const guards = [...classGuards, ...guardsOf(handler)];
        const guarded = guards.some((guard) => allowed.includes(guard as typeof AdminTokenGuard));
        expect([type.name, method, guarded]).toEqual([type.name, method, true]);
        if (type.name.startsWith('Admin')) {
          expect([type.name, method, guards.includes(AdminTokenGuard)]).toEqual([
            type.name,
            method,
            true,
          ]);
        }
      }
    }
  });
});
