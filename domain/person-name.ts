/** Scripts whose names are written family name first, with no space (张三, 山田太郎, 김민준). */
const FAMILY_NAME_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * A person's name as they write it, from a storefront's separate given and family names:
 * `first_name 三, last_name 张` is 张三, and `Jane`, `Doe` is Jane Doe.
 */
export function personName(given?: string | null, family?: string | null): string {
  const first = given?.trim() ?? '';
  const last = family?.trim() ?? '';
  if (!first || !last) return first || last;
  return FAMILY_NAME_FIRST.test(first + last) ? `${last}${first}` : `${first} ${last}`;
}
