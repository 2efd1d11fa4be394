import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { kindNames } from '#domain/kind-names.ts';
import { api } from '../api.ts';
import { useWords } from '../i18n.ts';
import { linkProps, navigate } from '../router.ts';
import { ErrorNote, Field } from '../ui.tsx';

const CHANNELS = ['phone', 'web_form', 'api'] as const;
const FEEDBACK_CATEGORIES = ['complaint', 'suggestion', 'opinion'] as const;

/**
 * A request or a complaint taken by phone (or at the counter) and entered by staff (#37): the
 * same intake as any other, with an Idempotency-Key made with the form, so a double click or a
 * retry after a timeout opens it once.
 */
export function NewWorkPage({ what }: { what: 'request' | 'feedback' }) {
  const { t, word, language } = useWords();
  const queryClient = useQueryClient();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [form, setForm] = useState({
    kind: 'repair',
    category: 'complaint',
    name: '',
    email: '',
    phone: '',
    customerLanguage: language,
    orderReference: '',
    productReference: '',
    deliveryDate: '',
    text: '',
    channel: 'phone',
    requestId: '',
  });
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [name]: event.target.value });
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const create = useMutation({
    mutationFn: () => {
      const customer = {
        name: form.name,
        email: form.email,
        ...(optional(form.phone) ? { phone: form.phone.trim() } : {}),
        language: form.customerLanguage,
      };
      const body =
        what === 'request'
          ? {
              kind: form.kind,
              customer,
              description: form.text,
              channel: form.channel,
              orderReference: optional(form.orderReference),
              productReference: optional(form.productReference),
              deliveryDate: optional(form.deliveryDate),
            }
          : { category: form.category, customer, content: form.text, requestId: optional(form.requestId) };
      return api<{ requestId?: string; feedbackId?: string }>(
        'POST',
        what === 'request' ? '/v1/requests' : '/v1/feedback',
        body,
        { 'idempotency-key': key },
      );
    },
    onSuccess: (created) => {
      setKey(crypto.randomUUID());
      void queryClient.invalidateQueries({ queryKey: [what === 'request' ? 'requests' : 'feedback'] });
      // A case names its request too: where to go is what was entered.
      navigate(what === 'request' ? `/requests/${created.requestId}` : `/feedback/${created.feedbackId}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const title = what === 'request' ? t.newRequest : t.newComplaint;
  return (
    <section>
      <p>
        <a {...linkProps(what === 'request' ? '/' : '/feedback')}>
          ← {what === 'request' ? t.worklist : t.feedback}
        </a>
      </p>
      <h1 tabIndex={-1}>{title}</h1>
      <form onSubmit={submit} aria-label={title} className="intake">
        {what === 'request' ? (
          <Field label={t.kind}>
            <select value={form.kind} onChange={set('kind')}>
              {Object.keys(kindNames.en)
                .filter((kind) => kind !== 'complaint')
                .map((kind) => (
                  <option key={kind} value={kind}>
                    {word(kind)}
                  </option>
                ))}
            </select>
          </Field>
        ) : (
          <Field label={t.kind}>
            <select value={form.category} onChange={set('category')}>
              {FEEDBACK_CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {word(category)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t.customerName}>
          <input required value={form.name} onChange={set('name')} autoComplete="off" />
        </Field>
        <Field label={t.email}>
          <input required type="email" value={form.email} onChange={set('email')} autoComplete="off" />
        </Field>
        <Field label={t.phone}>
          <input type="tel" value={form.phone} onChange={set('phone')} autoComplete="off" />
        </Field>
        <Field label={t.customerLanguage}>
          <select value={form.customerLanguage} onChange={set('customerLanguage')}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </Field>
        {what === 'request' ? (
          <>
            <Field label={t.order}>
              <input value={form.orderReference} onChange={set('orderReference')} />
            </Field>
            <Field label={t.product}>
              <input value={form.productReference} onChange={set('productReference')} />
            </Field>
            <Field label={t.deliveryDate}>
              <input type="date" value={form.deliveryDate} onChange={set('deliveryDate')} />
            </Field>
            <Field label={t.channel}>
              <select value={form.channel} onChange={set('channel')}>
                {CHANNELS.map((channel) => (
                  <option key={channel} value={channel}>
                    {word(channel)}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : (
          <Field label={t.aboutRequest}>
            <input value={form.requestId} onChange={set('requestId')} placeholder="sr_…" />
          </Field>
        )}
        <Field label={what === 'request' ? t.description : t.whatTheySaid}>
          <textarea required maxLength={5000} value={form.text} onChange={set('text')} />
        </Field>
        <ErrorNote error={create.error} />
        <button type="submit" disabled={create.isPending}>
          {title}
        </button>
      </form>
    </section>
  );
}
