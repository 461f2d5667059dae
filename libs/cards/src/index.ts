export * from './avatar-fetcher';
export * from './card-cache';
export * from './card-layout';
export * from './card-renderer';
export * from './cards.module';
export * from './fonts';
export * from './rank-card';
export * from './rank-cards.service';
