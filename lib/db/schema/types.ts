import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL ltree: the materialised path of a unit ("1.4.120"), indexed with GiST. */
export const ltree = customType<{ data: string }>({
  dataType() {
    return 'ltree';
  },
});

export const bytea = customType<{ data: Buffer }>({
  dataType() {
    return 'bytea';
  },
});
