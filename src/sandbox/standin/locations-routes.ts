// Location endpoints the app uses: a location's name, timezone and phone, and its phone-system numbers.
import { assertLocationReadable, requireGrant } from './access.js';
import type { Reply } from './http-io.js';
import type { Route, RouteContext } from './router.js';
import { toWireLocation, toWirePhoneNumber } from './wire-shapes.js';
import type { World } from './world.js';

export function createLocationRoutes(deps: { world: World }): Route[] {
  const { world } = deps;

  function readableLocation(ctx: RouteContext) {
    const locationId = ctx.params.locationId;
    return assertLocationReadable(requireGrant(ctx), world.location(locationId), locationId);
  }

  function getLocation(ctx: RouteContext): Reply {
    return { status: 200, body: { location: toWireLocation(readableLocation(ctx)) } };
  }

  function listNumbers(ctx: RouteContext): Reply {
    const location = readableLocation(ctx);
    return {
      status: 200,
      body: {
        numbers: location.numbers.map(toWirePhoneNumber),
        isUnderGhl: true,
        pageSize: 100,
        page: 0,
        accountStatus: 'active',
      },
    };
  }

  return [
    { method: 'GET', pattern: '/locations/:locationId', family: 'locations', body: 'none', handle: getLocation },
    {
      method: 'GET', pattern: '/phone-system/numbers/location/:locationId', family: 'phone-system', body: 'none',
      handle: listNumbers,
    },
  ];
}
