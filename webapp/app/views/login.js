// Sign in, or create an account when the server allows it.
import { signIn } from '../api.js';
import { el } from '../dom.js';

// loginView resolves once the user has signed in.
export function loginView(main) {
  return new Promise((resolve) => {
    const name = el('input', { id: 'login-name', name: 'username', autocomplete: 'username', required: true });
    const pw = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const error = el('p', { role: 'alert', class: 'error' });
    const submit = async (kind) => {
      error.textContent = '';
      try {
        resolve(await signIn(kind, name.value.trim(), pw.value));
      } catch (e) {
        error.textContent = e.message;
        pw.focus();
      }
    };
    const form = el('form', { class: 'login', 'aria-labelledby': 'login-title', onsubmit: (e) => { e.preventDefault(); submit('login'); } },
      el('h1', { id: 'login-title' }, 'Sign in'),
      el('p', {}, el('label', { for: 'login-name' }, 'Name'), name),
      el('p', {}, el('label', { for: 'login-password' }, 'Password'), pw),
      error,
      el('p', {}, el('button', { type: 'submit' }, 'Sign in'), ' ',
        el('button', { type: 'button', onclick: () => form.reportValidity() && submit('signup') }, 'Create account')));
    main.replaceChildren(form);
    name.focus();
  });
}
