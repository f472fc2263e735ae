import { html } from './html.js';
import { page } from './layout.js';

export const signInPage = (token: string, error?: string) =>
  page(
    'Sign in',
    html`<section><form method="post" action="/ops/sign-in">
      <input type="hidden" name="_csrf" value="${token}">
      <p>Sign in with your personal API key: the page acts as you, with your key's role and corporations.</p>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <label>API key <input id="api-key" type="password" name="apiKey" autocomplete="off" size="60" required></label>
      <button id="sign-in">Sign in</button></form></section>`,
  );
