import { describe, expect, it } from 'vitest';
import { personName } from '#domain/person-name.ts';

describe('a customer’s name, as they write it', () => {
  it('puts the family name first, with no space, for Chinese, Japanese and Korean names', () => {
    expect(personName('三', '张')).toBe('张三');
    expect(personName('小明', '欧阳')).toBe('欧阳小明');
    expect(personName('太郎', '山田')).toBe('山田太郎');
    expect(personName('민준', '김')).toBe('김민준');
  });

  it('puts the given name first otherwise, and copes with one part missing', () => {
    expect(personName('Jane', 'Doe')).toBe('Jane Doe');
    expect(personName(' Jane ', null)).toBe('Jane');
    expect(personName(undefined, '张')).toBe('张');
    expect(personName('', '')).toBe('');
  });
});
