export * from './linking.error';
export * from './linking.module';
export * from './platform';
export * from './link-code';
export * from './identity.service';
export * from './link-codes.service';
export * from './link-redeemer.service';
export * from './account-unlink.service';
