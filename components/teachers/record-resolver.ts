import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import { buildSubsetSchema, type RecordValues, type SchemaOptions } from '@/lib/indicators/form-schema';
import type { EffectiveSubset } from '@/lib/indicators/settings';

/** react-hook-form validation with the same generated schema the server uses. */
export function subsetResolver(subset: EffectiveSubset, options: SchemaOptions): Resolver<RecordValues> {
  // The generated schema's preprocess steps hide its input type from the resolver's generics.
  return zodResolver(buildSubsetSchema(subset, options) as never) as unknown as Resolver<RecordValues>;
}
