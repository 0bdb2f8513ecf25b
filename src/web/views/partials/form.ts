import { html, type Html } from '../../html';

/** KERN form fields. An error sits between label and control, tied to it by aria-describedby. */
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

export function textField(field: {
  id: string;
  name: string;
  label: string;
  value?: string | null;
  hint?: string;
  error?: FieldError;
  type?: 'text' | 'url' | 'date' | 'search' | 'password';
  required?: boolean;
  autocomplete?: string;
  extra?: Html;
}): Html {
  const described = describedBy(field.id, field.hint, field.error);
  return html`<div class="kern-form-input">
  <label class="kern-label" for="${field.id}">${field.label}</label>
  ${field.hint ? html`<div class="kern-hint" id="${field.id}-hint">${field.hint}</div>` : ''}
  ${errorText(field.id, field.error)}
  <input class="kern-form-input__input${field.error ? ' kern-form-input__input--error' : ''}" id="${field.id}" name="${field.name}" type="${field.type ?? 'text'}" value="${field.value ?? ''}"${field.required ? html` required` : ''}${field.error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${field.autocomplete ? html` autocomplete="${field.autocomplete}"` : ''}${field.extra ?? ''}>
</div>`;
}

export function selectField(field: { id: string; name: string; label: string; options: { value: string; label: string }[]; value?: string | null; error?: FieldError }): Html {
  return html`<div class="kern-form-input">
  <label class="kern-label" for="${field.id}">${field.label}</label>
  ${errorText(field.id, field.error)}
  <div class="kern-form-input__select-wrapper">
    <select class="kern-form-input__select" id="${field.id}" name="${field.name}"${field.error ? html` aria-invalid="true" aria-describedby="${field.id}-error"` : ''}>
      ${field.options.map((o) => html`<option value="${o.value}"${o.value === field.value ? html` selected` : ''}>${o.label}</option>`)}
    </select>
  </div>
</div>`;
}

export function textArea(field: { id: string; name: string; label: string; value?: string | null }): Html {
  return html`<div class="kern-form-input">
  <label class="kern-label" for="${field.id}">${field.label}</label>
  <textarea class="kern-form-input__input" id="${field.id}" name="${field.name}" rows="3">${field.value ?? ''}</textarea>
</div>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function submitButton(label: string): Html {
  return html`<button class="kern-btn kern-btn--primary" type="submit"><span class="kern-label">${label}</span></button>`;
}
