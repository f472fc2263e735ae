import { openApiPath } from '../../services/api/openapi.js';

/**
 * The routes an express app serves, read from its router stack (routers mounted without a
 * prefix): what the OpenAPI route test checks against the document, and what the tenant
 * isolation walk calls. A route added to the app is in this list without anyone adding it.
 */

export type RouteHandler = (req: unknown, res: unknown, next: (error?: unknown) => void) => unknown;

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: RouteHandler }[] };
  handle?: { stack?: Layer[] };
}

export interface MountedRoute {
  /** `POST /v1/cases/{caseId}/segment`, as the document names it. */
  readonly key: string;
  readonly method: string;
  /** As express matches it: `/v1/cases/:caseId/segment`. */
  readonly path: string;
  /** The last handler: the one that answers. */
  readonly handler: RouteHandler;
}

function fromStack(stack: readonly Layer[]): MountedRoute[] {
  return stack.flatMap((layer) => {
    const route = layer.route;
    if (route) {
      return Object.keys(route.methods)
        .filter((method) => route.methods[method])
        .map((method) => ({ key: `${method.toUpperCase()} ${openApiPath(route.path)}`, method, path: route.path, handler: route.stack.at(-1)!.handle }));
    }
    return layer.handle?.stack ? fromStack(layer.handle.stack) : [];
  });
}

export const mountedRoutes = (app: unknown): MountedRoute[] => fromStack((app as { router: { stack: Layer[] } }).router.stack);
