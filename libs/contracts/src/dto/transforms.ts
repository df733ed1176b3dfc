import { Transform } from 'class-transformer';

/** An integer as text, the only strings ToInteger converts. */
export const INTEGER_TEXT = /^-?\d{1,16}$/;

/**
 * Ids and page numbers arrive as JSON numbers or as numeric strings (query strings, the seed's Swagger
 * file). Turns an integer string into a number and leaves anything else as it is for the validators
 * to refuse: `"1e3"`, `"0x10"`, `" 1"` stay strings.
 */
export const ToInteger = () =>
  Transform(({ value }) => (typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : value), { toClassOnly: true });

/** `labels=a` and `labels[]=a` both mean a list of one. */
export const ToArray = () =>
  Transform(({ value }) => (value === undefined || value === null || Array.isArray(value) ? value : [value]), { toClassOnly: true });

/** Text trimmed at both ends; text that is empty once trimmed counts as absent. Anything else is left for the validators. */
export const ToTrimmedText = () =>
  Transform(
    ({ value }) => {
      if (typeof value !== 'string') return value;
      const trimmed = value.trim();
      return trimmed === '' ? undefined : trimmed;
    },
    { toClassOnly: true },
  );

/** A value of `aliases` becomes the value it stands for; anything else is left as it is. */
export const ToCanonical = (aliases: Readonly<Record<string, string>>) =>
  Transform(({ value }) => (typeof value === 'string' && Object.hasOwn(aliases, value) ? aliases[value] : value), { toClassOnly: true });
