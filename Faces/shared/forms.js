// Forms that call a daemon: a labelled field, and a form whose refusal shows in words beside it
// (the daemon's problem+json detail, after what the status means to the person).
import { h } from '/shared/dom.js';
import { ProblemError } from '/shared/session.js';

/** A label and its input (the input needs an id). */
export function field(label, input) { return h('div', { class: 'field' }, h('label', { for: input.id }, label), input); }

const refusals = { 400: '请求有误', 403: '无权进行此操作', 404: '找不到该记录', 409: '当前状态不允许此操作', 413: '内容过大', 422: '填写有误', 429: '操作过于频繁，请稍后再试' };

/** Words for a failed call. */
export function refusal(failure) {
  if (!(failure instanceof ProblemError)) return `网络异常：${failure.message}`;
  const fields = (failure.problem?.errors ?? []).map((e) => `${e.field}：${e.message}`).join('；');
  return `${refusals[failure.status] ?? '操作未成功'}${fields ? `（${fields}）` : failure.problem?.detail ? `（${failure.problem.detail}）` : ''}`;
}

/**
 * A form: `fields` (elements), a submit button, and `onSubmit()` whose failure is shown in the
 * form's alert; the button is disabled while it runs.
 */
export function actionForm({ id, title, fields, submit, onSubmit, extra = [] }) {
  const error = h('p', { class: 'error', role: 'alert', id: `${id}-error` });
  const button = h('button', { class: 'primary', type: 'submit', id: `${id}-submit` }, submit);
  const form = h('form', { class: 'panel', id }, title ? h('h3', {}, title) : null, fields, h('div', { class: 'actions' }, button, extra), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    button.disabled = true;
    try { await onSubmit(); } catch (failure) { error.textContent = refusal(failure); } finally { button.disabled = false; }
  });
  return form;
}
