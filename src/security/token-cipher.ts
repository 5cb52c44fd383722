import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts supporters' tokens at rest with AES-256-GCM; the key id is stored beside each ciphertext. */
export interface TokenCipher {
  readonly keyId: string;
  encrypt(plaintext: string): Buffer;
  decrypt(keyId: string, sealed: Buffer): string;
}

/**
 * The cipher configuration asks for: TOKEN_ENCRYPTION_KEY seals (as TOKEN_ENCRYPTION_KEY_ID),
 * and each retired key in TOKEN_DECRYPTION_KEYS still opens what it sealed until re-sealed.
 */
export function tokenCipherFromConfig(config: {
  TOKEN_ENCRYPTION_KEY: string;
  TOKEN_ENCRYPTION_KEY_ID: string;
  TOKEN_DECRYPTION_KEYS: string;
}): TokenCipher {
  const retired = config.TOKEN_DECRYPTION_KEYS.split(',')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const colon = pair.indexOf(':');
      return [pair.slice(0, colon), pair.slice(colon + 1)] as const;
    });
  return createTokenCipher(
    { ...Object.fromEntries(retired), [config.TOKEN_ENCRYPTION_KEY_ID]: config.TOKEN_ENCRYPTION_KEY },
    config.TOKEN_ENCRYPTION_KEY_ID,
  );
}

/** Builds a cipher from named keys (base64, 32 bytes each); `currentKeyId` encrypts, any known key decrypts. */
export function createTokenCipher(keys: Record<string, string>, currentKeyId: string): TokenCipher {
  const keyBytes = new Map(Object.entries(keys).map(([id, base64]) => [id, Buffer.from(base64, 'base64')]));
  for (const [id, key] of keyBytes) {
    if (key.length !== 32) throw new Error(`token encryption key ${id} must be 32 bytes`);
  }
  const currentKey = keyBytes.get(currentKeyId);
  if (currentKey === undefined) throw new Error(`no token encryption key with id ${currentKeyId}`);

  return {
    keyId: currentKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(keyId, sealed) {
      const key = keyBytes.get(keyId);
      if (key === undefined) throw new Error(`no token encryption key with id ${keyId}`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
