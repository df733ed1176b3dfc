import { DEAD_LETTER_REASONS, deadLetterReason, MAX_REASON_LENGTH, MessageFaults, parseRequestEnvelope } from '#app/contracts';

describe('dead-letter reasons', () => {
  it('put the status first', () => {
    expect(deadLetterReason(400, MessageFaults.notJson)).toBe('400 body is not JSON');
    expect(deadLetterReason(400, MessageFaults.unknownPattern('x'))).toBe('400 unknown pattern "x"');
    expect(deadLetterReason(401, 'Invalid Access Token')).toBe('401 Invalid Access Token');
    for (const { reason } of DEAD_LETTER_REASONS) expect(reason).toMatch(/^[45]\d\d \S/);
  });

  it('are cut to a header-sized length', () => {
    expect(deadLetterReason(422, 'x'.repeat(5000))).toHaveLength(MAX_REASON_LENGTH);
  });

  it('name what an incomplete RPC request lacks', () => {
    expect(MessageFaults.incompleteRpc(['correlation_id property'])).toBe('incomplete RPC request: no correlation_id property');
    expect(MessageFaults.incompleteRpc(['correlation_id property', 'id in the body'])).toBe('incomplete RPC request: no correlation_id property, no id in the body');
  });

  it('are the ones the envelope parser gives', () => {
    expect(parseRequestEnvelope(Buffer.from('nope'))).toMatchObject({ reason: MessageFaults.notJson });
    expect(parseRequestEnvelope(Buffer.from('[]'))).toMatchObject({ reason: MessageFaults.notObject });
    expect(parseRequestEnvelope(Buffer.from('{}'))).toMatchObject({ reason: MessageFaults.noPattern });
  });
});
