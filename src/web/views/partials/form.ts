import { html, type Html } from '../../html';

/**
 * KERN form fields. An error sits between label and control, tied to it by aria-describedby,
 * and is a role=alert so a screen reader announces it when the form comes back.
 */
export type FieldError = string | null | undefined;

function errorText(id: string, error: FieldError) {
  return error
    ? html`<p class="kern-error" id="${id}-error" role="alert"><span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span><span class="kern-body">${error}</span></p>`
    : '';
}

function describedBy(id: string, hint: string | undefined, error: FieldError) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return ids || null;
}

function labelAndHint(field: { id: string; label: string; hint?: string; error?: FieldError }) {
  return html`<label class="kern-label" for="${field.id}">${field.label}</label>
  ${field.hint ? html`<div class="kern-hint" id="${field.id}-hint">${field.hint}</div>` : ''}
  ${errorText(field.id, field.error)}`;
}

function aria(field: { id: string; hint?: string; error?: FieldError; required?: boolean }) {
  const described = describedBy(field.id, field.hint, field.error);
  return html`${field.required ? html` required` : ''}${field.error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
}

export function textField(field: {
  id: string;
  name: string;
  label: string;
  value?: string | null;
  hint?: string;
  error?: FieldError;
  type?: 'text' | 'url' | 'date' | 'search' | 'password' | 'email' | 'number';
  required?: boolean;
  autocomplete?: string;
  inputmode?: 'decimal' | 'numeric';
  extra?: Html;
}): Html {
  return html`<div class="kern-form-input">
  ${labelAndHint(field)}
  <input class="kern-form-input__input${field.error ? ' kern-form-input__input--error' : ''}" id="${field.id}" name="${field.name}" type="${field.type ?? 'text'}" value="${field.value ?? ''}"${aria(field)}${field.autocomplete ? html` autocomplete="${field.autocomplete}"` : ''}${field.inputmode ? html` inputmode="${field.inputmode}"` : ''}${field.extra ?? ''}>
</div>`;
}

export function selectField(field: {
  id: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  hint?: string;
  error?: FieldError;
  required?: boolean;
}): Html {
  return html`<div class="kern-form-input">
  ${labelAndHint(field)}
  <div class="kern-form-input__select-wrapper">
    <select class="kern-form-input__select" id="${field.id}" name="${field.name}"${aria(field)}>
      ${field.options.map((o) => html`<option value="${o.value}"${o.value === field.value ? html` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>
</div>`;
}

export function textArea(field: { id: string; name: string; label: string; value?: string | null; hint?: string; error?: FieldError; required?: boolean; rows?: number }): Html {
  return html`<div class="kern-form-input">
  ${labelAndHint(field)}
  <textarea class="kern-form-input__input${field.error ? ' kern-form-input__input--error' : ''}" id="${field.id}" name="${field.name}" rows="${field.rows ?? 3}"${aria(field)}>${field.value ?? ''}</textarea>
</div>`;
}

export function checkboxField(field: { id: string; name: string; label: string; checked: boolean; error?: FieldError }): Html {
  return html`<div class="kern-form-check">
  ${errorText(field.id, field.error)}
  <input class="kern-form-check__checkbox" type="checkbox" id="${field.id}" name="${field.name}" value="true"${field.checked ? html` checked` : ''}${field.error ? html` aria-invalid="true" aria-describedby="${field.id}-error"` : ''}>
  <label class="kern-label" for="${field.id}">${field.label}</label>
</div>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function submitButton(label: string, options: { name?: string; value?: string; variant?: 'primary' | 'secondary' } = {}): Html {
  return html`<button class="kern-btn kern-btn--${options.variant ?? 'primary'}" type="submit"${options.name ? html` name="${options.name}" value="${options.value ?? ''}"` : ''}><span class="kern-label">${label}</span></button>`;
}
