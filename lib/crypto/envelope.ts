import 'server-only';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Application-level encryption of personal data at rest: AES-256-GCM from Node's crypto (OpenSSL),
 * with the key id stored beside every ciphertext so that keys can be rotated without downtime.
 *
 * DATA_ENCRYPTION_KEYS = "id:base64key[,id:base64key…]" (32-byte keys); the first is active for new
 * data, the others still decrypt old data until `npm run keys:rotate` has re-encrypted it.
 */

interface Keyring {
  active: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

let cached: { source: string; ring: Keyring } | null = null;

function keyring(): Keyring {
  const source = process.env.DATA_ENCRYPTION_KEYS ?? '';
  if (cached?.source === source) return cached.ring;
  const entries = source
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, encoded] = entry.split(':');
      const key = Buffer.from(encoded ?? '', 'base64');
      if (!/^[A-Za-z0-9_-]{1,16}$/.test(id ?? '') || key.length !== 32) throw new Error('DATA_ENCRYPTION_KEYS: each entry must be id:base64 of 32 bytes');
      return { id, key };
    });
  if (entries.length === 0) throw new Error('DATA_ENCRYPTION_KEYS is not set');
  const ring = { active: entries[0], byId: new Map(entries.map((e) => [e.id, e.key])) };
  cached = { source, ring };
  return ring;
}

export function activeKeyId(): string {
  return keyring().active.id;
}

const magic = Buffer.from('TME1');

/** Bytes → "TME1" | key id length | key id | 12-byte IV | 16-byte tag | ciphertext. */
export function encryptBytes(plain: Uint8Array): Buffer {
  const { id, key } = keyring().active;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const keyId = Buffer.from(id);
  return Buffer.concat([magic, Buffer.from([keyId.length]), keyId, iv, cipher.getAuthTag(), body]);
}

/** The key id a stored blob was encrypted with, or null for data written before encryption. */
export function keyIdOf(blob: Uint8Array): string | null {
  const buffer = Buffer.from(blob);
  if (buffer.length < 5 || !buffer.subarray(0, 4).equals(magic)) return null;
  return buffer.subarray(5, 5 + buffer[4]).toString();
}

export function decryptBytes(blob: Uint8Array): Buffer {
  const buffer = Buffer.from(blob);
  const keyId = keyIdOf(buffer);
  // Files stored before encryption was introduced are read as they are (and re-encrypted by rotation).
  if (keyId === null) return buffer;
  const key = keyring().byId.get(keyId);
  if (!key) throw new Error(`no key ${keyId} in DATA_ENCRYPTION_KEYS`);
  let offset = 5 + buffer[4];
  const iv = buffer.subarray(offset, (offset += 12));
  const tag = buffer.subarray(offset, (offset += 16));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(buffer.subarray(offset)), decipher.final()]);
}

/** Text (e.g. a TOTP secret) as "enc:" + base64 of the encrypted bytes. */
export function encryptText(plain: string): string {
  return `enc:${encryptBytes(Buffer.from(plain, 'utf8')).toString('base64')}`;
}

/** The key id of a stored text, or null for one written in clear. */
export function textKeyIdOf(stored: string): string | null {
  return stored.startsWith('enc:') ? keyIdOf(Buffer.from(stored.slice(4), 'base64')) : null;
}

export function decryptText(stored: string): string {
  return stored.startsWith('enc:') ? decryptBytes(Buffer.from(stored.slice(4), 'base64')).toString('utf8') : stored;
}

/**
 * A keyed hash (HMAC-SHA256, base64url) of a value that is stored encrypted, for uniqueness and exact
 * lookups through an ordinary index. Its key DATA_INDEX_KEY is separate from the encryption keys and
 * is not rotated with them (rotating it means rehashing every row).
 */
export function keyedHash(value: string): string {
  const key = process.env.DATA_INDEX_KEY;
  if (!key || key.length < 16) throw new Error('DATA_INDEX_KEY is not set (at least 16 characters)');
  return createHmac('sha256', key).update(value).digest('base64url');
}
