import { requireStaff } from '@/lib/auth/session';

/** Pages made for paper (approval forms): no navigation, A4 width, the same sign-in as the console. */
export default async function PrintLayout({ children }: { children: React.ReactNode }) {
  await requireStaff();
  return <main className="mx-auto max-w-[210mm] bg-white p-6 print:p-0">{children}</main>;
}
