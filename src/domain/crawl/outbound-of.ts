import type { Outbound } from '../../git/outbound';
import type { HubContext } from '../context';

/** How crawler requests may connect: public addresses only, unless HUB_ALLOW_PRIVATE_HOSTS is set. */
export const outboundOf = (ctx: HubContext): Outbound => ({ allowPrivateHosts: ctx.config.allowPrivateHosts });
