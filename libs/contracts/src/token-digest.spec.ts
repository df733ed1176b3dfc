import { tokenDigest } from './token-digest.js';

describe('tokenDigest', () => {
  it('is the SHA-256 of the token, lower-case hex', () => {
    expect(tokenDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the UTF-8 bytes', () => {
    // printf 'é' | sha256sum (the two UTF-8 bytes c3 a9)
    expect(tokenDigest('\u00e9')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
    expect(tokenDigest('é')).not.toBe(tokenDigest('e\u0301'));
  });

  it('differs for tokens that differ only in case or whitespace', () => {
    expect(tokenDigest('tok-ann')).not.toBe(tokenDigest('TOK-ANN'));
    expect(tokenDigest('tok-ann')).not.toBe(tokenDigest('tok-ann '));
  });
});
