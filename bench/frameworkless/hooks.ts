/**
 * Module resolution for the frameworkless processes (registered by register.ts). The domain's renderer
 * takes only enumerations from the contracts library at run time, but the library's index also loads the
 * DTOs, and with them class-validator and Nest's decorators: `#app/contracts` resolves to the enumerations
 * alone here. Any framework import is refused, so "frameworkless" is checked, not assumed.
 */
const REFUSED = /^(@nestjs\/|typeorm$|class-validator$|class-transformer$|rxjs$|amqp-connection-manager$|reflect-metadata$)/;
const ENUMS = new URL('../../libs/contracts/src/enums.js', import.meta.url).href;

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  if (specifier === '#app/contracts') return nextResolve(ENUMS, context);
  if (REFUSED.test(specifier)) throw new Error(`the frameworkless path must not load ${specifier} (imported by ${context.parentURL ?? '?'})`);
  return nextResolve(specifier, context);
}
