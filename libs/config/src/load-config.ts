import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

/** Bad configuration: the message names every variable that is wrong, and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the settings class from the environment (defaults live in the class), or throws a ConfigError
 * naming the bad variables, so that a process with a typo in its environment stops at start.
 */
export function loadConfig<T extends object>(cls: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  // Only the variables the class declares, and only those set: an empty one means "the default".
  const declared = Object.keys(new cls());
  const present = Object.fromEntries(declared.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]));
  const settings = plainToInstance(cls, present, { exposeDefaultValues: true });
  const problems = validateSync(settings, { validationError: { target: false } });
  if (problems.length) {
    const lines = problems.map((p) => `  ${p.property}=${JSON.stringify(env[p.property] ?? '')}: ${Object.values(p.constraints ?? {})[0]}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return settings;
}
