'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireActor } from '@/lib/auth/session';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import type { IssuedCredential } from '@/lib/accounts/service';
import {
  createTeacherSchema,
  deleteEntrySchema,
  saveEntrySchema,
  saveSectionSchema,
  teacherIdSchema,
} from './schemas';
import { createTeacher, deleteEntry, revealIdNumber, saveEntry, savePhoto, saveSection } from './service';

/** Actions shared by the staff console and the teacher's own pages; the service decides what each actor may write. */
function revalidateRecord(teacherId: number) {
  revalidatePath(`/teachers/${teacherId}`);
  revalidatePath('/me');
}

export async function createTeacherAction(input: unknown): Promise<ActionResult<{ teacherId: number; credential: IssuedCredential }>> {
  const parsed = createTeacherSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const created = await createTeacher(actor, parsed.data);
    revalidatePath('/teachers');
    return { ok: true, data: created };
  } catch (error) {
    return toActionResult(error);
  }
}

export async function saveSectionAction(input: unknown): Promise<ActionResult<{ revision: number }>> {
  const parsed = saveSectionSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let result: { revision: number };
  try {
    result = await saveSection(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidateRecord(parsed.data.teacherId);
  return { ok: true, data: result };
}

export async function saveEntryAction(input: unknown): Promise<ActionResult<{ entryId: number }>> {
  const parsed = saveEntrySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  let result: { entryId: number };
  try {
    result = await saveEntry(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidateRecord(parsed.data.teacherId);
  return { ok: true, data: result };
}

export async function deleteEntryAction(input: unknown): Promise<ActionResult> {
  const parsed = deleteEntrySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    await deleteEntry(actor, parsed.data);
  } catch (error) {
    return toActionResult(error);
  }
  revalidateRecord(parsed.data.teacherId);
  return { ok: true, data: undefined };
}

export async function revealIdNumberAction(input: unknown): Promise<ActionResult<string>> {
  const parsed = teacherIdSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    return { ok: true, data: await revealIdNumber(actor, parsed.data) };
  } catch (error) {
    return toActionResult(error);
  }
}

const uploadPhotoSchema = z.object({
  teacherId: z.coerce.number().int().positive(),
  photo: z.instanceof(File, { message: '请选择照片文件' }),
});

export async function uploadPhotoAction(formData: FormData): Promise<ActionResult> {
  const parsed = uploadPhotoSchema.safeParse({ teacherId: formData.get('teacherId'), photo: formData.get('photo') });
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const { teacherId, photo } = parsed.data;
    await savePhoto(actor, { teacherId, fileName: photo.name, bytes: new Uint8Array(await photo.arrayBuffer()) });
  } catch (error) {
    return toActionResult(error);
  }
  revalidateRecord(parsed.data.teacherId);
  return { ok: true, data: undefined };
}
