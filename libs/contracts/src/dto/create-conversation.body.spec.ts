import { CreateConversationBody, validatePayload, type FieldError, type Validated } from '#app/contracts';

const validate = (plain: unknown) => validatePayload(CreateConversationBody, plain);

function valid(result: Validated<CreateConversationBody>): CreateConversationBody {
  if (!result.ok) throw new Error(`expected a valid body, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function refused(result: Validated<CreateConversationBody>): FieldError[] {
  if (result.ok) throw new Error(`expected errors, got the value ${JSON.stringify(result.value)}`);
  return result.errors;
}

/** The properties that are set (class-transformer leaves the undeclared ones undefined). */
const setFields = (value: object) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

const REQUIRED_INBOX = { field: 'inbox_id', code: 'isDefined', message: 'inbox_id is required when source_id is not given' };
const REQUIRED_CONTACT = { field: 'contact_id', code: 'isDefined', message: 'contact_id is required when source_id is not given' };

describe('validatePayload(CreateConversationBody)', () => {
  describe('source_id, or inbox_id and contact_id', () => {
    it('accepts source_id alone', () => {
      const value = valid(validate({ source_id: 'carl-api' }));
      expect(value).toBeInstanceOf(CreateConversationBody);
      expect(setFields(value)).toEqual({ source_id: 'carl-api' });
    });

    it('accepts inbox_id and contact_id without source_id', () => {
      expect(setFields(valid(validate({ inbox_id: 1, contact_id: 2 })))).toEqual({ inbox_id: 1, contact_id: 2 });
    });

    it('accepts all three', () => {
      expect(setFields(valid(validate({ source_id: 's', inbox_id: 1, contact_id: 2 })))).toEqual({ source_id: 's', inbox_id: 1, contact_id: 2 });
    });

    it('accepts source_id with only one of the ids', () => {
      expect(setFields(valid(validate({ source_id: 's', inbox_id: 1 })))).toEqual({ source_id: 's', inbox_id: 1 });
      expect(setFields(valid(validate({ source_id: 's', contact_id: 2 })))).toEqual({ source_id: 's', contact_id: 2 });
    });

    it('without source_id, requires both ids', () => {
      expect(refused(validate({}))).toEqual([REQUIRED_INBOX, REQUIRED_CONTACT]);
      expect(refused(validate({ inbox_id: 1 }))).toEqual([REQUIRED_CONTACT]);
      expect(refused(validate({ contact_id: 2 }))).toEqual([REQUIRED_INBOX]);
    });

    it('treats a null source_id as absent', () => {
      expect(refused(validate({ source_id: null }))).toEqual([REQUIRED_INBOX, REQUIRED_CONTACT]);
      expect(setFields(valid(validate({ source_id: null, inbox_id: 1, contact_id: 2 })))).toMatchObject({ inbox_id: 1, contact_id: 2 });
    });

    it('refuses a null id when source_id is absent', () => {
      expect(refused(validate({ inbox_id: null, contact_id: 2 }))).toEqual([REQUIRED_INBOX]);
    });

    it('refuses an empty, non-string or too long source_id', () => {
      expect(refused(validate({ source_id: '' }))).toEqual([{ field: 'source_id', code: 'isNotEmpty', message: 'source_id must not be empty' }]);
      expect(refused(validate({ source_id: 42 }))).toEqual([{ field: 'source_id', code: 'isString', message: 'source_id must be a string' }]);
      expect(valid(validate({ source_id: 's'.repeat(255) })).source_id).toHaveLength(255);
      expect(refused(validate({ source_id: 's'.repeat(256) })).map((e) => [e.field, e.code])).toEqual([['source_id', 'maxLength']]);
    });
  });

  describe('ids', () => {
    it('turns numeric strings into numbers (the seed sends strings)', () => {
      expect(setFields(valid(validate({ inbox_id: '1', contact_id: '22', assignee_id: '3', team_id: '4' })))).toEqual({
        inbox_id: 1,
        contact_id: 22,
        assignee_id: 3,
        team_id: 4,
      });
    });

    it.each([['x'], ['1e3'], [' 1'], ['1.5'], [1.5], [''], [true], [[1]], [{}]])('refuses inbox_id=%j', (inbox_id) => {
      expect(refused(validate({ inbox_id, contact_id: 1 }))).toEqual([{ field: 'inbox_id', code: 'isInt', message: 'inbox_id must be an integer' }]);
    });

    it.each([['assignee_id'], ['team_id'], ['contact_id']])('refuses a non-integer %s', (field) => {
      expect(refused(validate({ source_id: 's', [field]: 'abc' }))).toEqual([{ field, code: 'isInt', message: `${field} must be an integer` }]);
    });

    it.each([[99999999999999999999], [Number.MAX_SAFE_INTEGER + 1], [-99999999999999999999], ['9007199254740993'], ['9999999999999999']])(
      'refuses the unsafe integer %j',
      (id) => {
        expect(refused(validate({ inbox_id: id, contact_id: 1 }))).toEqual([
          { field: 'inbox_id', code: id === -99999999999999999999 ? 'min' : 'max', message: 'inbox_id is out of range' },
        ]);
      },
    );

    it('refuses a 20-digit integer string as not an integer (it cannot be exact)', () => {
      expect(refused(validate({ source_id: 's', assignee_id: '99999999999999999999' }))).toEqual([
        { field: 'assignee_id', code: 'isInt', message: 'assignee_id must be an integer' },
      ]);
    });

    it('accepts the largest safe integer', () => {
      expect(valid(validate({ inbox_id: Number.MAX_SAFE_INTEGER, contact_id: String(Number.MAX_SAFE_INTEGER) })).contact_id).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });
  });

  describe('status and snoozed_until', () => {
    it.each([['open'], ['resolved'], ['pending'], ['snoozed']])('accepts status=%s', (status) => {
      expect(valid(validate({ source_id: 's', status })).status).toBe(status);
    });

    it.each([['all'], ['OPEN'], ['closed'], [''], [0]])('refuses status=%j', (status) => {
      expect(refused(validate({ source_id: 's', status }))).toEqual([
        { field: 'status', code: 'isIn', message: 'status must be one of: open, resolved, pending, snoozed' },
      ]);
    });

    it.each([['2026-03-01T10:00:00Z'], ['2026-03-01T10:00:00.123+02:00'], ['2026-03-01']])('accepts snoozed_until=%s', (snoozed_until) => {
      expect(valid(validate({ source_id: 's', status: 'snoozed', snoozed_until })).snoozed_until).toBe(snoozed_until);
    });

    it.each([['tomorrow'], ['2026-02-30T10:00:00Z'], ['01/03/2026'], [''], [1767225600]])('refuses snoozed_until=%j', (snoozed_until) => {
      expect(refused(validate({ source_id: 's', snoozed_until }))).toEqual([
        { field: 'snoozed_until', code: 'isIso8601', message: 'snoozed_until must be an ISO-8601 date-time' },
      ]);
    });
  });

  describe('message', () => {
    it('accepts {content}', () => {
      const value = valid(validate({ source_id: 's', message: { content: 'hello' } }));
      expect(value.message).toEqual({ content: 'hello' });
    });

    it.each([[5], [null], [['a']], [{ text: 'a' }]])('refuses content=%j, naming message.content', (content) => {
      const message = content !== null && typeof content === 'object' && !Array.isArray(content) ? content : { content };
      expect(refused(validate({ source_id: 's', message }))).toEqual([
        { field: 'message.content', code: 'isString', message: 'message.content must be a string' },
      ]);
    });

    it.each([['hello'], [42]])('refuses message=%j', (message) => {
      expect(refused(validate({ source_id: 's', message }))).toEqual([
        { field: 'message', code: 'isObject', message: 'message must be an object with a content' },
      ]);
    });

    it('refuses a message that is a list, naming message first', () => {
      // class-validator also reports each element (`message.0`): noise, but still about `message`.
      const errors = refused(validate({ source_id: 's', message: ['hello'] }));
      expect(errors[0]).toEqual({ field: 'message', code: 'isObject', message: 'message must be an object with a content' });
      expect(errors.every((e) => e.field === 'message' || e.field.startsWith('message.'))).toBe(true);
    });

    it('refuses content over 150,000 characters', () => {
      expect(valid(validate({ source_id: 's', message: { content: 'x'.repeat(150_000) } })).message?.content).toHaveLength(150_000);
      expect(refused(validate({ source_id: 's', message: { content: 'x'.repeat(150_001) } })).map((e) => [e.field, e.code])).toEqual([
        ['message.content', 'maxLength'],
      ]);
    });

    it('drops unknown fields of the message', () => {
      expect(valid(validate({ source_id: 's', message: { content: 'hi', private: true } })).message).toEqual({ content: 'hi' });
    });

    it('null is refused or means "no message" (never a message of null)', () => {
      const result = validate({ source_id: 's', message: null });
      if (result.ok) expect(result.value.message).toBeUndefined();
      else expect(result.errors.map((e) => e.field)).toEqual(['message']);
    });
  });

  describe('attributes', () => {
    it('keeps attribute objects exactly as given', () => {
      const additional_attributes = { browser: { name: 'Firefox', version: [128, 0] }, referer: 'https://x.test', n: 1, flag: false, none: null };
      const custom_attributes = { plan: 'gold', 'key with spaces': { deep: { deeper: 'x' } } };
      const value = valid(validate({ source_id: 's', additional_attributes, custom_attributes }));
      expect(value.additional_attributes).toEqual(additional_attributes);
      expect(value.custom_attributes).toEqual(custom_attributes);
    });

    it.each([['additional_attributes'], ['custom_attributes']])('%s must be an object', (field) => {
      for (const bad of [[], ['a'], 'text', 5, true]) {
        expect(refused(validate({ source_id: 's', [field]: bad }))).toEqual([{ field, code: 'isObject', message: `${field} must be an object` }]);
      }
    });
  });

  describe('unknown fields', () => {
    it('drops them', () => {
      const value = valid(validate({ source_id: 's', contact_name: 'x', labels: ['vip'], priority: 'high', account_id: 9 }));
      expect(value).not.toHaveProperty('contact_name');
      expect(value).not.toHaveProperty('labels');
      expect(value).not.toHaveProperty('priority');
      expect(value).not.toHaveProperty('account_id');
    });
  });

  describe('NUL characters', () => {
    it.each([
      [{ source_id: 'a\u0000' }, 'source_id'],
      [{ source_id: 's', message: { content: 'hi\u0000' } }, 'message.content'],
      [{ source_id: 's', custom_attributes: { plan: { name: '\u0000' } } }, 'custom_attributes.plan.name'],
      [{ source_id: 's', additional_attributes: { list: ['a', 'b\u0000'] } }, 'additional_attributes.list'],
      [{ source_id: 's', additional_attributes: { 'k\u0000': 1 } }, 'additional_attributes.k\u0000'],
    ])('refuses %j naming %s', (plain, field) => {
      expect(refused(validate(plain))).toEqual([{ field, code: 'noNulCharacter', message: 'text must not contain the NUL character (\\u0000)' }]);
    });
  });
});
