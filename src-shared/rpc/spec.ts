import type { z } from 'zod';

/** One method of a contract: a zod schema for its params (checked at the receiving end) and its result type. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R = unknown> {
  readonly params: P;
  /** Phantom: carries the result type only. */
  readonly result?: R;
}

/** `method<Lead>()(leadInputSchema)` declares a method that takes a lead input and returns a Lead. */
export const method =
  <R>() =>
  <P extends z.ZodType>(params: P): MethodSpec<P, R> => ({ params });

export type SpecMap = Record<string, MethodSpec>;
export type ParamsOf<S> = S extends MethodSpec<infer P, unknown> ? z.input<P> : never;
export type ParsedParamsOf<S> = S extends MethodSpec<infer P, unknown> ? z.output<P> : never;
export type ResultOf<S> = S extends MethodSpec<z.ZodType, infer R> ? R : never;

/** The handlers a server must provide for a contract, each getting parsed params and the caller's context. */
export type Handlers<M extends SpecMap, Ctx> = {
  [K in keyof M]: (params: ParsedParamsOf<M[K]>, ctx: Ctx) => Promise<ResultOf<M[K]>>;
};
