/**
 * `npm run keys:rotate`: after putting a new key first in DATA_ENCRYPTION_KEYS (keeping the old ones
 * after it), re-encrypts every stored import file and error report with the new key. Once it reports
 * nothing left under an old key, the old key can be removed from the configuration.
 */
import { closeConnection } from '@/lib/db/client';
import { activeKeyId } from '@/lib/crypto/envelope';
import { reencryptImportFiles } from '@/lib/teacher-import/service';
import { ensureAuthSecret } from './runtime-env';

ensureAuthSecret();
const changed = await reencryptImportFiles();
console.log(`已用密钥 ${activeKeyId()} 重新加密 ${changed} 个导入文件`);
await closeConnection();
