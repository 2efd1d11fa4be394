/**
 * The one schema library of the project: zod/mini (functions, not method chains), so a Lambda
 * carries ~25 KB of zod instead of ~95 KB, with English messages for the API's 4xx answers (mini
 * loads no locale by itself). Import it as `import * as z from '…/domain/zod.ts'`.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
