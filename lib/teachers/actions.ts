'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/action';
import type { ActionResult } from '@/lib/result';
import {
  createTeacherSchema,
  deleteEntrySchema,
  saveEntrySchema,
  saveSectionSchema,
  teacherIdSchema,
} from './schemas';
import { createTeacher } from '@/lib/teachers/registration/service';
import { deleteEntry, saveEntry, savePhoto, saveSection } from '@/lib/teachers/editing/service';
import { revealIdNumber } from '@/lib/teachers/id-numbers/service';

/** Actions shared by the staff console and the teacher's own pages; the service decides what each actor may write. */
function revalidateRecord(teacherId: number) {
  revalidatePath(`/teachers/${teacherId}`);
  revalidatePath('/me');
}

export const createTeacherAction = defineAction('teacher.create', createTeacherSchema, createTeacher, () => revalidatePath('/teachers'));
export const saveSectionAction = defineAction('teacher.saveSection', saveSectionSchema, saveSection, (input) => revalidateRecord(input.teacherId));
export const saveEntryAction = defineAction('teacher.saveEntry', saveEntrySchema, saveEntry, (input) => revalidateRecord(input.teacherId));
export const deleteEntryAction = defineAction('teacher.deleteEntry', deleteEntrySchema, deleteEntry, (input) => revalidateRecord(input.teacherId));
export const revealIdNumberAction = defineAction('teacher.idNumber.view', teacherIdSchema, revealIdNumber);

const uploadPhotoSchema = z.object({
  teacherId: z.coerce.number().int().positive(),
  photo: z.instanceof(File, { message: '请选择照片文件' }),
});

const uploadPhoto = defineAction(
  'teacher.photo',
  uploadPhotoSchema,
  async (actor, { teacherId, photo }) => savePhoto(actor, { teacherId, fileName: photo.name, bytes: new Uint8Array(await photo.arrayBuffer()) }),
  (input) => revalidateRecord(input.teacherId),
);

export async function uploadPhotoAction(formData: FormData): Promise<ActionResult> {
  return uploadPhoto({ teacherId: formData.get('teacherId'), photo: formData.get('photo') });
}
