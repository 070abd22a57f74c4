/**
 * `npm run keys:rotate`: after putting a new key first in DATA_ENCRYPTION_KEYS (keeping the old ones
 * after it), re-encrypts every ID number, TOTP secret, stored import file, error report and export file with the
 * new key. Once a second run reports nothing left, the old key can be removed from the configuration.
 */
import { closeConnection } from '@/lib/db/client';
import { activeKeyId } from '@/lib/crypto/envelope';
import { getDb } from '@/lib/db';
import { reencryptImportFiles } from '@/lib/teacher-import/service';
import { reencryptExportFiles } from '@/lib/teacher-export/service';
import { reencryptIdNumbers } from '@/lib/teachers/id-numbers/service';
import { reencryptTotpSecrets } from '@/lib/signin/service';
import { ensureAuthSecret } from './runtime-env';

ensureAuthSecret();
const files = await reencryptImportFiles();
const exportPieces = await reencryptExportFiles();
const idNumbers = await reencryptIdNumbers(await getDb());
const secrets = await reencryptTotpSecrets();
console.log(`已用密钥 ${activeKeyId()} 重新加密：证件号码 ${idNumbers} 个，双因素密钥 ${secrets} 个，导入文件 ${files} 个，导出文件分块 ${exportPieces} 个`);
await closeConnection();
