import type { Handlers, SpecMap } from '@shared/rpc/spec';
import type { CallContext } from './deps';

/** The handler map an area provides for its slice of the contract. */
export type AreaHandlers<C extends SpecMap> = Handlers<C, CallContext>;
