// class-transformer exposes its metadata storage (needed to follow @Type for nested schemas) only by path.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
