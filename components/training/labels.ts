import { trainingCategories, trainingLevels, type TrainingCategory, type TrainingLevel } from '@/lib/training/rules';

export const levelName = (level: string) => trainingLevels[level as TrainingLevel] ?? level;
export const categoryName = (category: string) => trainingCategories[category as TrainingCategory] ?? category;
export const hoursText = (hours: number | null) => (hours === null ? '—' : `${Number(hours).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 学时`);
