import { serviceCredentialHeaders, type ServiceEndpoint } from '../../activities/service-client.js';
export { startServices, workerServiceOptions, type RunningServices } from '../../local/local-services.js';

/** A JSON POST to one of the services, signed with its secret as the worker's activities sign theirs. */
export async function postToService(endpoint: ServiceEndpoint, path: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(path, endpoint.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...serviceCredentialHeaders(endpoint.secret) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
