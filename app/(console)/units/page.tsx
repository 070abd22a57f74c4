import { redirect } from 'next/navigation';
import { requireStaff } from '@/lib/auth/session';

export default async function UnitsIndex() {
  const actor = await requireStaff();
  redirect(`/units/${actor.unitId}`);
}
