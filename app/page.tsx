import { redirect } from 'next/navigation';
import { getCurrentActor, homePathFor } from '@/lib/auth/session';

export default async function Home() {
  const actor = await getCurrentActor();
  redirect(actor ? homePathFor(actor) : '/login');
}
