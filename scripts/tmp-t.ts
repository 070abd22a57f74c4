import { getConnection, closeConnection } from '@/lib/db/client';
import { initializeNationalTree } from '@/lib/units/service';
const c = await getConnection(); await c.migrate();
const t=Date.now(); const r = await c.db.transaction((tx)=>initializeNationalTree(tx)); console.log(r, Date.now()-t);
await closeConnection();
