/** Council Recommendation 2022/C 243/02, Annex I Part I: does the credential carry every mandatory EU element? */
import { readEuElements } from '../../credential/read-eu-elements.ts';
import { ELEMENT_LABELS } from '../../credential/types.ts';
import type { Check, CheckOutcome, ParsedCredential } from '../types.ts';

export const euCompletenessCheck: Check = {
  id: 'eu-completeness',
  name: 'EU micro-credential elements',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const eu = readEuElements((ctx.parsed as ParsedCredential).credential);
    ctx.eu = eu;
    if (eu.missing.length === 0) {
      return { status: 'passed', code: 'eu.complete', message: 'All eleven mandatory elements of an EU micro-credential are present.' };
    }
    const names = eu.missing.map((element) => ELEMENT_LABELS[element]);
    return {
      status: 'warning',
      code: 'eu.incomplete',
      message: `Not a complete EU micro-credential: ${names.length} mandatory element${names.length === 1 ? ' is' : 's are'} missing (${names.join('; ')}).`,
      detail: eu.missing.join(','),
    };
  },
};
