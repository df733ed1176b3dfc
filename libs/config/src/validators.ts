import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';

/** A URL that parses and has one of the given schemes (`postgres:`, `amqp:`...). */
export const IsUrlWithScheme = (schemes: string[]) =>
  ValidateBy({
    name: 'isUrlWithScheme',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          const url = new URL(value);
          return schemes.includes(url.protocol) && url.hostname !== '';
        } catch {
          return false;
        }
      },
      defaultMessage: () => `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
    },
  });

/** An integer variable between min and max, written in decimal digits (`0x10` and `1e3` are refused). */
export const IsIntegerBetween = (min: number, max: number): PropertyDecorator => (target, key) => {
  Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))(target, key);
  IsInt({ message: `must be an integer between ${min} and ${max}` })(target, key);
  Min(min, { message: `must be an integer between ${min} and ${max}` })(target, key);
  Max(max, { message: `must be an integer between ${min} and ${max}` })(target, key);
};

/**
 * CORS origins: empty (CORS off), `*` alone, or a comma-separated list of origins as browsers send
 * them (`https://app.example.com`, `http://localhost:8080`: a scheme, a host and an optional port).
 */
export const IsCorsOrigins = () =>
  ValidateBy({
    name: 'isCorsOrigins',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const origins = value.split(',').map((origin) => origin.trim());
        if (value.trim() === '' || (origins.length === 1 && origins[0] === '*')) return true;
        return origins.every(isOrigin);
      },
      defaultMessage: () => 'must be empty, * or a comma-separated list of origins such as https://app.example.com',
    },
  });

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}
